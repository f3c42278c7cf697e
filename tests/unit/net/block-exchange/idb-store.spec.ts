import 'fake-indexeddb/auto'
import { describe, expect, it } from 'vitest'
import { chunkCid } from '../../../../src/net/block-exchange/bundle.ts'
import { BlockExchangeError } from '../../../../src/net/block-exchange/errors.ts'
import { IdbBlockStore } from '../../../../src/net/block-exchange/idb-store.ts'

let dbs = 0
const fresh = async (maxBytes?: number): Promise<{ store: IdbBlockStore, name: string }> => {
  const name = `blocks-test-${++dbs}`
  return { store: await IdbBlockStore.open({ name, maxBytes }), name }
}

describe('the IndexedDB block cache', () => {
  it('keeps blocks by CID across a reopen (a reload)', async () => {
    const { store, name } = await fresh()
    const a = Uint8Array.of(1, 2, 3)
    const b = Uint8Array.of(4, 5)
    const [ca, cb] = [await chunkCid(a), await chunkCid(b)]
    await store.put(ca, a)
    expect(await store.has(ca)).toBe(true)
    expect(await store.hasMany([ca, cb])).toEqual([true, false])
    store.close()
    const again = await IdbBlockStore.open({ name })
    expect(await again.get(ca)).toEqual(a)
    expect(await again.get(cb)).toBeUndefined()
    expect(await again.bytes()).toBe(3)
    again.close()
  })

  it('stores exactly a block\'s bytes when given a view into a larger buffer', async () => {
    const { store } = await fresh()
    const big = new Uint8Array(1000).fill(7)
    const view = big.subarray(10, 20)
    const cid = await chunkCid(view)
    await store.put(cid, view)
    const got = await store.get(cid)
    expect(got).toEqual(view)
    expect(got!.buffer.byteLength).toBe(10)
  })

  it('counts a block put twice once', async () => {
    const { store } = await fresh()
    const a = Uint8Array.of(9, 9)
    await store.put(await chunkCid(a), a)
    await store.put(await chunkCid(a), a)
    expect(await store.bytes()).toBe(2)
  })

  it('refuses a block past its bound with CACHE_FULL and a sentence that says what to do', async () => {
    const { store } = await fresh(5)
    const a = Uint8Array.of(1, 2, 3)
    const b = Uint8Array.of(4, 5, 6)
    await store.put(await chunkCid(a), a)
    const err = await store.put(await chunkCid(b), b).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(BlockExchangeError)
    expect((err as BlockExchangeError).code).toBe('CACHE_FULL')
    expect((err as Error).message).toMatch(/holds 3 of its 5 bytes and cannot take 3 more; free space/)
    expect(await store.has(await chunkCid(b))).toBe(false)
    expect(await store.bytes()).toBe(3)
  })
  it('stores blocks put together in one go, refusing only those past the bound', async () => {
    const { store } = await fresh(5)
    const blocks = [Uint8Array.of(1, 1), Uint8Array.of(2, 2), Uint8Array.of(3, 3), Uint8Array.of(1, 1)]
    const cids = await Promise.all(blocks.map(async b => await chunkCid(b)))
    const results = await Promise.allSettled(blocks.map(async (b, i) => { await store.put(cids[i]!, b) }))
    expect(results.map(r => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled'])
    expect(await store.hasMany(cids)).toEqual([true, true, false, true])
    expect(await store.bytes()).toBe(4)
  })
})
