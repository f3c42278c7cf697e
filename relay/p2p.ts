/**
 * The relay's libp2p node, in the same process as the ledger: WebSockets at the page's origin
 * (see `p2p/origin-websockets.ts`), a circuit relay v2 server sized for hundreds of tabs, identify,
 * ping and gossipsub. It hears the tabs' peer announcements and answers peer exchanges from them,
 * checks and forwards their provider announcements, keeps their reports of direct links
 * (`p2p/links.ts`), and it stays connected to the other relays it is told to peer with, redialing
 * with backoff. Its application gossip (`gossip`) signs with the relay's libp2p key.
 */
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { circuitRelayServer, type CircuitRelayService } from '@libp2p/circuit-relay-v2'
import { gossipsub, type GossipSub } from '@libp2p/gossipsub'
import { identify, type Identify } from '@libp2p/identify'
import type { Libp2p } from '@libp2p/interface'
import { ping, type Ping } from '@libp2p/ping'
import { multiaddr, type Multiaddr } from '@multiformats/multiaddr'
import { createLibp2p } from 'libp2p'
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Logger } from 'pino'
import { keypairFromSecret } from '../src/core/keys.ts'
import { peerIdOf } from '../src/net/addresses.ts'
import { MAINTENANCE_INTERVAL_MS } from '../src/net/constants.ts'
import { ProviderAnnouncements } from '../src/net/block-exchange/announcements.ts'
import { PeerDiscovery } from '../src/net/discovery/index.ts'
import { GossipHub, gossipsubOptions, type GossipVerdictEvent } from '../src/net/gossip/index.ts'
import { RelayLinks } from '../src/net/relay-links.ts'
import { originMultiaddr, type PageOrigin } from './p2p/addresses.ts'
import {
  INBOUND_CONNECTIONS_PER_HOST_PER_SECOND, MAX_CONNECTIONS, MAX_INBOUND_HOP_STREAMS, MAX_INCOMING_PENDING_CONNECTIONS, MAX_OUTBOUND_STOP_STREAMS,
  MAX_RESERVATIONS, RELAYED_DATA_LIMIT_BYTES, RELAYED_DURATION_LIMIT_MS, RESERVATION_TTL_MS
} from './p2p/constants.ts'
import { loadP2pKey } from './p2p/identity.ts'
import { serveLinkReports, type LinkBook } from './p2p/links.ts'
import { originWebSockets } from './p2p/origin-websockets.ts'
import { nodeVerifier } from './verifier.ts'

// A type alias, not an interface: libp2p's ServiceMap needs an index signature.
export type RelayServices = {
  identify: Identify
  ping: Ping
  pubsub: GossipSub
  relay: CircuitRelayService
}

export interface RelayP2pOptions {
  /** The listening HTTP server of the page and API; WebSocket upgrades at `/` become libp2p connections. */
  server: Server
  dataDir: string
  /** Other relays to peer with, each a multiaddr ending with `/p2p/<peer id>`. */
  peers: readonly string[]
  /** The chain whose gossip the relay joins: its id and its block producer. */
  chain: { chainId: Uint8Array, producer: Uint8Array }
  log: Logger
  /** Told the verdict on every gossip message received (for the relay's metrics). */
  onGossipVerdict?: (verdict: GossipVerdictEvent) => void
}

export interface RelayP2p {
  node: Libp2p<RelayServices>
  discovery: PeerDiscovery
  gossip: GossipHub
  /** Each connected tab's latest report of its direct peers. */
  links: LinkBook
  /** `{peerId, addrs}` for a page at `origin`: the addresses a browser there dials. */
  info (origin: PageOrigin): { peerId: string, addrs: string[] }
  close (): Promise<void>
}

function parsePeers (peers: readonly string[]): Multiaddr[] {
  return peers.map(p => {
    try {
      return multiaddr(p)
    } catch {
      throw new Error(`The peer relay address "${p}" is not a multiaddr; give one like /dns/relay.example/tcp/443/tls/ws/p2p/12D3KooW….`)
    }
  })
}

export async function startP2p ({ server, dataDir, peers, chain, log, onGossipVerdict }: RelayP2pOptions): Promise<RelayP2p> {
  const address = server.address() as AddressInfo | null
  if (address === null || typeof address !== 'object') throw new Error('The HTTP server must listen before the relay\'s libp2p node starts.')
  const peerAddrs = parsePeers(peers)
  const privateKey = await loadP2pKey(dataDir)
  const node = await createLibp2p<RelayServices>({
    privateKey,
    addresses: { listen: [`/${address.family === 'IPv6' ? 'ip6' : 'ip4'}/${address.address}/tcp/${address.port}/ws`] },
    transports: [originWebSockets({ server })],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    connectionManager: {
      maxConnections: MAX_CONNECTIONS,
      inboundConnectionThreshold: INBOUND_CONNECTIONS_PER_HOST_PER_SECOND,
      maxIncomingPendingConnections: MAX_INCOMING_PENDING_CONNECTIONS
    },
    services: {
      identify: identify(),
      ping: ping(),
      pubsub: gossipsub({
        allowPublishToZeroTopicPeers: true,
        emitSelf: false,
        ...gossipsubOptions({ chainId: chain.chainId, trusted: peerAddrs.map(peerIdOf).filter(id => id !== undefined) })
      }),
      relay: circuitRelayServer({
        maxInboundHopStreams: MAX_INBOUND_HOP_STREAMS,
        maxOutboundStopStreams: MAX_OUTBOUND_STOP_STREAMS,
        reservations: {
          maxReservations: MAX_RESERVATIONS,
          reservationTtl: RESERVATION_TTL_MS,
          defaultDurationLimit: RELAYED_DURATION_LIMIT_MS,
          defaultDataLimit: RELAYED_DATA_LIMIT_BYTES
        }
      })
    }
  })
  const discovery = new PeerDiscovery(node, { announce: false, serve: true })
  await discovery.start()
  // The relay announces nothing (tabs ask it last anyway) but checks and forwards the tabs' announcements.
  const providers = new ProviderAnnouncements(node)
  providers.start()
  const gossip = new GossipHub(node, {
    ...chain,
    key: keypairFromSecret(privateKey.raw.subarray(0, 32)),
    verifier: nodeVerifier(),
    onHandlerError: err => { log.error({ err }, 'a gossip handler failed') },
    onVerdict: onGossipVerdict
  })
  const reports = await serveLinkReports(node)
  const relayLinks = new RelayLinks(node, peerAddrs, {
    onConnect: conn => { log.info({ peer: conn.remotePeer.toString() }, 'connected to a peer relay') }
  })
  const timer = setInterval(() => { relayLinks.tick() }, MAINTENANCE_INTERVAL_MS)
  relayLinks.tick()
  const peerId = node.peerId.toString()
  log.info({ peerId, addrs: node.getMultiaddrs().map(ma => ma.toString()), peers: peers.length }, 'libp2p relay started')

  return {
    node,
    discovery,
    gossip,
    links: reports.book,
    info (origin) {
      const addr = originMultiaddr(origin)
      return { peerId, addrs: addr === undefined ? [] : [`${addr}/p2p/${peerId}`] }
    },
    async close () {
      clearInterval(timer)
      await reports.stop()
      gossip.stop()
      providers.stop()
      await discovery.stop()
      await node.stop()
    }
  }
}
