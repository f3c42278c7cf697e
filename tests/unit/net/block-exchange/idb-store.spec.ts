import 'fake-indexeddb/auto'
import { openDB } from 'idb'
import { describe, expect, it } from 'vitest'
import { chunkCid } from '../../../../src/net/block-exchange/bundle.ts'
import { BlockExchangeError } from '../../../../src/net/block-exchange/errors.ts'
import { IdbBlockStore } from '../../../../src/net/block-exchange/idb-store.ts'
import { MAX_ANNOUNCED_BUNDLES } from '../../../../src/net/block-exchange/constants.ts'

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

  it('writes blocks put together as one pack, each still found, read and counted on its own after a reopen', async () => {
    const { store, name } = await fresh()
    const blocks = Array.from({ length: 5 }, (_, i) => new Uint8Array(1000 + i).fill(i + 1))
    const cids = await Promise.all(blocks.map(async b => await chunkCid(b)))
    await Promise.all(blocks.map(async (b, i) => { await store.put(cids[i]!, b) }))
    store.close()
    const db = await openDB(name)
    expect(await db.count('packs')).toBe(1)
    db.close()
    // Reopened: nothing in memory, every block read from its pack.
    const again = await IdbBlockStore.open({ name })
    expect(await again.hasMany(cids)).toEqual([true, true, true, true, true])
    // As a server asks: every block of the want at once.
    expect(await Promise.all(cids.map(async cid => await again.get(cid)))).toEqual(blocks)
    expect(await again.bytes()).toBe(blocks.reduce((n, b) => n + b.length, 0))
    again.close()
  })

  it('reads the blocks of a version 1 cache, one record each, after upgrading it', async () => {
    const name = `blocks-test-${++dbs}`
    const block = Uint8Array.of(9, 8, 7)
    const cid = await chunkCid(block)
    const v1 = await openDB(name, 1, { upgrade (db) { db.createObjectStore('blocks'); db.createObjectStore('meta') } })
    await v1.put('blocks', block, cid.toString())
    await v1.put('meta', 3, 'bytes')
    v1.close()
    const store = await IdbBlockStore.open({ name })
    expect(await store.get(cid)).toEqual(block)
    expect(await store.bytes()).toBe(3)
    store.close()
  })

  it('keeps the list of bundles held in full across a reopen, bounded, and reads back only strings', async () => {
    const { store, name } = await fresh()
    expect(await store.loadHeld()).toEqual([])
    const many = Array.from({ length: MAX_ANNOUNCED_BUNDLES + 5 }, (_, i) => `bafy-${i}`)
    await store.saveHeld(many)
    store.close()
    const again = await IdbBlockStore.open({ name })
    expect(await again.loadHeld()).toEqual(many.slice(0, MAX_ANNOUNCED_BUNDLES))
    expect(await again.bytes()).toBe(0)
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
