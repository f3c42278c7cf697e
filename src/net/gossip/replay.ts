/**
 * Replay protection by sender sequence numbers, without trusting clocks. For each sender the
 * guard remembers the last `SEQ_WINDOW` numbers it accepted and a floor: the highest number it
 * has forgotten. A number in the window is a duplicate, a number at or below the floor a replay,
 * anything else new — so messages that gossip delivers slightly out of order still pass. Senders
 * are kept least-recently-heard first and the oldest is forgotten past `MAX_TRACKED_SENDERS`; an
 * old message of a forgotten sender is then stopped by the envelope's time window instead.
 */
import { MAX_TRACKED_SENDERS, SEQ_WINDOW } from './constants.ts'

export type SeqStatus = 'new' | 'duplicate' | 'replayed'

interface Sender {
  /** Highest number forgotten from the window; nothing at or below it is new. */
  floor: number
  seen: Set<number>
}

export class ReplayGuard {
  // A Map keeps insertion order; re-inserting on every accepted message makes the first entry the least recently heard.
  readonly #senders = new Map<string, Sender>()

  constructor (private readonly window = SEQ_WINDOW, private readonly maxSenders = MAX_TRACKED_SENDERS) {}

  check (sender: string, seq: number): SeqStatus {
    const s = this.#senders.get(sender)
    if (s === undefined) return 'new'
    if (s.seen.has(seq)) return 'duplicate'
    return seq <= s.floor ? 'replayed' : 'new'
  }

  /** Records an accepted number (call after `check` said 'new'). */
  record (sender: string, seq: number): void {
    let s = this.#senders.get(sender)
    if (s === undefined) {
      s = { floor: -1, seen: new Set() }
    } else {
      this.#senders.delete(sender)
    }
    this.#senders.set(sender, s)
    s.seen.add(seq)
    if (s.seen.size > this.window) {
      let lowest = seq
      for (const n of s.seen) if (n < lowest) lowest = n
      s.seen.delete(lowest)
      if (lowest > s.floor) s.floor = lowest
    }
    if (this.#senders.size > this.maxSenders) {
      const oldest = this.#senders.keys().next().value
      if (oldest !== undefined) this.#senders.delete(oldest)
    }
  }

  get senders (): number {
    return this.#senders.size
  }
}
