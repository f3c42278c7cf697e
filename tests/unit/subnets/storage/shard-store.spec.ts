import 'fake-indexeddb/auto'
import { describe, expect, it } from 'vitest'
import { StorageError } from '../../../../src/subnets/storage/errors.ts'
import { ShardStore } from '../../../../src/subnets/storage/shard-store.ts'

let db = 0
const open = async (quota: number): Promise<ShardStore> => await ShardStore.open(quota, `shards-${db++}`)
const id = (n: number): Uint8Array => new Uint8Array(32).fill(n)

describe('the shard store', () => {
  it('keeps replicas and their byte total, across reopening', async () => {
    const name = `shards-${db++}`
    const store = await ShardStore.open(10_000, name)
    await store.put(id(1), new Uint8Array(3000).fill(1))
    await store.put(id(2), new Uint8Array(2000).fill(2))
    await store.put(id(1), new Uint8Array(1000).fill(3)) // replacing counts the new size only
    expect(await store.usage()).toBe(3000)
    store.close()
    const again = await ShardStore.open(10_000, name)
    expect(await again.usage()).toBe(3000)
    expect((await again.get(id(1)))[0]).toBe(3)
    await again.delete(id(2))
    expect(await again.usage()).toBe(1000)
    expect(await again.has(id(2))).toBe(false)
  })

  it('refuses a replica over the quota and writes nothing', async () => {
    const store = await open(5000)
    await store.put(id(1), new Uint8Array(4000))
    const refused = await store.put(id(2), new Uint8Array(2000)).catch((err: unknown) => err)
    expect(refused).toBeInstanceOf(StorageError)
    expect((refused as StorageError).code).toBe('QUOTA_EXCEEDED')
    expect(await store.usage()).toBe(4000)
    expect(await store.has(id(2))).toBe(false)
  })

  it('says NOT_HELD for a shard it does not have', async () => {
    const store = await open(5000)
    await expect(store.get(id(9))).rejects.toMatchObject({ code: 'NOT_HELD' })
  })
})
