/**
 * The tab's block cache in IndexedDB (`idb`): a reload finds every block it fetched before, so a
 * bundle is fetched once and a fetch cut short continues where it stopped. A running total of
 * the blocks' bytes lives beside them, updated in the same transaction, and bounds the cache at
 * `maxBytes`. When the browser's own quota is hit first, the put fails the same way, with a
 * sentence that says what to do.
 *
 * Blocks are written in packs: the blocks queued together go into one record of `packs` (up to
 * `PACK_BYTES`), and each block's record in `blocks`, still keyed by its CID, says where in which
 * pack it sits. IndexedDB's cost is per record more than per byte (in Chromium, writing 16 MiB as
 * 256 KiB records took two to three times as long as in 4 MiB records), so a fetch stores its
 * bundle in a few large writes while every block stays found on its own: `has` for resuming,
 * `get` for serving. Reading one block of a pack reads the pack and keeps its blocks in memory
 * (`RecentBlocks`), which is where a server's next few reads find them. A block alone in its
 * write, and every block of version 1 of the cache, is its own record.
 */
import { openDB, type DBSchema, type IDBPDatabase } from 'idb'
import type { CID } from 'multiformats/cid'
import { CACHE_BLOCKS_STORE, CACHE_DB_NAME, CACHE_DB_VERSION, CACHE_META_STORE, CACHE_PACKS_STORE, MAX_ANNOUNCED_BUNDLES, MAX_CACHE_BYTES, PACK_BYTES, PACK_WAIT_MS, RECENT_BLOCKS_BYTES } from './constants.ts'
import { BlockCacheError } from './errors.ts'
import { RecentBlocks } from './recent.ts'
import type { BlockStore } from './store.ts'

/** Where a block sits in a pack. */
interface PackedBlock {
  pack: string
  offset: number
  length: number
}

/** Blocks written together: their bytes one after another, and their keys and lengths in order. */
interface Pack {
  blocks: Array<[key: string, length: number]>
  bytes: Uint8Array
}

interface CacheSchema extends DBSchema {
  blocks: { key: string, value: Uint8Array | PackedBlock }
  packs: { key: string, value: Pack }
  meta: { key: string, value: number | string[] }
}

/** Key of the running total in the meta store. */
const TOTAL_BYTES = 'bytes'

/** Key of the list of bundles held in full in the meta store. */
const HELD_BUNDLES = 'held'

export interface IdbBlockStoreInit {
  /** Database name; tests give each cache its own. */
  name?: string
  maxBytes?: number
  /** Bytes of recent blocks also kept in memory (`RECENT_BLOCKS_BYTES`). */
  recentBytes?: number
}

interface Pending {
  key: string
  bytes: Uint8Array
  resolve: () => void
  reject: (err: unknown) => void
}

export class IdbBlockStore implements BlockStore {
  #queue: Pending[] = []
  #queuedBytes = 0
  /** Whether a write is under way; blocks put meanwhile wait for the next one. */
  #writing = false
  /** The write due once `PACK_WAIT_MS` have passed since the first block queued. */
  #timer: ReturnType<typeof setTimeout> | undefined
  readonly #recent: RecentBlocks
  /** Pack reads under way, by pack name. */
  readonly #packReads = new Map<string, Promise<Map<string, Uint8Array> | undefined>>()

  private constructor (private readonly db: IDBPDatabase<CacheSchema>, private readonly maxBytes: number, recentBytes: number) {
    this.#recent = new RecentBlocks(recentBytes)
  }

  static async open (init: IdbBlockStoreInit = {}): Promise<IdbBlockStore> {
    const db = await openDB<CacheSchema>(init.name ?? CACHE_DB_NAME, CACHE_DB_VERSION, {
      upgrade (database, oldVersion) {
        if (oldVersion < 1) {
          database.createObjectStore(CACHE_BLOCKS_STORE)
          database.createObjectStore(CACHE_META_STORE)
        }
        if (oldVersion < 2) database.createObjectStore(CACHE_PACKS_STORE)
      }
    })
    return new IdbBlockStore(db, init.maxBytes ?? MAX_CACHE_BYTES, init.recentBytes ?? RECENT_BLOCKS_BYTES)
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
    const key = cid.toString()
    const recent = this.#recent.get(key)
    if (recent !== undefined) return recent
    const record = await this.db.get(CACHE_BLOCKS_STORE, key)
    if (record === undefined || record instanceof Uint8Array) {
      if (record !== undefined) this.#recent.add(key, record)
      return record
    }
    return (await this.#readPack(record.pack))?.get(key)
  }

  /** The blocks of pack `name`, now also in memory; a server asking for several of them at once reads the pack once. */
  async #readPack (name: string): Promise<Map<string, Uint8Array> | undefined> {
    let reading = this.#packReads.get(name)
    if (reading === undefined) {
      reading = (async () => {
        const pack = await this.db.get(CACHE_PACKS_STORE, name)
        if (pack === undefined) return undefined
        const blocks = new Map<string, Uint8Array>()
        let offset = 0
        for (const [key, length] of pack.blocks) {
          // Copies, so that one block kept in memory does not keep the whole pack there.
          const block = pack.bytes.slice(offset, offset + length)
          blocks.set(key, block)
          this.#recent.add(key, block)
          offset += length
        }
        return blocks
      })().finally(() => { this.#packReads.delete(name) })
      this.#packReads.set(name, reading)
    }
    return await reading
  }

  /**
   * Queues the block for the next write, which takes every block queued by then: it starts once
   * `PACK_BYTES` are queued, `PACK_WAIT_MS` after the first block was, or at `flush()`. One write
   * is under way at a time, in one transaction with relaxed durability, since a block lost to a
   * crash is simply fetched again. Settles once the block is stored.
   */
  async put (cid: CID, bytes: Uint8Array): Promise<void> {
    // A view into a larger buffer would store the whole buffer: keep exactly the block's bytes.
    const own = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : bytes.slice()
    const done = new Promise<void>((resolve, reject) => { this.#queue.push({ key: cid.toString(), bytes: own, resolve, reject }) })
    this.#queuedBytes += own.length
    if (this.#queuedBytes >= PACK_BYTES) this.flush()
    else this.#timer ??= setTimeout(() => { this.flush() }, PACK_WAIT_MS)
    await done
  }

  /** Starts writing what is queued now, without waiting to gather more (the fetcher has nothing more coming). */
  flush (): void {
    clearTimeout(this.#timer)
    this.#timer = undefined
    if (this.#writing || this.#queue.length === 0) return
    this.#writing = true
    void this.#write()
  }

  async #write (): Promise<void> {
    while (this.#queue.length > 0) {
      const batch = this.#queue
      this.#queue = []
      this.#queuedBytes = 0
      clearTimeout(this.#timer)
      this.#timer = undefined
      await this.#store(batch)
    }
    this.#writing = false
  }

  async #store (batch: Pending[]): Promise<void> {
    try {
      const tx = this.db.transaction([CACHE_BLOCKS_STORE, CACHE_PACKS_STORE, CACHE_META_STORE], 'readwrite', { durability: 'relaxed' })
      const blocks = tx.objectStore(CACHE_BLOCKS_STORE)
      const meta = tx.objectStore(CACHE_META_STORE)
      const [held, total] = await Promise.all([Promise.all(batch.map(async p => await blocks.count(p.key))), meta.get(TOTAL_BYTES)])
      let bytesHeld = typeof total === 'number' ? total : 0
      const seen = new Set<string>()
      const taken: Pending[] = []
      const refused = new Map<Pending, BlockCacheError>()
      batch.forEach((p, i) => {
        if (held[i]! > 0 || seen.has(p.key)) return
        if (bytesHeld + p.bytes.length > this.maxBytes) {
          refused.set(p, this.#full(`The block cache holds ${bytesHeld} of its ${this.maxBytes} bytes and cannot take ${p.bytes.length} more`))
          return
        }
        seen.add(p.key)
        bytesHeld += p.bytes.length
        taken.push(p)
      })
      const writes: Array<Promise<unknown>> = [meta.put(bytesHeld, TOTAL_BYTES)]
      for (const group of packs(taken)) writes.push(...this.#writePack(tx.objectStore(CACHE_PACKS_STORE), blocks, group))
      await Promise.all(writes)
      await tx.done
      for (const p of batch) {
        const err = refused.get(p)
        if (err !== undefined) {
          p.reject(err)
          continue
        }
        this.#recent.add(p.key, p.bytes)
        p.resolve()
      }
    } catch (err) {
      const failure = (err as Error).name === 'QuotaExceededError' ? this.#full('The browser refused to store more (its storage quota for this site is used up)') : err
      for (const p of batch) p.reject(failure)
    }
  }

  /** The writes that store `group`: a block alone as its own record, several as one pack and a small record each. */
  #writePack (packStore: { put: (value: Pack, key: string) => Promise<unknown> }, blocks: { put: (value: Uint8Array | PackedBlock, key: string) => Promise<unknown> }, group: Pending[]): Array<Promise<unknown>> {
    if (group.length === 1) return [blocks.put(group[0]!.bytes, group[0]!.key)]
    // Named by its first block, which is stored in this pack and nowhere else.
    const name = group[0]!.key
    const bytes = new Uint8Array(group.reduce((n, p) => n + p.bytes.length, 0))
    const writes: Array<Promise<unknown>> = []
    let offset = 0
    for (const p of group) {
      bytes.set(p.bytes, offset)
      writes.push(blocks.put({ pack: name, offset, length: p.bytes.length }, p.key))
      offset += p.bytes.length
    }
    writes.push(packStore.put({ blocks: group.map(p => [p.key, p.bytes.length]), bytes }, name))
    return writes
  }

  /** Bytes held. */
  async bytes (): Promise<number> {
    const total = await this.db.get(CACHE_META_STORE, TOTAL_BYTES)
    return typeof total === 'number' ? total : 0
  }

  async loadHeld (): Promise<string[]> {
    const held = await this.db.get(CACHE_META_STORE, HELD_BUNDLES)
    // Read back from disk, so checked like any input: at most the bound, strings only.
    return Array.isArray(held) ? held.filter(c => typeof c === 'string').slice(0, MAX_ANNOUNCED_BUNDLES) : []
  }

  async saveHeld (cids: readonly string[]): Promise<void> {
    await this.db.put(CACHE_META_STORE, cids.slice(0, MAX_ANNOUNCED_BUNDLES), HELD_BUNDLES)
  }

  close (): void {
    this.db.close()
  }

  #full (what: string): BlockCacheError {
    return new BlockCacheError('CACHE_FULL', `${what}; free space for this site in the browser's settings, or clear its data, and reload.`)
  }
}

/** `blocks` in order, cut into groups of at most `PACK_BYTES` (more than `MAX_BLOCK_BYTES`, so every group has room for a block). */
function packs (blocks: Pending[]): Pending[][] {
  const groups: Pending[][] = []
  let bytes = PACK_BYTES
  for (const p of blocks) {
    if (bytes + p.bytes.length > PACK_BYTES) {
      groups.push([])
      bytes = 0
    }
    groups.at(-1)!.push(p)
    bytes += p.bytes.length
  }
  return groups
}
