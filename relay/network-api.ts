/**
 * What the relay sees of the network, for the demo screen: `GET /api/network` lists the peers
 * connected to it (each tab's libp2p node, whose identity is its hotkey) with the roles their
 * hotkeys hold on the ledger, and `GET /api/join` the address phones in the room join at.
 *
 * Tabs' direct WebRTC links do not pass through the relay (it only carries their signalling), so
 * it lists those its tabs report (`src/net/links/`), and only the ones both ends report.
 */
import { networkInterfaces } from 'node:os'
import type { Connection } from '@libp2p/interface'
import { peerIdFromString } from '@libp2p/peer-id'
import { toAddress } from '../src/core/address.ts'
import type { Chain } from '../src/core/chain.ts'
import { decode } from '../src/core/codec.ts'
import { K, type Neuron, type Subnet } from '../src/core/ledger/schema.ts'
import type { ConnectedPeer, PeerRole } from '../src/participant/demo-client.ts'
import type { createHttp } from './http.ts'
import { joinAddresses } from './join.ts'
import type { RelayP2p } from './p2p.ts'

type App = Awaited<ReturnType<typeof createHttp>>

/** Most peers `/api/network` lists (the ones connected longest first): a screen shows no more. */
export const MAX_LISTED_PEERS = 256

export interface NetworkApiOptions {
  chain: Chain
  /** The relay's libp2p node, once it has started. */
  p2p: () => RelayP2p | undefined
  listenHost: string
  behindProxy: boolean
}

function committed<T> (chain: Chain, key: string): T | undefined {
  const bytes = chain.state.committed(key)
  return bytes === undefined ? undefined : (decode(bytes, Infinity) as T)
}

function hotkeyOf (peerId: string): Uint8Array | null {
  try {
    const id = peerIdFromString(peerId)
    return id.type === 'Ed25519' ? id.publicKey.raw : null
  } catch {
    return null
  }
}

/** The subnets a hotkey is registered on, with its uid and whether it validates there. */
export function rolesOf (chain: Chain, hotkey: Uint8Array): PeerRole[] {
  const { netuids } = committed<{ netuids: number[] }>(chain, K.globals)!
  const roles: PeerRole[] = []
  for (const netuid of netuids) {
    const uid = committed<number>(chain, K.uidOf(netuid, hotkey))
    if (uid === undefined) continue
    const neuron = committed<Neuron>(chain, K.neuron(netuid, uid))
    const subnet = committed<Subnet>(chain, K.subnet(netuid))
    roles.push({ netuid, subnet: subnet?.name ?? String(netuid), uid, validator: neuron?.validatorPermit === true })
  }
  return roles
}

export function connectedPeers (chain: Chain, connections: readonly Connection[], reserved: (peerId: string) => boolean): ConnectedPeer[] {
  const since = new Map<string, number>()
  for (const conn of connections) {
    if (conn.status !== 'open') continue
    const id = conn.remotePeer.toString()
    since.set(id, Math.min(since.get(id) ?? Infinity, conn.timeline.open))
  }
  return [...since].sort((a, b) => a[1] - b[1]).slice(0, MAX_LISTED_PEERS).map(([peerId, opened]) => {
    const key = hotkeyOf(peerId)
    return { peerId, hotkey: key === null ? null : toAddress(key), reserved: reserved(peerId), since: opened, roles: key === null ? [] : rolesOf(chain, key) }
  })
}

export function networkRoutes (app: App, { chain, p2p, listenHost, behindProxy }: NetworkApiOptions): void {
  app.get('/api/network', async (_req, reply) => {
    const started = p2p()
    if (started === undefined) return reply.status(503).send({ error: 'P2P_STARTING', message: 'The relay\'s peer-to-peer node is starting; try again in a moment.' })
    const { node } = started
    const reservations = node.services.relay.reservations
    const peers = connectedPeers(chain, node.getConnections(), id => reservations.has(peerIdFromString(id)))
    const links = started.links.links(new Set(peers.map(p => p.peerId)))
    return { height: chain.height, relay: { peerId: node.peerId.toString() }, peers, links }
  })

  app.get('/api/join', async req => {
    const address = app.server.address()
    const port = typeof address === 'object' && address !== null ? address.port : 80
    return joinAddresses({ listenHost, port, interfaces: networkInterfaces(), requestOrigin: `${req.protocol}://${req.host}`, behindProxy })
  })
}
