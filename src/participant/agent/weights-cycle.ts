/**
 * When a validator commits and reveals its weights. The ledger accepts a reveal only after the
 * subnet has run an epoch since the commit, and within `commitRevealPeriod` epochs of it
 * (src/core/ledger/weights.ts). So at each epoch the validator first reveals what it committed
 * before (those weights then count from the next epoch on), then commits its current weights.
 * The relay's API shows epochs by the block of the last one (`lastEpochBlock`), which is what a
 * commit remembers.
 */
import type { WeightVector } from './score-book.ts'

/** A commit not yet revealed: what was committed, and the last epoch's block when it was sent. */
export interface PendingCommit extends WeightVector {
  /** Hex of the 32-byte salt. */
  salt: string
  /** `lastEpochBlock` when the commit was sent. */
  epochBlock: number
}

export type WeightsStep =
  | { kind: 'reveal', commit: PendingCommit }
  | { kind: 'commit', weights: WeightVector }
  | { kind: 'wait' }

export interface WeightsState {
  /** The subnet's `lastEpochBlock` now. */
  epochBlock: number
  /** Whether the validator holds a validator permit (weights on others need one). */
  permit: boolean
  pending: PendingCommit | null
  /** `lastEpochBlock` of the validator's latest commit (sent), or -1. */
  committedAt: number
  weights: WeightVector
}

/** The next thing to do about weights now. */
export function nextWeightsStep (s: WeightsState): WeightsStep {
  if (s.pending !== null && s.epochBlock > s.pending.epochBlock) return { kind: 'reveal', commit: s.pending }
  if (s.pending === null && s.permit && s.committedAt < s.epochBlock && s.weights.uids.length > 0) {
    return { kind: 'commit', weights: s.weights }
  }
  return { kind: 'wait' }
}
