/**
 * The miner's replicas in IndexedDB (`idb`), within the quota its user sets. The bytes held are
 * kept as a running total beside the replicas, updated in the same transaction, so a put that
 * would pass the quota is refused before anything is written and a reload finds the same total.
 * Browsers fail messily near their own quota, so the user's quota should stay well below
 * `navigator.storage.estimate()` (the page picks it; this store only enforces it).
 */
import { openDB, type DBSchema, type IDBPDatabase } from 'idb'
import { toHex } from '../../core/hash.ts'
import { StorageError } from './errors.ts'

interface ShardSchema extends DBSchema {
  replicas: { key: string, value: Uint8Array }
  meta: { key: string, value: number }
}

const DB_VERSION = 1
const TOTAL = 'bytes'

export class ShardStore {
  private constructor (private readonly db: IDBPDatabase<ShardSchema>, private quota: number) {}

  /** Opens (or creates) the store; `quota` is the most bytes the user lets it hold. */
  static async open (quota: number, name = 'tabtensor-storage-subnet'): Promise<ShardStore> {
    try {
      const db = await openDB<ShardSchema>(name, DB_VERSION, {
        upgrade (database) {
          database.createObjectStore('replicas')
          database.createObjectStore('meta')
        }
      })
      return new ShardStore(db, quota)
    } catch (err) {
      throw new StorageError('STORAGE_UNAVAILABLE', `This browser would not open its storage (${(err as Error).message}); storage mining needs IndexedDB.`)
    }
  }

  setQuota (bytes: number): void {
    this.quota = bytes
  }

  async usage (): Promise<number> {
    return (await this.db.get('meta', TOTAL)) ?? 0
  }

  /** Stores a replica; refused with QUOTA_EXCEEDED, writing nothing, when it would pass the quota. */
  async put (shard: Uint8Array, replica: Uint8Array): Promise<void> {
    const key = toHex(shard)
    const tx = this.db.transaction(['replicas', 'meta'], 'readwrite')
    const held = await tx.objectStore('replicas').get(key)
    const total = (await tx.objectStore('meta').get(TOTAL)) ?? 0
    const next = total - (held?.length ?? 0) + replica.length
    if (next > this.quota) {
      tx.abort()
      await tx.done.catch(() => {})
      throw new StorageError('QUOTA_EXCEEDED', `Holding this shard would use ${next} bytes, over the ${this.quota} you allowed; raise the storage limit or drop shards.`)
    }
    await tx.objectStore('replicas').put(replica, key)
    await tx.objectStore('meta').put(next, TOTAL)
    await tx.done
  }

  async get (shard: Uint8Array): Promise<Uint8Array> {
    const replica = await this.db.get('replicas', toHex(shard))
    if (replica === undefined) throw new StorageError('NOT_HELD', 'This tab does not hold that shard.')
    return replica
  }

  async has (shard: Uint8Array): Promise<boolean> {
    return (await this.db.getKey('replicas', toHex(shard))) !== undefined
  }

  async delete (shard: Uint8Array): Promise<void> {
    const key = toHex(shard)
    const tx = this.db.transaction(['replicas', 'meta'], 'readwrite')
    const held = await tx.objectStore('replicas').get(key)
    if (held !== undefined) {
      const total = (await tx.objectStore('meta').get(TOTAL)) ?? 0
      await tx.objectStore('replicas').delete(key)
      await tx.objectStore('meta').put(total - held.length, TOTAL)
    }
    await tx.done
  }

  close (): void {
    this.db.close()
  }
}
