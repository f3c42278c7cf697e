/**
 * The tab's block cache in IndexedDB (`idb`): a reload finds every block it fetched before, so a
 * bundle is fetched once and a fetch cut short continues where it stopped. A running total of
 * the blocks' bytes lives beside them, updated in the same transaction, and bounds the cache at
 * `maxBytes`. When the browser's own quota is hit first, the put fails the same way, with a
 * sentence that says what to do.
 *
 * Blocks are written in packs: the blocks queued together go into one record (up to
 * `PACK_BYTES`) that lists their CIDs, and a unique index on those CIDs finds any block's pack.
 * IndexedDB's cost is per request more than per byte (in Chromium, writing 16 MiB as 256 KiB
 * records took two to three times as long as in 4 MiB records, and a small record per block,
 * with a check that it was not held, cost the fetching page two requests per block), so a fetch
 * stores a bundle in a few large writes of three requests each, while every block stays found on
 * its own: `has` for resuming, `get` for serving. Reading one block of a pack reads the pack and
 * keeps its blocks in memory (`RecentBlocks`), which is where a server's next few reads find them.
 */
import { openDB, type DBSchema, type IDBPDatabase } from 'idb'
import type { CID } from 'multiformats/cid'
import { CACHE_CID_INDEX, CACHE_DB_NAME, CACHE_DB_VERSION, CACHE_META_STORE, CACHE_PACKS_STORE, MAX_ANNOUNCED_BUNDLES, MAX_CACHE_BYTES, PACK_BYTES, PACK_WAIT_MS, RECENT_BLOCKS_BYTES } from './constants.ts'
import { BlockCacheError } from './errors.ts'
import { RecentBlocks } from './recent.ts'
import type { BlockStore } from './store.ts'

/** Blocks written together: their CIDs and lengths, and their bytes one after another in the same order. */
interface Pack {
  cids: string[]
  lengths: number[]
  bytes: Uint8Array
}

interface CacheSchema extends DBSchema {
  packs: { key: string, value: Pack, indexes: { cid: string } }
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
        if (oldVersion > 0 && oldVersion < 3) {
          // An older layout: its blocks are dropped (fetched again when needed), and with them the
          // running total and the list of bundles held in full.
          for (const name of [...database.objectStoreNames]) database.deleteObjectStore(name as never)
        }
        if (!database.objectStoreNames.contains(CACHE_META_STORE)) database.createObjectStore(CACHE_META_STORE)
        if (!database.objectStoreNames.contains(CACHE_PACKS_STORE)) {
          database.createObjectStore(CACHE_PACKS_STORE).createIndex(CACHE_CID_INDEX, 'cids', { unique: true, multiEntry: true })
        }
      }
    })
    return new IdbBlockStore(db, init.maxBytes ?? MAX_CACHE_BYTES, init.recentBytes ?? RECENT_BLOCKS_BYTES)
  }

  async has (cid: CID): Promise<boolean> {
    return (await this.hasMany([cid]))[0]!
  }

  async hasMany (cids: readonly CID[]): Promise<boolean[]> {
    // Blocks in memory are held (nothing is ever deleted): a server asked about what it just
    // published or fetched answers without a request per block.
    const keys = cids.map(cid => cid.toString())
    const held = keys.map(key => this.#recent.has(key))
    const unknown = keys.flatMap((_, i) => held[i]! ? [] : [i])
    if (unknown.length === 0) return held
    const tx = this.db.transaction(CACHE_PACKS_STORE)
    const index = tx.store.index(CACHE_CID_INDEX)
    const counts = await Promise.all(unknown.map(async i => await index.count(keys[i]!)))
    await tx.done
    unknown.forEach((i, k) => { held[i] = counts[k]! > 0 })
    return held
  }

  async get (cid: CID): Promise<Uint8Array | undefined> {
    const key = cid.toString()
    const recent = this.#recent.get(key)
    if (recent !== undefined) return recent
    const pack = await this.db.getKeyFromIndex(CACHE_PACKS_STORE, CACHE_CID_INDEX, key)
    if (pack === undefined) return undefined
    return (await this.#readPack(pack))?.get(key)
  }

  /** The blocks of pack `name`, now also in memory; a server asking for several of them at once reads the pack once. */
  async #readPack (name: string): Promise<Map<string, Uint8Array> | undefined> {
    let reading = this.#packReads.get(name)
    if (reading === undefined) {
      reading = (async () => {
        const pack = await this.db.get(CACHE_PACKS_STORE, name)
        // Read back from disk, so checked like any input: a pack that is not what this code writes holds nothing.
        if (!isPack(pack)) return undefined
        const blocks = new Map<string, Uint8Array>()
        let offset = 0
        pack.cids.forEach((key, i) => {
          const length = pack.lengths[i]!
          // Copies, so that one block kept in memory does not keep the whole pack there.
          const block = pack.bytes.slice(offset, offset + length)
          blocks.set(key, block)
          this.#recent.add(key, block)
          offset += length
        })
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
    // A view into a larger buffer (a bundle being published) would keep that whole buffer in memory
    // once the block is among the recent ones: keep exactly the block's bytes.
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

  /**
   * Stores `batch`, settling each of its blocks. Blocks are written without asking first whether
   * they are held (a fetch asks for missing blocks only): should one be, the unique index refuses
   * its pack, nothing is written, and the batch is written again leaving out what is held.
   */
  async #store (batch: Pending[]): Promise<void> {
    let outcome: Map<Pending, BlockCacheError>
    try {
      try {
        outcome = await this.#writeBatch(batch, false)
      } catch (err) {
        if ((err as Error).name !== 'ConstraintError') throw err
        outcome = await this.#writeBatch(batch, true)
      }
    } catch (err) {
      const failure = (err as Error).name === 'QuotaExceededError' ? this.#full('The browser refused to store more (its storage quota for this site is used up)') : err
      for (const p of batch) p.reject(failure)
      return
    }
    for (const p of batch) {
      const err = outcome.get(p)
      if (err !== undefined) {
        p.reject(err)
        continue
      }
      this.#recent.add(p.key, p.bytes)
      p.resolve()
    }
  }

  /** One transaction that writes the blocks of `batch` that fit, as packs; `skipHeld` first asks which are held already. Returns the refusals. */
  async #writeBatch (batch: Pending[], skipHeld: boolean): Promise<Map<Pending, BlockCacheError>> {
    const tx = this.db.transaction([CACHE_PACKS_STORE, CACHE_META_STORE], 'readwrite', { durability: 'relaxed' })
    const packStore = tx.objectStore(CACHE_PACKS_STORE)
    const meta = tx.objectStore(CACHE_META_STORE)
    const index = packStore.index(CACHE_CID_INDEX)
    const [held, total] = await Promise.all([
      skipHeld ? Promise.all(batch.map(async p => await index.count(p.key))) : batch.map(() => 0),
      meta.get(TOTAL_BYTES)
    ])
    let bytesHeld = typeof total === 'number' ? total : 0
    const seen = new Set<string>()
    const taken: Pending[] = []
    const outcome = new Map<Pending, BlockCacheError>()
    batch.forEach((p, i) => {
      if (held[i]! > 0 || seen.has(p.key)) return
      if (bytesHeld + p.bytes.length > this.maxBytes) {
        outcome.set(p, this.#full(`The block cache holds ${bytesHeld} of its ${this.maxBytes} bytes and cannot take ${p.bytes.length} more`))
        return
      }
      seen.add(p.key)
      bytesHeld += p.bytes.length
      taken.push(p)
    })
    // Each pack is named by its first block, which is stored in this pack and nowhere else.
    const writes: Array<Promise<unknown>> = [meta.put(bytesHeld, TOTAL_BYTES)]
    for (const group of packs(taken)) writes.push(packStore.add(pack(group), group[0]!.key))
    await Promise.all([...writes, tx.done])
    return outcome
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

/** One record of `group`'s blocks: IndexedDB takes one buffer at a lower cost than many (in Chromium, a quarter of the page's time for 4 MiB). */
function pack (group: Pending[]): Pack {
  const bytes = new Uint8Array(group.reduce((n, p) => n + p.bytes.length, 0))
  let offset = 0
  for (const p of group) {
    bytes.set(p.bytes, offset)
    offset += p.bytes.length
  }
  return { cids: group.map(p => p.key), lengths: group.map(p => p.bytes.length), bytes }
}

/** Whether `value`, read back from the cache, is a pack as `pack()` makes them. */
function isPack (value: unknown): value is Pack {
  if (typeof value !== 'object' || value === null) return false
  const { cids, lengths, bytes } = value as Partial<Pack>
  return Array.isArray(cids) && Array.isArray(lengths) && bytes instanceof Uint8Array && cids.length === lengths.length &&
    cids.every(c => typeof c === 'string') && lengths.every(n => Number.isSafeInteger(n) && n >= 0) &&
    lengths.reduce((sum, n) => sum + n, 0) === bytes.length
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
