/**
 * Scoring. One challenge is pass or fail: a late, malformed, mis-addressed or wrong answer
 * fails with its reason. A miner's standing is the Wilson lower bound of its pass rate times the
 * bytes it holds (FileTAO's idea): a few lucky passes do not make a miner look reliable, a
 * failure costs more than a pass earns, and holding more counts only when it is really held.
 */
import type { Rejection, Score, Submission } from '../subnet.ts'
import { SubnetInputError } from '../subnet.ts'
import { checkAnswer, decodeAnswer, type StorageChallenge } from './challenge.ts'
import { WILSON_Z } from './constants.ts'

/** Lower bound of the Wilson score interval of `passes` out of `trials` (0 with no trials). */
export function wilsonLowerBound (passes: number, trials: number, z = WILSON_Z): number {
  if (trials === 0) return 0
  const p = passes / trials
  const z2 = z * z
  const centre = p + z2 / (2 * trials)
  const spread = z * Math.sqrt((p * (1 - p) + z2 / (4 * trials)) / trials)
  return Math.max(0, (centre - spread) / (1 + z2 / trials))
}

/** Why one answer to `challenge` fails, or null when it passes. Never throws on a miner's bytes. */
export function judgeAnswer (challenge: StorageChallenge, submission: Submission): Rejection | null {
  if (submission.uid !== challenge.uid) {
    return { code: 'WRONG_MINER', reason: `The challenge was for uid ${challenge.uid}, not uid ${submission.uid}.` }
  }
  if (submission.receivedAt > challenge.deadline) {
    return { code: 'LATE', reason: 'The answer arrived after the challenge\'s deadline.' }
  }
  try {
    return checkAnswer(challenge, decodeAnswer(submission.bytes))
  } catch (err) {
    if (err instanceof SubnetInputError) return err.rejection
    throw err
  }
}

/** Each submission to one challenge: 1 when it passes, else 0 with the reason. */
export function scoreAnswers (challenge: StorageChallenge, submissions: readonly Submission[]): Score[] {
  return submissions.map(submission => {
    const rejection = judgeAnswer(challenge, submission)
    return rejection === null ? { uid: submission.uid, score: 1 } : { uid: submission.uid, score: 0, rejection }
  })
}

/** What a validator has seen of one miner. */
export interface MinerRecord {
  uid: number
  passes: number
  trials: number
  /** Bytes assigned to the miner that it has not been caught without. */
  bytesHeld: number
}

/** Each miner's standing, Wilson lower bound × bytes held, scaled so the best is 1. */
export function storageScores (records: readonly MinerRecord[]): Score[] {
  const raw = records.map(r => wilsonLowerBound(r.passes, r.trials) * r.bytesHeld)
  const best = Math.max(0, ...raw)
  return records.map((r, i) => ({ uid: r.uid, score: best === 0 ? 0 : raw[i]! / best }))
}

/**
 * A miner's record after one more challenge on a shard of `shardBytes`: a failure also takes the
 * shard out of the bytes it is paid for holding (until it is assigned and proven again).
 */
export function afterChallenge (record: MinerRecord, shardBytes: number, passed: boolean): MinerRecord {
  return {
    uid: record.uid,
    passes: record.passes + (passed ? 1 : 0),
    trials: record.trials + 1,
    bytesHeld: passed ? record.bytesHeld : Math.max(0, record.bytesHeld - shardBytes)
  }
}
