/**
 * Where a node keeps blocks: the tab's IndexedDB cache (`idb-store.ts`), the relay's folder of
 * published bundles (`relay/bundle-store.ts`), or memory. A store takes only blocks its caller
 * has checked against their CIDs; the fetcher checks every block before `put`.
 */
import type { CID } from 'multiformats/cid'
import { BlockCacheError } from './errors.ts'

export interface BlockStore {
  has (cid: CID): Promise<boolean>
  /** Which of `cids` the store holds, in order. */
  hasMany (cids: readonly CID[]): Promise<boolean[]>
  get (cid: CID): Promise<Uint8Array | undefined>
  /** Keeps a checked block; putting a block already held does nothing. Throws BlockCacheError (CACHE_FULL) past the store's bound. */
  put (cid: CID, bytes: Uint8Array): Promise<void>
  /** Writes what `put` has queued now, for a store that gathers blocks into larger writes: the caller has nothing more coming. */
  flush? (): void
  /** The manifest CIDs last given to `saveHeld`, most recent first; a store that outlives the page (IndexedDB) has them after a reload. */
  loadHeld? (): Promise<string[]>
  /** Remembers which bundles the node holds in full (at most `MAX_ANNOUNCED_BUNDLES`), for `loadHeld` after a reload. */
  saveHeld? (cids: readonly string[]): Promise<void>
}

/** Blocks in memory, up to `maxBytes`: for a Node tab and for tests. */
export class MemoryBlockStore implements BlockStore {
  readonly #blocks = new Map<string, Uint8Array>()
  #bytes = 0
  #held: string[] = []

  constructor (private readonly maxBytes = Number.POSITIVE_INFINITY) {}

  async has (cid: CID): Promise<boolean> {
    return this.#blocks.has(cid.toString())
  }

  async hasMany (cids: readonly CID[]): Promise<boolean[]> {
    return cids.map(cid => this.#blocks.has(cid.toString()))
  }

  async get (cid: CID): Promise<Uint8Array | undefined> {
    return this.#blocks.get(cid.toString())
  }

  async put (cid: CID, bytes: Uint8Array): Promise<void> {
    const key = cid.toString()
    if (this.#blocks.has(key)) return
    if (this.#bytes + bytes.length > this.maxBytes) {
      throw new BlockCacheError('CACHE_FULL', `The block cache holds ${this.#bytes} of its ${this.maxBytes} bytes and cannot take ${bytes.length} more; free some space and try again.`)
    }
    this.#blocks.set(key, bytes)
    this.#bytes += bytes.length
  }

  async loadHeld (): Promise<string[]> {
    return [...this.#held]
  }

  async saveHeld (cids: readonly string[]): Promise<void> {
    this.#held = [...cids]
  }

  /** Bytes held. */
  get bytes (): number {
    return this.#bytes
  }
}
