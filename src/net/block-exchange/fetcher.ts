/**
 * Fetching a bundle by its manifest CID. Blocks already in the store are skipped, so a fetch cut
 * short (a reload, a closed tab) continues where it stopped. The rest goes in rounds:
 *
 * 1. Find providers: ask the direct peers (tabs over WebRTC) that announced the bundle which of
 *    the missing blocks they hold (`have`), the other direct peers only about blocks none of
 *    those holds, and the relays only about blocks no direct peer holds: a relay is the seed of
 *    last resort, never a tab's first choice.
 * 2. Download from all providers in parallel, `WANT_PIPELINE` requests of `WANT_BATCH_BYTES` in
 *    flight per peer (on one stream per peer, kept for the whole fetch), each block to the first
 *    free peer that holds it. Every block is checked against its CID (and the manifest's length)
 *    before it is stored; storing goes on behind the download (at most `MAX_UNSTORED_BYTES`
 *    behind), so a slow cache does not hold up the next request, and a block counts as fetched
 *    (progress, traffic) once it is stored.
 * 3. A peer that sends a block that does not match, garbage or an oversized frame is banned and
 *    dropped; one that stalls or fails is scored down and left out for the round; its blocks go to
 *    the others. Blocks still missing start another round; a fetch gives up with NO_PROVIDER only
 *    after `NO_PROVIDER_TIMEOUT_MS` without any progress.
 */
import type { CID } from 'multiformats/cid'
import { blockMatches, chunkLength, decodeManifest, type Manifest } from './bundle.ts'
import type { BlockSource } from './client.ts'
import { HAVE_TIMEOUT_MS, MAX_BLOCK_BYTES, MAX_HAVE_PER_REQUEST, MAX_UNSTORED_BYTES, MAX_WANT_PER_REQUEST, NO_PROVIDER_TIMEOUT_MS, PROVIDER_RETRY_MS, REWARD_BLOCK, WANT_BATCH_BYTES, WANT_PIPELINE } from './constants.ts'
import { codeOf, InvalidBlockError, NoProviderError, SessionEndedError, type BlockErrorCode } from './errors.ts'
import { PeerScores } from './scores.ts'
import type { TrafficCounter } from './stats.ts'
import type { BlockStore } from './store.ts'

export interface FetchProgress {
  /** The bundle's manifest CID. */
  cid: string
  bytesDone: number
  bytesTotal: number
  /** Bytes that were already in the cache when the fetch started. */
  fromCache: number
  /** Bytes fetched in this fetch, per peer id. */
  byPeer: Record<string, number>
}

export interface FetchResult extends FetchProgress {
  manifest: Manifest
  /** Peers this fetch stopped using, with why. */
  dropped: Record<string, BlockErrorCode>
}

export interface FetchOptions {
  signal?: AbortSignal
  onProgress?: (progress: FetchProgress) => void
}

export interface FetcherTimings {
  haveTimeoutMs: number
  providerRetryMs: number
  noProviderTimeoutMs: number
}

export interface FetcherInit {
  store: BlockStore
  /** The peers to ask, read again at every round: direct peers and relays. */
  sources: () => BlockSource[]
  /** Peers that announced holding a bundle (by its manifest CID). */
  providers?: (cid: CID) => readonly string[]
  scores: PeerScores
  traffic: TrafficCounter
  timings?: Partial<FetcherTimings>
  /** Bytes of checked blocks held on their way into the store (`MAX_UNSTORED_BYTES`). */
  maxUnstoredBytes?: number
  now?: () => number
}

/** One fetch's view of a set of blocks. */
interface Transfer {
  /** The bundle's manifest CID. */
  bundle: CID
  cids: readonly CID[]
  /** Expected lengths, when the manifest gives them. */
  lengths?: readonly number[]
  missing: Set<number>
  inFlight: Set<number>
  /** Blocks asked for in one `want`. */
  batch: number
  /** Checked blocks on their way into the store, and their bytes. */
  unstored: Set<Promise<void>>
  unstoredBytes: number
  /** The first error the store gave: it ends the fetch. */
  storeFailure?: unknown
  /** Every source asked during the fetch, to let go of at its end. */
  used: Set<BlockSource>
  progress: FetchProgress
  dropped: Record<string, BlockErrorCode>
  onProgress?: (progress: FetchProgress) => void
  signal: AbortSignal
}

export class Fetcher {
  readonly #init: FetcherInit
  readonly #timings: FetcherTimings
  readonly #now: () => number

  constructor (init: FetcherInit) {
    this.#init = init
    this.#timings = { haveTimeoutMs: HAVE_TIMEOUT_MS, providerRetryMs: PROVIDER_RETRY_MS, noProviderTimeoutMs: NO_PROVIDER_TIMEOUT_MS, ...init.timings }
    this.#now = init.now ?? Date.now
  }

  async fetch (cid: CID, options: FetchOptions = {}): Promise<FetchResult> {
    const signal = options.signal ?? new AbortController().signal
    const progress: FetchProgress = { cid: cid.toString(), bytesDone: 0, bytesTotal: 0, fromCache: 0, byPeer: {} }
    const dropped: Record<string, BlockErrorCode> = {}
    const used = new Set<BlockSource>()
    const transfer = (cids: readonly CID[], blockBytes: number): Transfer => ({
      bundle: cid, cids, progress, dropped, signal, used, missing: new Set(), inFlight: new Set(), unstored: new Set(), unstoredBytes: 0,
      batch: Math.min(MAX_WANT_PER_REQUEST, Math.max(1, Math.floor(WANT_BATCH_BYTES / blockBytes)))
    })
    try {
      await this.#fetchBlocks({ ...transfer([cid], MAX_BLOCK_BYTES), progress: { ...progress, byPeer: {} } })
      const manifest = decodeManifest((await this.#init.store.get(cid))!)
      const lengths = manifest.chunks.map((_, i) => chunkLength(manifest, i))
      progress.bytesTotal = manifest.size
      await this.#fetchBlocks({ ...transfer(manifest.chunks, manifest.chunkSize), lengths, onProgress: options.onProgress })
      return { ...progress, manifest, dropped }
    } finally {
      for (const source of used) source.close()
    }
  }

  async #fetchBlocks (t: Transfer): Promise<void> {
    const held = await this.#init.store.hasMany(t.cids)
    held.forEach((h, i) => {
      if (!h) t.missing.add(i)
      else if (t.lengths !== undefined) t.progress.fromCache += t.lengths[i]!
    })
    t.progress.bytesDone = t.progress.fromCache
    t.onProgress?.({ ...t.progress, byPeer: { ...t.progress.byPeer } })
    let progressAt = this.#now()
    while (t.missing.size > 0) {
      t.signal.throwIfAborted()
      const before = t.missing.size
      const providers = await this.#findProviders(t)
      if (providers.size > 0) await this.#download(t, providers)
      // Nothing more comes this round: the store need not wait to gather more blocks into a write.
      this.#init.store.flush?.()
      await Promise.all(t.unstored)
      if (t.storeFailure !== undefined) throw t.storeFailure
      if (t.missing.size < before) progressAt = this.#now()
      if (t.missing.size === 0) break
      if (this.#now() - progressAt >= this.#timings.noProviderTimeoutMs) {
        throw new NoProviderError('NO_PROVIDER', `No peer and no relay served ${t.missing.size} of the ${t.cids.length} blocks of ${t.cids.length === 1 ? t.cids[0]!.toString() : 'this bundle'} for ${Math.round(this.#timings.noProviderTimeoutMs / 1000)} s; try again when more peers are online.`)
      }
      await sleep(this.#timings.providerRetryMs, t.signal)
    }
  }

  /** Which missing blocks each usable peer holds: announced providers first, then other direct peers, relays for the rest. */
  async #findProviders (t: Transfer): Promise<Map<BlockSource, Set<number>>> {
    const usable = this.#init.sources().filter(s => !this.#init.scores.banned(s.peerId) && !(s.peerId in t.dropped))
    for (const source of usable) t.used.add(source)
    const announced = new Set(this.#init.providers?.(t.bundle) ?? [])
    const found = new Map<BlockSource, Set<number>>()
    let rest = [...t.missing]
    for (const group of [
      usable.filter(s => s.kind === 'direct' && announced.has(s.peerId)),
      usable.filter(s => s.kind === 'direct' && !announced.has(s.peerId)),
      usable.filter(s => s.kind === 'relay')
    ]) {
      if (rest.length === 0) break
      await Promise.all(group.map(async s => { await this.#ask(s, rest, t, found) }))
      const covered = new Set([...found.values()].flatMap(set => [...set]))
      rest = rest.filter(i => !covered.has(i))
    }
    return found
  }

  async #ask (source: BlockSource, indices: number[], t: Transfer, found: Map<BlockSource, Set<number>>): Promise<void> {
    const has = new Set<number>()
    try {
      for (let start = 0; start < indices.length; start += MAX_HAVE_PER_REQUEST) {
        const batch = indices.slice(start, start + MAX_HAVE_PER_REQUEST)
        const signal = AbortSignal.any([t.signal, AbortSignal.timeout(this.#timings.haveTimeoutMs)])
        const held = await source.have(batch.map(i => t.cids[i]!), signal)
        batch.forEach((i, k) => { if (held[k] === true) has.add(i) })
      }
    } catch (err) {
      if (t.signal.aborted) throw t.signal.reason
      if (!(err instanceof SessionEndedError)) this.#fault(source, codeOf(err), t)
      return
    }
    if (has.size > 0) found.set(source, has)
  }

  async #download (t: Transfer, providers: Map<BlockSource, Set<number>>): Promise<void> {
    const benched = new Set<BlockSource>()
    const faulted = new Set<BlockSource>()
    // A relay serves a block only while no direct peer that holds it is still in the round.
    const forRelay = (i: number): boolean => ![...providers].some(([s, has]) => s.kind === 'direct' && !benched.has(s) && has.has(i))
    /** Leaves `source` out for the rest of the round, blaming it once, for the first failure that is its own. */
    const bench = (source: BlockSource, err: unknown): void => {
      benched.add(source)
      if (err instanceof SessionEndedError || faulted.has(source)) return
      faulted.add(source)
      this.#fault(source, codeOf(err), t)
    }
    const worker = async (source: BlockSource, has: Set<number>): Promise<void> => {
      while (!benched.has(source) && t.storeFailure === undefined) {
        const batch: number[] = []
        for (const i of has) {
          if (!t.missing.has(i) || t.inFlight.has(i) || (source.kind === 'relay' && !forRelay(i))) continue
          batch.push(i)
          if (batch.length === t.batch) break
        }
        if (batch.length === 0) return
        for (const i of batch) t.inFlight.add(i)
        try {
          await this.#want(source, has, batch, t, bench)
        } catch (err) {
          if (t.signal.aborted) throw t.signal.reason
          bench(source, err)
        } finally {
          for (const i of batch) t.inFlight.delete(i)
        }
      }
    }
    await Promise.all([...providers].flatMap(([source, has]) => Array.from({ length: WANT_PIPELINE }, async () => { await worker(source, has) })))
  }

  async #want (source: BlockSource, has: Set<number>, batch: number[], t: Transfer, bench: (source: BlockSource, err: unknown) => void): Promise<void> {
    let k = 0
    for await (const bytes of source.want(batch.map(i => t.cids[i]!), t.signal)) {
      const i = batch[k++]!
      if (bytes === undefined) {
        t.inFlight.delete(i)
        has.delete(i)
        this.#init.scores.penalise(source.peerId, 'NOT_HELD')
        continue
      }
      const cid = t.cids[i]!
      if ((t.lengths !== undefined && bytes.length !== t.lengths[i]) || !(await blockMatches(cid, bytes))) {
        const err = new InvalidBlockError('BLOCK_HASH_MISMATCH', `Peer ${source.peerId} sent bytes for block ${cid.toString()} that do not match it.`)
        // Blamed before the stream is let go of, which fails this peer's other requests without blame.
        bench(source, err)
        throw err
      }
      // Claimed at once, so that a copy arriving meanwhile from elsewhere is not stored or counted twice.
      if (!t.missing.delete(i)) continue
      const storing = this.#store(source, i, bytes, t)
      t.unstored.add(storing)
      t.unstoredBytes += bytes.length
      void storing.finally(() => {
        t.unstored.delete(storing)
        t.unstoredBytes -= bytes.length
      })
      if (t.unstoredBytes >= (this.#init.maxUnstoredBytes ?? MAX_UNSTORED_BYTES)) {
        // Waiting on the store: it need not wait to gather more (small chunks, a throttled timer in a hidden tab).
        this.#init.store.flush?.()
        await Promise.race(t.unstored)
      }
      if (t.storeFailure !== undefined) return
    }
  }

  /** Stores a checked block and counts it; a failure puts it back among the missing and ends the fetch. */
  async #store (source: BlockSource, i: number, bytes: Uint8Array, t: Transfer): Promise<void> {
    try {
      await this.#init.store.put(t.cids[i]!, bytes)
    } catch (err) {
      t.missing.add(i)
      t.storeFailure ??= err
      return
    } finally {
      t.inFlight.delete(i)
    }
    this.#init.scores.reward(source.peerId, REWARD_BLOCK)
    this.#init.traffic.countFetched(source.peerId, bytes.length)
    t.progress.bytesDone += bytes.length
    t.progress.byPeer[source.peerId] = (t.progress.byPeer[source.peerId] ?? 0) + bytes.length
    t.onProgress?.({ ...t.progress, byPeer: { ...t.progress.byPeer } })
  }

  #fault (source: BlockSource, code: BlockErrorCode, t: Transfer): void {
    this.#init.traffic.countRejected(code)
    this.#init.scores.penalise(source.peerId, code)
    if (PeerScores.isInvalid(code) || this.#init.scores.banned(source.peerId)) t.dropped[source.peerId] = code
  }
}

async function sleep (ms: number, signal: AbortSignal): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => { signal.removeEventListener('abort', onAbort); resolve() }, ms)
    const onAbort = (): void => { clearTimeout(timer); reject(signal.reason) }
    signal.addEventListener('abort', onAbort, { once: true })
  })
}
