/**
 * The tab's place in the peer-to-peer network as the page shows it. Starting asks the relay for
 * its libp2p addresses (`/api/p2p`) and starts the tab's libp2p node (loaded on demand, so the
 * rest of the page never waits for it); the node then keeps its relay connection and peers up by
 * itself, and this session only reads its counts once a second.
 *
 * Nothing here may break the page: a relay without `/api/p2p`, a node that fails to start or a
 * browser without WebRTC leaves the session "offline" with a sentence saying why, and it tries
 * again later with backoff.
 *
 * The node keeps the blocks it fetches in the tab's IndexedDB cache (memory when the browser
 * refuses IndexedDB), so a bundle fetched once is served to peers and survives a reload.
 *
 * The node's identity is a hotkey made for this page load until the tab mines or validates: then
 * it restarts as the wallet's hotkey (`restartAs`), so validators can dial it by the hotkey the
 * metagraph names. A wallet's hotkeys need the wallet unlocked, and two tabs of one wallet must not
 * share a peer id, which is why a browsing tab does not use one. The node joins the gossip of the
 * chain whose genesis the relay serves (trust on first use, as the light client does: the chain id
 * must be the hash of that genesis), and serves ledger sync from the tab's light client.
 *
 * For the light client it names the ledger-sync peers to ask (`ledgerPeers`): a few directly
 * connected tabs, taken in turn, then the relay's connection. A peer caught lying is not asked
 * again while the page lives.
 */
import { chainIdOf, genesisFromJson } from '../core/genesis.ts'
import { toHex } from '../core/hash.ts'
import { randomKeypair, type Keypair } from '../core/keys.ts'
import { Backoff } from '../net/backoff.ts'
import type { BlockExchange, BlockStore, FetchProgress } from '../net/block-exchange/index.ts'
import type { PeerView, TabNode, TabNodeInit } from '../net/index.ts'
import { LedgerSyncError } from '../net/ledger-sync/errors.ts'
import { RelayError } from './errors.ts'
import type { LedgerPeer, LightSync } from './light-sync.ts'
import type { RelayClient } from './relay-client.ts'

/** How often the node's counts are read, in milliseconds. */
export const NETWORK_POLL_MS = 1_000

/** Span the gossip rate is averaged over, in milliseconds: long enough that one block's header more or less does not make it jump. */
export const GOSSIP_RATE_WINDOW_MS = 5_000

/** Directly connected tabs asked for ledger sync before the relay, per sync: enough to find one that is up to date. */
export const LEDGER_TAB_PEERS = 2

/** Most peers remembered as having lied over ledger sync (a tab opens at most a few hundred connections in its life). */
const MAX_DISTRUSTED = 256

export type NetworkStatus =
  /** Asking the relay where to connect. */
  | 'starting'
  /** No node: the relay has no peer-to-peer endpoint, or the node could not start. */
  | 'offline'
  /** The node runs but holds no relay connection (it is redialing). */
  | 'connecting'
  | 'online'

export type StartNode = (init: TabNodeInit) => Promise<Pick<TabNode, 'stats' | 'stop'> & Partial<Pick<TabNode, 'blocks' | 'libp2p' | 'gossip'>>>

export interface NetworkSessionDeps {
  relay: Pick<RelayClient, 'getP2p' | 'getGenesis'>
  startNode?: StartNode
  hotkey?: Keypair
  pollMs?: number
  /** The tab's light client: the node serves what it verified and offers it the headers heard on gossip; the page shows where headers came from. */
  light?: Pick<LightSync, 'source' | 'stats' | 'offer'>
}

/** The tab's IndexedDB block cache; none (the node keeps blocks in memory) when the browser refuses IndexedDB. */
async function openBlockCache (): Promise<BlockStore | undefined> {
  const { IdbBlockStore } = await import('../net/block-exchange/idb-store.ts')
  return await IdbBlockStore.open().catch(() => undefined)
}

const loadAndStart: StartNode = async options => {
  const init: TabNodeInit = { blockStore: await openBlockCache(), ...options }
  const { createTabNode, installTestHook } = await import('../net/index.ts')
  const node = await createTabNode(init)
  installTestHook(node)
  return node
}

/** The chain the relay serves: its id, checked against the genesis, and its block producer. */
async function chainOf (relay: Pick<RelayClient, 'getGenesis'>): Promise<NonNullable<TabNodeInit['chain']>> {
  const { chainId, genesis } = await relay.getGenesis()
  const spec = genesisFromJson(genesis)
  const id = chainIdOf(spec)
  if (toHex(id) !== chainId) throw new RelayError('BAD_RESPONSE', 'The relay sent a genesis whose hash is not the chain id it claims.')
  return { chainId: id, producer: spec.producer }
}

export class NetworkSession {
  status = $state<NetworkStatus>('starting')
  /** Why the session is offline. */
  error = $state<string | null>(null)
  peerId = $state<string | null>(null)
  relays = $state(0)
  /** Whether other tabs can reach this one through a relay. */
  reachable = $state(false)
  direct = $state(0)
  relayed = $state(0)
  peers = $state<PeerView[]>([])
  /** Bytes of blocks this tab has served to peers, and fetched from peers and relays. */
  bytesServed = $state(0)
  bytesFetched = $state(0)
  /** The bundle fetch in progress, if any. */
  download = $state<FetchProgress | null>(null)
  /** Gossip messages received, published and rejected since the node started. */
  gossipIn = $state(0)
  gossipOut = $state(0)
  gossipRejected = $state(0)
  /** Gossip messages in and out per second, over the last `GOSSIP_RATE_WINDOW_MS`. */
  gossipRate = $state(0)
  /** Headers the light client verified, by where they came from, and headers this tab served to other tabs. */
  headersFromGossip = $state(0)
  headersFromTabs = $state(0)
  headersFromRelay = $state(0)
  headersOverHttp = $state(0)
  headersServed = $state(0)
  /** The tab that last gave this tab headers. */
  lastLedgerTab = $state<string | null>(null)

  readonly #deps: NetworkSessionDeps
  readonly #retry = new Backoff()
  #node: Awaited<ReturnType<StartNode>> | null = null
  /** Peer id of the relay the node was started with (the last `/p2p/` of its first address). */
  #relayPeer: string | undefined
  #relayAddrs: readonly string[] = []
  #hotkey: Keypair | undefined
  #timer: ReturnType<typeof setTimeout> | undefined
  #stopped = true
  /** Counts starts: a start still connecting when a later one began (a restart as the wallet's hotkey) drops its node. */
  #generation = 0
  /** Recent (time, messages in and out) readings, oldest first, spanning about the rate window. */
  #gossipReadings: Array<{ at: number, total: number }> = []
  readonly #distrusted = new Set<string>()
  #ledgerTurn = 0

  constructor (deps: NetworkSessionDeps) {
    this.#deps = deps
    this.#hotkey = deps.hotkey
  }

  start (): void {
    if (!this.#stopped) return
    this.#stopped = false
    void this.#connect(++this.#generation)
  }

  /** The node's block exchange (fetch, publish, read bundles) once it runs. */
  get blocks (): BlockExchange | undefined {
    return this.#node?.blocks
  }

  /** The running node (its libp2p and gossip), for the miner and validator roles. */
  get node (): Awaited<ReturnType<StartNode>> | null {
    return this.#node
  }

  /** The relay addresses the node was started with. */
  get relayAddrs (): readonly string[] {
    return this.#relayAddrs
  }

  /**
   * Restarts the node with `hotkey` as its identity: a miner or validator is reached by the peer
   * id of the hotkey registered on the subnet.
   */
  async restartAs (hotkey: Keypair): Promise<void> {
    this.#hotkey = hotkey
    await this.stop()
    this.start()
  }

  /**
   * Whom the light client asks for ledger sync now: up to `LEDGER_TAB_PEERS` directly connected
   * tabs (a different few each time), then the relay's connection; none unless online.
   */
  ledgerPeers (): LedgerPeer[] {
    const libp2p = this.#node?.libp2p
    if (this.status !== 'online' || libp2p === undefined) return []
    const direct = new Set(this.peers.filter(p => p.kind === 'direct').map(p => p.peerId))
    const tabs: LedgerPeer[] = []
    let relay: LedgerPeer | undefined
    for (const connection of libp2p.getConnections()) {
      const peerId = connection.remotePeer.toString()
      if (connection.status !== 'open' || connection.limits != null || this.#distrusted.has(peerId)) continue
      if (peerId === this.#relayPeer) relay ??= { peerId, kind: 'relay', connection }
      else if (direct.has(peerId) && !tabs.some(t => t.peerId === peerId)) tabs.push({ peerId, kind: 'tab', connection })
    }
    const turn = tabs.length === 0 ? 0 : this.#ledgerTurn++ % tabs.length
    const chosen = [...tabs.slice(turn), ...tabs.slice(0, turn)].slice(0, LEDGER_TAB_PEERS)
    return relay === undefined ? chosen : [...chosen, relay]
  }

  /** The light client's report of a ledger-sync peer that failed: one that lied is not asked again. */
  ledgerPeerFailed (err: unknown, peer: Pick<LedgerPeer, 'peerId'>): void {
    if (!(err instanceof LedgerSyncError) || !err.misbehaved) return
    if (this.#distrusted.size >= MAX_DISTRUSTED) this.#distrusted.delete(this.#distrusted.values().next().value!)
    this.#distrusted.add(peer.peerId)
  }

  async stop (): Promise<void> {
    this.#stopped = true
    clearTimeout(this.#timer)
    const node = this.#node
    this.#node = null
    await node?.stop().catch(() => {})
  }

  async #connect (generation: number): Promise<void> {
    const superseded = (): boolean => this.#stopped || generation !== this.#generation
    try {
      const info = await this.#deps.relay.getP2p()
      if (info.addrs.length === 0) throw new RelayError('BAD_RESPONSE', 'The relay gave no address this page can reach it at.')
      const chain = await chainOf(this.#deps.relay)
      this.#relayPeer = info.addrs[0]!.split('/p2p/').at(-1)
      this.#relayAddrs = info.addrs
      const node = await (this.#deps.startNode ?? loadAndStart)({ hotkey: this.#hotkey ?? randomKeypair(), relayAddrs: info.addrs, chain, ledger: this.#deps.light?.source })
      // Else the node of an earlier start could win the race and keep running beside this one.
      if (superseded()) {
        await node.stop()
        return
      }
      this.#node = node
      this.#gossipReadings = []
      node.blocks?.addEventListener('progress', this.#onProgress)
      const light = this.#deps.light
      if (light !== undefined) node.gossip?.subscribe('headers', message => { void light.offer(message.value) })
      this.#retry.succeeded()
      this.error = null
      this.#poll()
    } catch (err) {
      if (superseded()) return
      this.status = 'offline'
      this.error = offlineReason(err)
      this.#timer = setTimeout(() => { void this.#connect(generation) }, this.#retry.failed(Date.now()))
    }
  }

  readonly #poll = (): void => {
    if (this.#stopped || this.#node === null) return
    const stats = this.#node.stats()
    this.peerId = stats.peerId
    this.relays = stats.relays
    this.reachable = stats.reachable
    this.direct = stats.direct
    this.relayed = stats.relayed
    this.peers = stats.peers
    this.bytesServed = stats.blocks?.servedBytes ?? 0
    this.bytesFetched = stats.blocks?.fetchedBytes ?? 0
    if (stats.gossip !== undefined) this.#readGossip(stats.gossip.in, stats.gossip.out, stats.gossip.rejected)
    this.headersServed = stats.ledger?.headers ?? 0
    const light = this.#deps.light?.stats()
    if (light !== undefined) {
      this.headersFromGossip = light.headers.gossip
      this.headersFromTabs = light.headers.tab
      this.headersFromRelay = light.headers.relay
      this.headersOverHttp = light.headers.http
      this.lastLedgerTab = light.lastTab
    }
    this.status = stats.relays > 0 ? 'online' : 'connecting'
    this.#timer = setTimeout(this.#poll, this.#deps.pollMs ?? NETWORK_POLL_MS)
  }

  readonly #onProgress = (event: CustomEvent<FetchProgress>): void => {
    this.download = event.detail.bytesDone < event.detail.bytesTotal ? event.detail : null
  }

  #readGossip (received: number, published: number, rejected: number): void {
    const now = Date.now()
    const readings = this.#gossipReadings
    readings.push({ at: now, total: received + published })
    while (readings.length > 2 && now - readings[1]!.at >= GOSSIP_RATE_WINDOW_MS) readings.shift()
    const first = readings[0]!
    this.gossipRate = now > first.at ? (received + published - first.total) / ((now - first.at) / 1000) : 0
    this.gossipIn = received
    this.gossipOut = published
    this.gossipRejected = rejected
  }
}

/** One sentence on why the tab is not on the peer-to-peer network. */
export function offlineReason (err: unknown): string {
  if (err instanceof RelayError) {
    return err.status === 404 ? 'This relay has no peer-to-peer endpoint; the page works without it.' : err.message
  }
  const detail = err instanceof Error ? err.message : String(err)
  return `This tab's network node could not start (${detail}); it will try again.`
}
