/**
 * Block exchange: content-addressed bundles fetched from peers over `/tabtensor/blocks/1.0.0`.
 * One `BlockExchange` per node serves what its store holds and fetches bundles into it. It asks
 * the peers it is connected to without limits: tabs over direct WebRTC connections first (those
 * that announced the bundle before the others, see `announcements.ts`), the relays (over their
 * WebSocket) only for blocks no tab holds. Relayed tab-to-tab connections are never used: the
 * relay caps them at a megabyte, which is for signalling. It keeps the list of bundles it holds
 * in full (`held`), for the tab to announce.
 */
import { TypedEventEmitter, type Connection, type Libp2p } from '@libp2p/interface'
import { CID } from 'multiformats/cid'
import { connectionKind } from '../addresses.ts'
import { assembleBundle, buildBundle, decodeManifest, type BuildOptions } from './bundle.ts'
import { connectionSource, type BlockSource } from './client.ts'
import { BLOCKS_PROTOCOL, BLOCKS_PROTOCOL_ONE_REQUEST, MAX_ANNOUNCED_BUNDLES, MAX_INBOUND_STREAMS_PER_PEER, MAX_OUTBOUND_STREAMS_PER_PEER, PROGRESS_INTERVAL_MS } from './constants.ts'
import { BlockCacheError, InvalidManifestError } from './errors.ts'
import { Fetcher, type FetcherTimings, type FetchOptions, type FetchProgress, type FetchResult } from './fetcher.ts'
import { PeerScores } from './scores.ts'
import { BlockServer } from './server.ts'
import { TrafficCounter, type BlockExchangeStats } from './stats.ts'
import type { BlockStore } from './store.ts'

export { BLOCKS_PROTOCOL, DEFAULT_CHUNK_BYTES, MAX_BLOCK_BYTES, PROVIDERS_TOPIC } from './constants.ts'
export { ProviderAnnouncements } from './announcements.ts'
export { buildBundle, decodeManifest, encodeManifest, type Block, type Bundle, type Manifest } from './bundle.ts'
export { BlockExchangeError, type BlockErrorCode } from './errors.ts'
export type { FetchProgress, FetchResult } from './fetcher.ts'
export type { BlockExchangeStats } from './stats.ts'
export { MemoryBlockStore, type BlockStore } from './store.ts'
export type { BlockServerTestHooks } from './server.ts'

export interface BlockExchangeComponents {
  libp2p: Pick<Libp2p, 'handle' | 'unhandle' | 'getConnections'>
  store: BlockStore
}

export interface BlockExchangeInit {
  /** Peer ids of the relays this node knows: their connections are the seeds of last resort. */
  relays?: () => readonly string[]
  /** Peers that announced holding a bundle (by its manifest CID): asked before the other tabs. */
  providers?: (cid: CID) => readonly string[]
  timings?: Partial<FetcherTimings>
}

export interface BlockExchangeEvents {
  /** A fetch made progress: at most every `PROGRESS_INTERVAL_MS`, and when it has every block. */
  progress: CustomEvent<FetchProgress>
  /** The bundles this node holds in full changed (one was published or fetched). */
  held: CustomEvent<CID>
}

export class BlockExchange extends TypedEventEmitter<BlockExchangeEvents> {
  readonly store: BlockStore
  readonly server: BlockServer
  readonly scores = new PeerScores()
  readonly #libp2p: BlockExchangeComponents['libp2p']
  readonly #relays: () => readonly string[]
  readonly #traffic = new TrafficCounter()
  readonly #fetcher: Fetcher
  readonly #fetching = new Map<string, Promise<FetchResult>>()
  readonly #sources = new WeakMap<Connection, BlockSource>()
  /** Manifest CIDs of the bundles held in full, most recent first. */
  #held: CID[] = []

  constructor (components: BlockExchangeComponents, init: BlockExchangeInit = {}) {
    super()
    this.#libp2p = components.libp2p
    this.store = components.store
    this.#relays = init.relays ?? (() => [])
    this.server = new BlockServer({ store: this.store, traffic: this.#traffic })
    this.#fetcher = new Fetcher({ store: this.store, sources: () => this.sources(), providers: init.providers, scores: this.scores, traffic: this.#traffic, timings: init.timings })
  }

  async start (): Promise<void> {
    await this.#libp2p.handle([BLOCKS_PROTOCOL, BLOCKS_PROTOCOL_ONE_REQUEST], (stream, connection) => { void this.server.serve(stream, connection.remotePeer.toString()) }, {
      maxInboundStreams: MAX_INBOUND_STREAMS_PER_PEER,
      maxOutboundStreams: MAX_OUTBOUND_STREAMS_PER_PEER,
      runOnLimitedConnection: false
    })
    await this.#restoreHeld()
  }

  async stop (): Promise<void> {
    await this.#libp2p.unhandle([BLOCKS_PROTOCOL, BLOCKS_PROTOCOL_ONE_REQUEST])
  }

  stats (): BlockExchangeStats {
    return this.#traffic.snapshot()
  }

  /** Manifest CIDs (as strings) of the bundles being fetched now. */
  fetching (): string[] {
    return [...this.#fetching.keys()]
  }

  /** Manifest CIDs of the bundles this node holds in full, most recent first (at most `MAX_ANNOUNCED_BUNDLES`): published or fetched since it started, and those its store held in full from before (a reload). */
  held (): CID[] {
    return [...this.#held]
  }

  /** Builds a bundle from `bytes` and keeps its blocks, so that this node serves it; returns its manifest CID. */
  async publish (bytes: Uint8Array, options: BuildOptions): Promise<CID> {
    const bundle = await buildBundle(bytes, options)
    // Put together, so that a store that packs blocks writes them in a few large records; the manifest last.
    const chunks = Promise.all(bundle.chunks.map(async chunk => { await this.store.put(chunk.cid, chunk.bytes) }))
    this.store.flush?.()
    await chunks
    await this.store.put(bundle.cid, bundle.manifestBytes)
    this.store.flush?.()
    this.#hold(bundle.cid)
    return bundle.cid
  }

  /** Fetches the bundle `cid` names into the store (what is there already is not fetched again). */
  async fetch (cid: CID | string, options: FetchOptions = {}): Promise<FetchResult> {
    const id = parseCid(cid)
    const key = id.toString()
    let running = this.#fetching.get(key)
    if (running === undefined) {
      let dispatchedAt = Number.NEGATIVE_INFINITY
      const onProgress = (p: FetchProgress): void => {
        const now = performance.now()
        if (now - dispatchedAt >= PROGRESS_INTERVAL_MS || p.bytesDone === p.bytesTotal) {
          dispatchedAt = now
          this.safeDispatchEvent('progress', { detail: p })
        }
        options.onProgress?.(p)
      }
      running = this.#fetcher.fetch(id, { ...options, onProgress }).finally(() => { this.#fetching.delete(key) })
      running.then(() => { this.#hold(id) }, () => {})
      this.#fetching.set(key, running)
    }
    return await running
  }

  /** The bundle's bytes from the store, every chunk checked again; throws NOT_IN_CACHE if a block is missing. */
  async read (cid: CID | string): Promise<Uint8Array> {
    const id = parseCid(cid)
    const manifest = decodeManifest(await this.#get(id))
    const chunks: Uint8Array[] = []
    for (const chunk of manifest.chunks) chunks.push(await this.#get(chunk))
    return await assembleBundle(manifest, chunks)
  }

  /** The peers to fetch from now: direct tab connections and relay connections, one per peer (the same source for a connection every time, so that fetches share its stream). */
  sources (): BlockSource[] {
    const relays = new Set(this.#relays())
    const sources = new Map<string, BlockSource>()
    for (const conn of this.#libp2p.getConnections()) {
      const id = conn.remotePeer.toString()
      if (conn.status !== 'open' || conn.limits != null || sources.has(id)) continue
      const kind = relays.has(id) ? 'relay' : connectionKind(conn) === 'direct' ? 'direct' : undefined
      if (kind === undefined) continue
      let source = this.#sources.get(conn)
      if (source?.kind !== kind) this.#sources.set(conn, source = connectionSource(conn, kind))
      sources.set(id, source)
    }
    return [...sources.values()]
  }

  #hold (cid: CID): void {
    if (this.#held[0]?.equals(cid) === true) return
    this.#held = [cid, ...this.#held.filter(c => !c.equals(cid))].slice(0, MAX_ANNOUNCED_BUNDLES)
    // Kept beside the blocks, so that a reload announces them again without fetching them.
    this.store.saveHeld?.(this.#held.map(c => c.toString())).catch(() => {})
    this.safeDispatchEvent('held', { detail: cid })
  }

  /** Takes back the list of bundles held before a reload, each still complete in the store (a cleared or evicted block drops its bundle). */
  async #restoreHeld (): Promise<void> {
    const saved = await this.store.loadHeld?.().catch(() => []) ?? []
    const held: CID[] = []
    for (const text of saved) {
      const cid = await this.#complete(text)
      if (cid !== undefined) held.push(cid)
    }
    if (held.length === 0) return
    this.#held = [...this.#held, ...held.filter(c => !this.#held.some(h => h.equals(c)))].slice(0, MAX_ANNOUNCED_BUNDLES)
    this.safeDispatchEvent('held', { detail: held[0]! })
  }

  /** The CID `text` names if the store holds that bundle's manifest and every chunk, else undefined. */
  async #complete (text: string): Promise<CID | undefined> {
    try {
      const cid = CID.parse(text)
      const manifest = decodeManifest(await this.#get(cid))
      return (await this.store.hasMany(manifest.chunks)).every(h => h) ? cid : undefined
    } catch {
      return undefined
    }
  }

  async #get (cid: CID): Promise<Uint8Array> {
    const bytes = await this.store.get(cid)
    if (bytes === undefined) throw new BlockCacheError('NOT_IN_CACHE', `Block ${cid.toString()} is not in this node's cache; fetch the bundle first.`)
    return bytes
  }
}

function parseCid (cid: CID | string): CID {
  if (typeof cid !== 'string') return cid
  try {
    return CID.parse(cid)
  } catch {
    throw new InvalidManifestError('INVALID_MANIFEST', `"${cid}" is not a CID; a bundle is named by its manifest's CID (bafyrei…).`)
  }
}

/** A block exchange for a node made of `components`. */
export function blockExchange (components: BlockExchangeComponents, init: BlockExchangeInit = {}): BlockExchange {
  return new BlockExchange(components, init)
}
