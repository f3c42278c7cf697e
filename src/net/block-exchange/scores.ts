/**
 * This node's own opinion of the peers it fetches blocks from. A good block earns a little (up
 * to a ceiling), a stall or a failed request costs more, and a block that does not match its CID
 * or a broken protocol costs enough to ban the peer at once. A banned peer is not asked for blocks
 * again while this page lives; nothing here is shared with other nodes.
 */
import { BAN_SCORE, INITIAL_SCORE, MAX_SCORE, PENALTY_FAILURE, PENALTY_INVALID, PENALTY_NOT_HELD } from './constants.ts'
import type { BlockErrorCode } from './errors.ts'

/** Most peers scored at once; past it, peers back at the initial score are forgotten. */
const MAX_SCORED_PEERS = 4096

/** What each kind of failure costs. Busy is not a fault: the peer said so politely. */
const PENALTY: Partial<Record<BlockErrorCode, number>> = {
  BLOCK_HASH_MISMATCH: PENALTY_INVALID,
  BLOCK_TOO_LARGE: PENALTY_INVALID,
  PROTOCOL_VIOLATION: PENALTY_INVALID,
  FRAME_TOO_LARGE: PENALTY_INVALID,
  PEER_STALLED: PENALTY_FAILURE,
  PEER_BUSY: 0
}

export class PeerScores {
  readonly #scores = new Map<string, number>()

  get (peerId: string): number {
    return this.#scores.get(peerId) ?? INITIAL_SCORE
  }

  banned (peerId: string): boolean {
    return this.get(peerId) < BAN_SCORE
  }

  /** Lowers `peerId`'s score for a failure of kind `code`; returns whether the peer is now banned. */
  penalise (peerId: string, code: BlockErrorCode | 'NOT_HELD'): boolean {
    const cost = code === 'NOT_HELD' ? PENALTY_NOT_HELD : PENALTY[code] ?? PENALTY_FAILURE
    this.#set(peerId, this.get(peerId) - cost)
    return this.banned(peerId)
  }

  reward (peerId: string, points: number): void {
    this.#set(peerId, Math.min(MAX_SCORE, this.get(peerId) + points))
  }

  /** Whether a failure of kind `code` means the peer is dishonest or broken, not just slow. */
  static isInvalid (code: BlockErrorCode): boolean {
    return (PENALTY[code] ?? 0) >= PENALTY_INVALID
  }

  #set (peerId: string, score: number): void {
    this.#scores.set(peerId, score)
    if (this.#scores.size > MAX_SCORED_PEERS) {
      for (const [id, s] of this.#scores) if (s === INITIAL_SCORE) this.#scores.delete(id)
    }
  }
}
