/**
 * Exponential backoff with jitter for redialing relays and peers: the delay doubles with each
 * failure up to a cap, and part of it is random so that tabs that lost the same relay at the same
 * moment spread their redials out.
 */
import { BACKOFF_BASE_MS, BACKOFF_JITTER, BACKOFF_MAX_MS } from './constants.ts'

/** Milliseconds to wait after the `failures`-th consecutive failure (1 = the first). */
export function backoffDelay (failures: number, random: () => number = Math.random): number {
  const ceiling = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** Math.max(0, failures - 1))
  return Math.round(ceiling * (1 - BACKOFF_JITTER * random()))
}

/** When one relay or peer may be dialed next. */
export class Backoff {
  failures = 0
  #nextAt = 0

  constructor (private readonly random: () => number = Math.random) {}

  /** Whether a dial is allowed at `now` (milliseconds). */
  due (now: number): boolean {
    return now >= this.#nextAt
  }

  /** Counts a failure at `now`; returns the milliseconds until the next dial is due. */
  failed (now: number): number {
    this.failures++
    const delay = backoffDelay(this.failures, this.random)
    this.#nextAt = now + delay
    return delay
  }

  /** Holds the next dial back by `ms` without counting a failure. */
  defer (now: number, ms: number): void {
    this.#nextAt = Math.max(this.#nextAt, now + ms)
  }

  succeeded (): void {
    this.failures = 0
    this.#nextAt = 0
  }
}
