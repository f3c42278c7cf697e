/**
 * The tab's block cache in IndexedDB (`idb`): a reload finds every block it fetched before, so a
 * bundle is fetched once and a fetch cut short continues where it stopped. Blocks are keyed by
 * CID string; a running total of their bytes lives beside them, updated in the same transaction,
 * and bounds the cache at `maxBytes`. When the browser's own quota is hit first, the put fails
 * the same way, with a sentence that says what to do.
 */
import { openDB, type DBSchema, type IDBPDatabase } from 'idb'
import type { CID } from 'multiformats/cid'
import { CACHE_BLOCKS_STORE, CACHE_DB_NAME, CACHE_DB_VERSION, CACHE_META_STORE, MAX_CACHE_BYTES } from './constants.ts'
import { BlockCacheError } from './errors.ts'
import type { BlockStore } from './store.ts'

interface CacheSchema extends DBSchema {
  blocks: { key: string, value: Uint8Array }
  meta: { key: string, value: number }
}

/** Key of the running total in the meta store. */
const TOTAL_BYTES = 'bytes'

export interface IdbBlockStoreInit {
  /** Database name; tests give each cache its own. */
  name?: string
  maxBytes?: number
}

interface Pending {
  key: string
  bytes: Uint8Array
  resolve: () => void
  reject: (err: unknown) => void
}

function withResolvers (): { promise: Promise<void>, resolve: () => void, reject: (err: unknown) => void } {
  let resolve!: () => void
  let reject!: (err: unknown) => void
  const promise = new Promise<void>((res, rej) => { resolve = res; reject = rej })
  return { promise, resolve, reject }
}

export class IdbBlockStore implements BlockStore {
  readonly #queue: Pending[] = []
  /** Whether a write is under way; blocks put meanwhile wait for the next one. */
  #writing = false

  private constructor (private readonly db: IDBPDatabase<CacheSchema>, private readonly maxBytes: number) {}

  static async open (init: IdbBlockStoreInit = {}): Promise<IdbBlockStore> {
    const db = await openDB<CacheSchema>(init.name ?? CACHE_DB_NAME, CACHE_DB_VERSION, {
      upgrade (database) {
        database.createObjectStore(CACHE_BLOCKS_STORE)
        database.createObjectStore(CACHE_META_STORE)
      }
    })
    return new IdbBlockStore(db, init.maxBytes ?? MAX_CACHE_BYTES)
  }

  async has (cid: CID): Promise<boolean> {
    return (await this.db.count(CACHE_BLOCKS_STORE, cid.toString())) > 0
  }

  async hasMany (cids: readonly CID[]): Promise<boolean[]> {
    const tx = this.db.transaction(CACHE_BLOCKS_STORE)
    const counts = await Promise.all(cids.map(async cid => await tx.store.count(cid.toString())))
    await tx.done
    return counts.map(n => n > 0)
  }

  async get (cid: CID): Promise<Uint8Array | undefined> {
    return await this.db.get(CACHE_BLOCKS_STORE, cid.toString())
  }

  /**
   * Queues the block for the next write. One write is under way at a time, and it takes every
   * block queued before it starts (those put in the same turn of the event loop, and those put
   * while the last write ran), in one transaction with relaxed durability, since a block lost to a
   * crash is simply fetched again: the busier the page, the fewer transactions per block.
   */
  async put (cid: CID, bytes: Uint8Array): Promise<void> {
    // A view into a larger buffer would store the whole buffer: keep exactly the block's bytes.
    const own = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : bytes.slice()
    const { promise, resolve, reject } = withResolvers()
    this.#queue.push({ key: cid.toString(), bytes: own, resolve, reject })
    if (!this.#writing) {
      this.#writing = true
      setTimeout(() => { void this.#write() }, 0)
    }
    await promise
  }

  async #write (): Promise<void> {
    while (this.#queue.length > 0) await this.#flush()
    this.#writing = false
  }

  async #flush (): Promise<void> {
    const batch = this.#queue.splice(0)
    try {
      const tx = this.db.transaction([CACHE_BLOCKS_STORE, CACHE_META_STORE], 'readwrite', { durability: 'relaxed' })
      const blocks = tx.objectStore(CACHE_BLOCKS_STORE)
      const meta = tx.objectStore(CACHE_META_STORE)
      const [held, total] = await Promise.all([Promise.all(batch.map(async p => await blocks.count(p.key))), meta.get(TOTAL_BYTES)])
      let bytesHeld = total ?? 0
      const seen = new Set<string>()
      const writes: Array<Promise<unknown>> = []
      const refused: Array<[Pending, BlockCacheError]> = []
      batch.forEach((p, i) => {
        if (held[i]! > 0 || seen.has(p.key)) return
        if (bytesHeld + p.bytes.length > this.maxBytes) {
          refused.push([p, this.#full(`The block cache holds ${bytesHeld} of its ${this.maxBytes} bytes and cannot take ${p.bytes.length} more`)])
          return
        }
        seen.add(p.key)
        bytesHeld += p.bytes.length
        writes.push(blocks.put(p.bytes, p.key))
      })
      writes.push(meta.put(bytesHeld, TOTAL_BYTES))
      await Promise.all(writes)
      await tx.done
      const rejected = new Set(refused.map(([p]) => p))
      for (const [p, err] of refused) p.reject(err)
      for (const p of batch) if (!rejected.has(p)) p.resolve()
    } catch (err) {
      const failure = (err as Error).name === 'QuotaExceededError' ? this.#full('The browser refused to store more (its storage quota for this site is used up)') : err
      for (const p of batch) p.reject(failure)
    }
  }

  /** Bytes held. */
  async bytes (): Promise<number> {
    return (await this.db.get(CACHE_META_STORE, TOTAL_BYTES)) ?? 0
  }

  close (): void {
    this.db.close()
  }

  #full (what: string): BlockCacheError {
    return new BlockCacheError('CACHE_FULL', `${what}; free space for this site in the browser's settings, or clear its data, and reload.`)
  }
}
