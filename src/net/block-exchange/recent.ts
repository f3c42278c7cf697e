/**
 * The blocks a tab stored or read last, kept in memory up to a byte bound, least recently used
 * first out. A bundle is served most right after it arrived (the publisher seeds it, a tab that
 * just fetched it is the nearest holder for the next): answering those from memory spares
 * IndexedDB a read per block while it is still busy writing. Only checked blocks come in here, as
 * into any store.
 */
export class RecentBlocks {
  readonly #blocks = new Map<string, Uint8Array>()
  #bytes = 0

  constructor (private readonly maxBytes: number) {}

  get (key: string): Uint8Array | undefined {
    const block = this.#blocks.get(key)
    if (block === undefined) return undefined
    // Re-inserted: a Map iterates in insertion order, so the first key is the least recently used.
    this.#blocks.delete(key)
    this.#blocks.set(key, block)
    return block
  }

  /** Whether the block is here, without counting as a use. */
  has (key: string): boolean {
    return this.#blocks.has(key)
  }

  add (key: string, block: Uint8Array): void {
    if (block.length > this.maxBytes) return
    const old = this.#blocks.get(key)
    if (old !== undefined) {
      this.#blocks.delete(key)
      this.#bytes -= old.length
    }
    this.#blocks.set(key, block)
    this.#bytes += block.length
    for (const [k, b] of this.#blocks) {
      if (this.#bytes <= this.maxBytes) break
      this.#blocks.delete(k)
      this.#bytes -= b.length
    }
  }

  /** Bytes held. */
  get bytes (): number {
    return this.#bytes
  }
}
