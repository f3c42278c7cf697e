/**
 * A token bucket per peer: `rate` requests a second sustained, `burst` at once. The map is bounded
 * by forgetting full buckets (a peer that has been quiet long enough to refill owes nothing).
 */

interface Bucket {
  tokens: number
  at: number
}

/** Most peers tracked at once; past it, buckets that have refilled are dropped. */
const MAX_TRACKED_PEERS = 4096

export class PeerRateLimit {
  readonly #buckets = new Map<string, Bucket>()

  constructor (private readonly rate: number, private readonly burst: number, private readonly now: () => number = Date.now) {}

  /** Takes one token for `peerId`; false when the peer is over its rate. */
  take (peerId: string): boolean {
    const now = this.now()
    const bucket = this.#buckets.get(peerId) ?? { tokens: this.burst, at: now }
    bucket.tokens = Math.min(this.burst, bucket.tokens + (now - bucket.at) * this.rate / 1000)
    bucket.at = now
    const allowed = bucket.tokens >= 1
    if (allowed) bucket.tokens -= 1
    this.#buckets.set(peerId, bucket)
    if (this.#buckets.size > MAX_TRACKED_PEERS) this.#prune(now)
    return allowed
  }

  #prune (now: number): void {
    for (const [id, b] of this.#buckets) {
      if (b.tokens + (now - b.at) * this.rate / 1000 >= this.burst) this.#buckets.delete(id)
    }
  }
}
