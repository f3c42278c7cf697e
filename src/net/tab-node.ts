/**
 * A tab's libp2p node, identified by its hotkey: WebSockets to reach the relays, circuit relay
 * v2 to be reachable through them, WebRTC for direct connections to other tabs, noise, yamux,
 * identify, ping and gossipsub. One maintenance loop keeps the relays connected (redialing with
 * backoff), announces the tab's relay addresses, asks a relay it (re)connects to for the peers it
 * knows, keeps up to `maxDirectPeers` direct peers, tells its relays which ones (`links/`) and
 * announces the bundles it holds. Given its chain, it also joins the chain's
 * application gossip (`gossip`), listening to new block headers; given a ledger source (its light
 * client), it serves ledger sync to the tabs it is directly connected to.
 */
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { circuitRelayTransport } from '@libp2p/circuit-relay-v2'
import { gossipsub, type GossipSub } from '@libp2p/gossipsub'
import { identify, type Identify } from '@libp2p/identify'
import type { Connection, Libp2p } from '@libp2p/interface'
import { ping, type Ping } from '@libp2p/ping'
import { webRTC } from '@libp2p/webrtc'
import { webSockets } from '@libp2p/websockets'
import { multiaddr, type Multiaddr } from '@multiformats/multiaddr'
import { WebRTC } from '@multiformats/multiaddr-matcher'
import { createLibp2p } from 'libp2p'
import type { Keypair } from '../core/keys.ts'
import { peerIdOf, type ConnectionKind } from './addresses.ts'
import { DEFAULT_ICE_SERVERS, DIAL_TIMEOUT_MS, MAINTENANCE_INTERVAL_MS, MAX_CONNECTIONS, MAX_DIRECT_PEERS, WEBRTC_MAX_BUFFERED_BYTES, WEBRTC_MAX_MESSAGE_BYTES } from './constants.ts'
import { BlockExchange, MemoryBlockStore, ProviderAnnouncements, type BlockStore } from './block-exchange/index.ts'
import { DirectPeers, peerKinds } from './direct-peers.ts'
import { PeerDiscovery } from './discovery/index.ts'
import { InvalidRelayAddressError } from './errors.ts'
import { handleLedgerSync, type LedgerServeStats, type LedgerSource } from './ledger-sync/index.ts'
import { LinkReporter } from './links/index.ts'
import { tabConnectionGater } from './gater.ts'
import { GossipHub, gossipsubOptions, type GossipStats } from './gossip/index.ts'
import { libp2pKeyOf } from './identity.ts'
import { RelayLinks } from './relay-links.ts'

// A type alias, not an interface: libp2p's ServiceMap needs an index signature.
export type TabServices = {
  identify: Identify
  ping: Ping
  pubsub: GossipSub
}

export interface TabNodeInit {
  /** The tab's hotkey; its ed25519 secret is the libp2p identity. */
  hotkey: Keypair
  /** Relays to reach the network through, each ending with `/p2p/<relay peer id>`. */
  relayAddrs: ReadonlyArray<string | Multiaddr>
  /** WebRTC settings; by default no STUN or TURN server (host candidates only). */
  rtcConfiguration?: RTCConfiguration
  maxDirectPeers?: number
  /** Where the tab keeps the blocks it fetches and serves (a page's IndexedDB cache); memory by default. */
  blockStore?: BlockStore
  /** The chain whose gossip the tab joins: its id and its block producer (from the genesis). */
  chain?: { chainId: Uint8Array, producer: Uint8Array }
  /** What the tab answers ledger-sync requests from: what its light client verified (`lightClientSource`). */
  ledger?: LedgerSource
}

export interface PeerView {
  peerId: string
  kind: ConnectionKind
}

export interface NetworkStats {
  peerId: string
  /** Relays this tab holds a connection to. */
  relays: number
  /** Whether other tabs can reach this one: it holds a relay reservation with a WebRTC address. */
  reachable: boolean
  /** Peers (relays excluded) connected over direct WebRTC. */
  direct: number
  /** Peers (relays excluded) connected only through a relay. */
  relayed: number
  peers: PeerView[]
  /** Bytes of blocks this tab has served to peers and fetched from peers and relays. */
  blocks?: { servedBytes: number, fetchedBytes: number }
  /** Application gossip counters, when the tab joined its chain's gossip. */
  gossip?: GossipStats
  /** What this tab has served over ledger sync, when it serves it. */
  ledger?: LedgerServeStats
}

export interface TabNode {
  readonly libp2p: Libp2p<TabServices>
  readonly discovery: PeerDiscovery
  /** The chain's application gossip; undefined when the node was started without a chain. */
  readonly gossip: GossipHub | undefined
  /** Block exchange: serves what the tab's block store holds, fetches bundles from peers. */
  readonly blocks: BlockExchange
  /** Which peers announced which bundles, and this tab's own announcements. */
  readonly providers: ProviderAnnouncements
  stats (): NetworkStats
  stop (): Promise<void>
}

export async function createTabNode (init: TabNodeInit): Promise<TabNode> {
  const relayAddrs = init.relayAddrs.map(a => {
    try {
      return typeof a === 'string' ? multiaddr(a) : a
    } catch {
      throw new InvalidRelayAddressError(`"${String(a)}" is not a multiaddr; the relay's /api/p2p gives the addresses to use.`)
    }
  })
  if (relayAddrs.length === 0) throw new InvalidRelayAddressError('A tab node needs at least one relay address.')
  const libp2p = await createLibp2p<TabServices>({
    privateKey: await libp2pKeyOf(init.hotkey),
    addresses: { listen: ['/p2p-circuit', '/webrtc'] },
    transports: [
      webSockets(),
      webRTC({ rtcConfiguration: init.rtcConfiguration ?? { iceServers: DEFAULT_ICE_SERVERS }, dataChannel: { maxMessageSize: WEBRTC_MAX_MESSAGE_BYTES, maxBufferedAmount: WEBRTC_MAX_BUFFERED_BYTES } }),
      circuitRelayTransport()
    ],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    connectionGater: tabConnectionGater(relayAddrs),
    connectionManager: { maxConnections: MAX_CONNECTIONS, dialTimeout: DIAL_TIMEOUT_MS },
    services: {
      identify: identify(),
      ping: ping(),
      pubsub: gossipsub({
        allowPublishToZeroTopicPeers: true,
        emitSelf: false,
        ...gossipsubOptions({ chainId: init.chain?.chainId, trusted: relayAddrs.map(peerIdOf).filter(id => id !== undefined) })
      })
    }
  })
  return await TabNodeImpl.start(libp2p, relayAddrs, init)
}

class TabNodeImpl implements TabNode {
  readonly libp2p: Libp2p<TabServices>
  readonly discovery: PeerDiscovery
  readonly gossip: GossipHub | undefined
  readonly blocks: BlockExchange
  readonly providers: ProviderAnnouncements
  readonly #relays: RelayLinks
  readonly #direct: DirectPeers
  readonly #links: LinkReporter
  readonly #relayIds: ReadonlySet<string>
  #timer: ReturnType<typeof setInterval> | undefined
  #tickQueued = false
  #ledgerServed: LedgerServeStats | undefined

  private constructor (libp2p: Libp2p<TabServices>, relayAddrs: Multiaddr[], init: TabNodeInit) {
    this.libp2p = libp2p
    this.discovery = new PeerDiscovery(libp2p, { announce: true, serve: false })
    this.#relays = new RelayLinks(libp2p, relayAddrs, { onConnect: conn => { this.#onRelayConnect(conn) } })
    const relayIds = this.#relays.peerIds.map(id => id.toString())
    this.#relayIds = new Set(relayIds)
    this.#links = new LinkReporter(libp2p, () => this.#relayIds)
    this.#direct = new DirectPeers(libp2p, this.discovery.book, {
      maxDirect: init.maxDirectPeers ?? MAX_DIRECT_PEERS,
      exclude: () => relayIds,
      // Announced holders of a bundle being fetched are worth a direct connection of their own.
      prefer: () => new Set(this.blocks.fetching().flatMap(cid => this.providers.providers(cid)))
    })
    this.providers = new ProviderAnnouncements(libp2p, { held: () => this.blocks.held() })
    this.blocks = new BlockExchange({ libp2p, store: init.blockStore ?? new MemoryBlockStore() }, { relays: () => relayIds, providers: cid => this.providers.providers(cid) })
    if (init.chain !== undefined) this.gossip = new GossipHub(libp2p, { ...init.chain, key: init.hotkey })
  }

  static async start (libp2p: Libp2p<TabServices>, relayAddrs: Multiaddr[], init: TabNodeInit): Promise<TabNodeImpl> {
    const node = new TabNodeImpl(libp2p, relayAddrs, init)
    await node.discovery.start()
    await node.blocks.start()
    node.providers.start()
    if (init.ledger !== undefined) node.#ledgerServed = await handleLedgerSync(libp2p, init.ledger)
    node.gossip?.join('headers')
    node.discovery.addEventListener('peer', node.#queueTick)
    node.blocks.addEventListener('held', node.#queueTick)
    libp2p.addEventListener('self:peer:update', node.#queueTick)
    libp2p.addEventListener('connection:close', node.#queueTick)
    node.#timer = setInterval(node.#tick, MAINTENANCE_INTERVAL_MS)
    node.#tick()
    return node
  }

  stats (): NetworkStats {
    const relayIds = new Set(this.#relays.peerIds.map(id => id.toString()))
    const { served, fetched } = this.blocks.stats()
    const peers: PeerView[] = []
    for (const [peerId, kind] of peerKinds(this.libp2p.getConnections())) {
      if (!relayIds.has(peerId) && kind !== 'other') peers.push({ peerId, kind })
    }
    return {
      peerId: this.libp2p.peerId.toString(),
      blocks: { servedBytes: served.bytes, fetchedBytes: fetched.bytes },
      relays: this.#relays.connected(),
      reachable: this.discovery.ownAddrs().some(ma => WebRTC.exactMatch(ma)),
      direct: peers.filter(p => p.kind === 'direct').length,
      relayed: peers.filter(p => p.kind === 'relayed').length,
      peers,
      gossip: this.gossip?.stats(),
      ledger: this.#ledgerServed === undefined ? undefined : { ...this.#ledgerServed }
    }
  }

  async stop (): Promise<void> {
    clearInterval(this.#timer)
    this.discovery.removeEventListener('peer', this.#queueTick)
    this.blocks.removeEventListener('held', this.#queueTick)
    this.libp2p.removeEventListener('self:peer:update', this.#queueTick)
    this.libp2p.removeEventListener('connection:close', this.#queueTick)
    await this.blocks.stop()
    this.providers.stop()
    this.gossip?.stop()
    await this.discovery.stop()
    await this.libp2p.stop()
  }

  readonly #tick = (): void => {
    this.#tickQueued = false
    if (this.libp2p.status !== 'started') return
    this.#relays.tick()
    this.#direct.tick()
    this.#links.tick([...peerKinds(this.libp2p.getConnections())].filter(([id, kind]) => kind === 'direct' && !this.#relayIds.has(id)).map(([id]) => id))
    this.discovery.maybeAnnounce().catch(() => {})
    this.providers.maybeAnnounce().catch(() => {})
  }

  /** Runs the maintenance soon after an event that may call for a dial or an announcement. */
  readonly #queueTick = (): void => {
    if (this.#tickQueued) return
    this.#tickQueued = true
    setTimeout(this.#tick, 0)
  }

  #onRelayConnect (connection: Connection): void {
    this.discovery.reannounce()
    this.discovery.exchange(connection).then(this.#queueTick, () => {})
  }
}
