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

  for (const version of [1, 2]) {
    it(`empties a version ${version} cache when upgrading it, and stores blocks as usual afterwards`, async () => {
      const name = `blocks-test-${++dbs}`
      const block = Uint8Array.of(9, 8, 7)
      const cid = await chunkCid(block)
      const old = await openDB(name, version, {
        upgrade (db) {
          db.createObjectStore('blocks')
          db.createObjectStore('meta')
          if (version === 2) db.createObjectStore('packs')
        }
      })
      await old.put('blocks', block, cid.toString())
      await old.put('meta', 3, 'bytes')
      await old.put('meta', [cid.toString()], 'held')
      old.close()
      const store = await IdbBlockStore.open({ name })
      expect(await store.has(cid)).toBe(false)
      expect(await store.bytes()).toBe(0)
      expect(await store.loadHeld()).toEqual([])
      await store.put(cid, block)
      expect(await store.get(cid)).toEqual(block)
      expect(await store.bytes()).toBe(3)
      store.close()
    })
  }

  it('reads a pack that is not what it writes as holding nothing', async () => {
    const { store, name } = await fresh()
    const block = Uint8Array.of(1, 2, 3, 4)
    const cid = await chunkCid(block)
    await store.put(cid, block)
    store.close()
    const db = await openDB(name)
    // Lengths that do not add up to the bytes: a damaged record.
    await db.put('packs', { cids: [cid.toString()], lengths: [5], bytes: block }, cid.toString())
    db.close()
    const again = await IdbBlockStore.open({ name })
    expect(await again.get(cid)).toBeUndefined()
    again.close()
  })

  it('answers which blocks it holds from memory for the blocks it just stored, asking IndexedDB only about the others', async () => {
    const { store } = await fresh()
    const a = Uint8Array.of(1, 2, 3)
    const ca = await chunkCid(a)
    await store.put(ca, a)
    store.close()
    // With the database closed, only an answer that never reaches IndexedDB can succeed.
    expect(await store.hasMany([ca])).toEqual([true])
    await expect(store.hasMany([ca, await chunkCid(Uint8Array.of(4))])).rejects.toThrow()
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

  it('counts a block put twice once, and still stores the new blocks written beside it', async () => {
    const { store, name } = await fresh()
    const a = Uint8Array.of(9, 9)
    const b = Uint8Array.of(8, 8, 8)
    await store.put(await chunkCid(a), a)
    store.close()
    // Reopened, so that nothing is in memory: only the index knows `a` is held. `b` is queued
    // first, so the pack is named by `b` and only the index can refuse `a`.
    const again = await IdbBlockStore.open({ name })
    const [ca, cb] = [await chunkCid(a), await chunkCid(b)]
    await Promise.all([again.put(cb, b), again.put(ca, a)])
    expect(await again.bytes()).toBe(5)
    expect(await again.hasMany([ca, cb])).toEqual([true, true])
    expect(await again.get(cb)).toEqual(b)
    again.close()
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
