/**
 * What this browser holds for the storage subnet, read from the miners' own shard stores
 * (tab-roles.ts names one per hotkey, `tabtensor-storage-subnet-<hotkey prefix>`). Only stores
 * that already exist are opened, read-only, so looking never creates one.
 */
import { openDB } from 'idb'

/** Prefix of the IndexedDB databases that hold a storage miner's replicas. */
export const SHARD_STORE_PREFIX = 'tabtensor-storage-subnet'

export interface HeldStore {
  /** The hotkey prefix the store belongs to ('' for the unnamed default store). */
  hotkey: string
  shards: number
  bytes: number
}

export async function heldStores (factory: IDBFactory = indexedDB): Promise<HeldStore[]> {
  const names = (await factory.databases()).map(d => d.name ?? '').filter(n => n.startsWith(SHARD_STORE_PREFIX))
  const out: HeldStore[] = []
  for (const name of names.sort()) {
    const db = await openDB(name)
    try {
      if (!db.objectStoreNames.contains('replicas') || !db.objectStoreNames.contains('meta')) continue
      const tx = db.transaction(['replicas', 'meta'], 'readonly')
      const [shards, bytes] = await Promise.all([tx.objectStore('replicas').count(), tx.objectStore('meta').get('bytes')])
      out.push({ hotkey: name.slice(SHARD_STORE_PREFIX.length + 1), shards, bytes: typeof bytes === 'number' ? bytes : 0 })
    } finally {
      db.close()
    }
  }
  return out
}
