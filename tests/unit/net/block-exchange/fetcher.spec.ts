// First: libp2p needs Promise.withResolvers, which Node 20 lacks.
import '../../../../relay/node-polyfills.ts'
import { lpStream } from '@libp2p/utils'
import { describe, expect, it } from 'vitest'
import { blockMatches, buildBundle, type Bundle } from '../../../../src/net/block-exchange/bundle.ts'
import { connectionSource, type BlockSource, type ProviderKind } from '../../../../src/net/block-exchange/client.ts'
import { BlockExchangeError } from '../../../../src/net/block-exchange/errors.ts'
import { Fetcher, type FetchProgress } from '../../../../src/net/block-exchange/fetcher.ts'
import { PeerScores } from '../../../../src/net/block-exchange/scores.ts'
import { TrafficCounter } from '../../../../src/net/block-exchange/stats.ts'
import { MemoryBlockStore } from '../../../../src/net/block-exchange/store.ts'
import { answerFrame, decodeRequest, encodeHave, Status } from '../../../../src/net/block-exchange/wire.ts'
import { pseudoRandomBytes } from '../../../helpers/bytes.ts'
import { countingConnection, fakeConnection, scriptedPeer, servingPeer, type Handler } from './fake-peer.ts'

const BYTES = pseudoRandomBytes(40 * 16_384 + 100)
const bundle = await buildBundle(BYTES, { name: 'test', chunkSize: 16_384 })

async function holding (b: Bundle, chunks: (i: number) => boolean = () => true): Promise<MemoryBlockStore> {
  const store = new MemoryBlockStore()
  await store.put(b.cid, b.manifestBytes)
  for (const [i, c] of b.chunks.entries()) if (chunks(i)) await store.put(c.cid, c.bytes)
  return store
}

function source (peerId: string, handler: Handler, kind: ProviderKind = 'direct', frameTimeoutMs = 300): BlockSource {
  return connectionSource(fakeConnection(peerId, handler), kind, frameTimeoutMs)
}

function fetcher (sources: BlockSource[], store = new MemoryBlockStore(), providers?: () => string[], maxUnstoredBytes?: number) {
  const scores = new PeerScores()
  const traffic = new TrafficCounter()
  const f = new Fetcher({ store, sources: () => sources, providers, scores, traffic, maxUnstoredBytes, timings: { providerRetryMs: 20, noProviderTimeoutMs: 500, haveTimeoutMs: 300 } })
  return { f, store, scores, traffic }
}

async function everyStoredBlockMatches (store: MemoryBlockStore): Promise<boolean> {
  for (const c of [...bundle.chunks, { cid: bundle.cid }]) {
    const bytes = await store.get(c.cid)
    if (bytes !== undefined && !(await blockMatches(c.cid, bytes))) return false
  }
  return true
}

describe('the fetcher', () => {
  it('fetches a bundle from two peers in parallel, every block checked, with progress', async () => {
    const [a, b] = [servingPeer(await holding(bundle)), servingPeer(await holding(bundle))]
    const { f, store } = fetcher([source('A', a.handler), source('B', b.handler)])
    const seen: FetchProgress[] = []
    const result = await f.fetch(bundle.cid, { onProgress: p => seen.push(p) })
    expect(result.bytesDone).toBe(BYTES.length)
    expect(result.bytesTotal).toBe(BYTES.length)
    expect(result.fromCache).toBe(0)
    expect(result.byPeer.A! + result.byPeer.B!).toBe(BYTES.length)
    expect(result.byPeer.A).toBeGreaterThan(0)
    expect(result.byPeer.B).toBeGreaterThan(0)
    expect(seen.at(-1)!.bytesDone).toBe(BYTES.length)
    expect(seen.map(p => p.bytesDone)).toEqual([...seen.map(p => p.bytesDone)].sort((x, y) => x - y))
    for (const c of bundle.chunks) expect(await store.get(c.cid)).toEqual(c.bytes)
  })

  it('asks each peer everything (manifest, have, every want) on one stream, and lets go of it at the end', async () => {
    const peer = servingPeer(await holding(bundle))
    const opened = countingConnection('A', peer.handler)
    const { f } = fetcher([connectionSource(opened.connection, 'direct', 300)])
    const result = await f.fetch(bundle.cid)
    expect(result.byPeer).toEqual({ A: BYTES.length })
    expect(opened.streams()).toBe(1)
    await opened.served(0)
    expect(peer.traffic.snapshot().rejected).toEqual({})
  })

  it('asks for each block once and counts it once, even while the cache is slow to store', async () => {
    const [a, b] = [servingPeer(await holding(bundle)), servingPeer(await holding(bundle))]
    class SlowStore extends MemoryBlockStore {
      override async put (...args: Parameters<MemoryBlockStore['put']>): Promise<void> {
        await new Promise(resolve => setTimeout(resolve, 5))
        await super.put(...args)
      }
    }
    const { f } = fetcher([source('A', a.handler), source('B', b.handler)], new SlowStore())
    const result = await f.fetch(bundle.cid)
    expect(result.byPeer.A! + result.byPeer.B!).toBe(BYTES.length)
    expect(a.traffic.snapshot().served.bytes + b.traffic.snapshot().served.bytes).toBe(BYTES.length + bundle.manifestBytes.length)
  })

  it('skips what the cache already holds, so a fetch cut short continues', async () => {
    const peer = servingPeer(await holding(bundle))
    const store = await holding(bundle, i => i % 2 === 0)
    const { f } = fetcher([source('A', peer.handler)], store)
    const result = await f.fetch(bundle.cid)
    const evenBytes = bundle.chunks.filter((_, i) => i % 2 === 0).reduce((n, c) => n + c.bytes.length, 0)
    expect(result.fromCache).toBe(evenBytes)
    expect(result.byPeer).toEqual({ A: BYTES.length - evenBytes })
    expect(peer.traffic.snapshot().served.bytes).toBe(BYTES.length - evenBytes)
    const again = await f.fetch(bundle.cid)
    expect(again.byPeer).toEqual({})
    expect(again.fromCache).toBe(BYTES.length)
  })

  it('bans a peer that serves a block with the wrong hash, completes from another, and stores nothing corrupt', async () => {
    const corrupt = servingPeer(await holding(bundle), { corrupt: true })
    const honest = servingPeer(await holding(bundle))
    const { f, store, scores, traffic } = fetcher([source('corrupt', corrupt.handler), source('honest', honest.handler)])
    const result = await f.fetch(bundle.cid)
    expect(result.dropped).toEqual({ corrupt: 'BLOCK_HASH_MISMATCH' })
    expect(result.byPeer).toEqual({ honest: BYTES.length })
    expect(scores.banned('corrupt')).toBe(true)
    expect(traffic.snapshot().rejected.BLOCK_HASH_MISMATCH).toBeGreaterThanOrEqual(1)
    expect(await everyStoredBlockMatches(store)).toBe(true)
  })

  it('drops a peer that answers garbage or oversized frames and completes from another', async () => {
    const garbage = source('garbage', scriptedPeer([Uint8Array.of(0x05, 1, 2, 3, 4, 5)], 'close'))
    const oversized = source('oversized', scriptedPeer([Uint8Array.of(0xff, 0xff, 0xff, 0x7f)], 'stall'))
    const honest = servingPeer(await holding(bundle))
    const { f, store } = fetcher([garbage, oversized, source('honest', honest.handler)])
    const result = await f.fetch(bundle.cid)
    expect(result.dropped).toEqual({ garbage: 'PROTOCOL_VIOLATION', oversized: 'FRAME_TOO_LARGE' })
    expect(result.byPeer).toEqual({ honest: BYTES.length })
    expect(await everyStoredBlockMatches(store)).toBe(true)
  })

  it('scores down a peer that stalls mid-transfer and finishes from the others', async () => {
    const honest = servingPeer(await holding(bundle))
    const full = await holding(bundle)
    // Says it holds everything, then sends the first block of each answer and goes silent.
    const staller: Handler = async stream => {
      const lp = lpStream(stream)
      const { kind, cids } = decodeRequest((await lp.read()).subarray())
      if (kind === 'have') {
        await lp.write(answerFrame(Status.HAVE, encodeHave(cids.map(() => true))))
        await stream.close()
      } else {
        await lp.write(answerFrame(Status.BLOCK, (await full.get(cids[0]!))!))
      }
    }
    const { f, scores } = fetcher([source('staller', staller), source('honest', honest.handler)])
    const started = Date.now()
    const result = await f.fetch(bundle.cid)
    expect(result.bytesDone).toBe(BYTES.length)
    expect(scores.get('staller')).toBeLessThan(0)
    expect(result.byPeer.honest).toBeGreaterThan(0)
    expect(Date.now() - started).toBeLessThan(5000)
  })

  it('uses a relay only for the blocks no direct peer holds', async () => {
    const half = servingPeer(await holding(bundle, i => i < 20))
    const relay = servingPeer(await holding(bundle))
    const { f } = fetcher([source('relay', relay.handler, 'relay'), source('tab', half.handler)])
    const result = await f.fetch(bundle.cid)
    const firstHalf = bundle.chunks.slice(0, 20).reduce((n, c) => n + c.bytes.length, 0)
    expect(result.byPeer).toEqual({ tab: firstHalf, relay: BYTES.length - firstHalf })
  })

  it('leaves the relay alone when a direct peer holds everything', async () => {
    const tab = servingPeer(await holding(bundle))
    const relay = servingPeer(await holding(bundle))
    const { f } = fetcher([source('relay', relay.handler, 'relay'), source('tab', tab.handler)])
    const result = await f.fetch(bundle.cid)
    expect(result.byPeer).toEqual({ tab: BYTES.length })
    expect(relay.traffic.snapshot().served.bytes).toBe(0)
  })

  it('gives up with NO_PROVIDER when nobody holds the blocks', async () => {
    const empty = servingPeer(new MemoryBlockStore())
    const { f } = fetcher([source('empty', empty.handler)])
    const err = await f.fetch(bundle.cid).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(BlockExchangeError)
    expect((err as BlockExchangeError).code).toBe('NO_PROVIDER')
    expect((err as Error).message).toMatch(/try again when more peers are online/)
  })

  it('stops with CACHE_FULL when the cache cannot take the bundle', async () => {
    const peer = servingPeer(await holding(bundle))
    const { f } = fetcher([source('A', peer.handler)], new MemoryBlockStore(BYTES.length / 2))
    const err = await f.fetch(bundle.cid).catch((e: unknown) => e)
    expect((err as BlockExchangeError).code).toBe('CACHE_FULL')
  })

  it('tells a store that gathers blocks into larger writes to write when it waits on it, and at the end', async () => {
    // Stores nothing until told to flush, as a cache whose gathering timer never fires (a hidden tab).
    class GatheringStore extends MemoryBlockStore {
      readonly queued: Array<() => void> = []
      flushes = 0
      override async put (cid: Parameters<MemoryBlockStore['put']>[0], bytes: Uint8Array): Promise<void> {
        await new Promise<void>(resolve => { this.queued.push(resolve) })
        await super.put(cid, bytes)
      }

      flush (): void {
        this.flushes++
        for (const resolve of this.queued.splice(0)) resolve()
      }
    }
    const store = new GatheringStore()
    const { f } = fetcher([source('A', servingPeer(await holding(bundle)).handler)], store, undefined, 32 * 16_384)
    const result = await f.fetch(bundle.cid)
    expect(result.bytesDone).toBe(BYTES.length)
    // The manifest's round, the chunks' round, and at least once when 32 chunks' bytes waited.
    expect(store.flushes).toBeGreaterThanOrEqual(3)
    expect(await everyStoredBlockMatches(store)).toBe(true)
  })

  it('stops when its caller aborts', async () => {
    const peer = servingPeer(await holding(bundle))
    const { f } = fetcher([source('A', peer.handler)])
    const controller = new AbortController()
    const pending = f.fetch(bundle.cid, { signal: controller.signal, onProgress: p => { if (p.bytesDone > 0) controller.abort(new Error('tab closed')) } })
    await expect(pending).rejects.toThrow('tab closed')
  })

  it('asks the peers that announced the bundle first, and the other peers only for what those lack', async () => {
    const asked: Record<string, number> = {}
    const counting = (peerId: string, handler: Handler): BlockSource => {
      const s = source(peerId, handler)
      return { ...s, have: async (cids, signal) => { asked[peerId] = (asked[peerId] ?? 0) + 1; return await s.have(cids, signal) } }
    }
    const full = servingPeer(await holding(bundle))
    const { f } = fetcher([counting('quiet', full.handler), counting('announced', full.handler), counting('other', full.handler)], new MemoryBlockStore(), () => ['announced'])
    const result = await f.fetch(bundle.cid)
    expect(result.byPeer).toEqual({ announced: BYTES.length })
    expect(asked).toEqual({ announced: 2 })

    // An announcer that lacks half the chunks: the others are asked about that half only.
    const half = servingPeer(await holding(bundle, i => i % 2 === 0))
    const second = fetcher([counting('announced-half', half.handler), counting('rest', full.handler)], new MemoryBlockStore(), () => ['announced-half'])
    const split = await second.f.fetch(bundle.cid)
    expect(split.byPeer['announced-half']! + split.byPeer.rest!).toBe(BYTES.length)
    expect(split.byPeer['announced-half']).toBeGreaterThan(0)
  })
})
