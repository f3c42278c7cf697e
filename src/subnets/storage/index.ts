/**
 * Data storage: miners keep per-miner encoded replicas of shards in IndexedDB within the quota
 * their user sets, and answer (shard, leaf, nonce) challenges with a Merkle path before a
 * deadline; validators score the Wilson lower bound of the pass rate times the bytes held.
 */
import type { Subnet } from '../subnet.ts'
import {
  decodeAnswer, decodeChallenge, encodeAnswer, encodeChallenge, newChallenge,
  type Assignment, type StorageAnswer, type StorageChallenge
} from './challenge.ts'
import { ANSWER_DEADLINE_MS } from './constants.ts'
import { scoreAnswers } from './score.ts'

/** What a validator needs to challenge one miner: its assignment and the time now (ms). */
export interface StorageContext {
  assignment: Assignment
  now: number
}

export const storage: Subnet<StorageChallenge, StorageAnswer, StorageContext> = {
  name: 'storage',
  description: 'Keeps pieces of the network\'s data in your browser and proves, when asked, that it still holds them.',
  newTask: (seed, { assignment, now }) => newChallenge(seed, assignment, now + ANSWER_DEADLINE_MS),
  encodeTask: encodeChallenge,
  decodeTask: decodeChallenge,
  encodeResult: encodeAnswer,
  decodeResult: decodeAnswer,
  score: scoreAnswers
}

export { answerChallenge } from './miner.ts'
export { encodeReplica, holdReplica, replicaRoot, leafCount } from './replica.ts'
export { afterChallenge, storageScores, wilsonLowerBound, type MinerRecord } from './score.ts'
export type { Assignment, StorageAnswer, StorageChallenge } from './challenge.ts'
