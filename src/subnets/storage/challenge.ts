/**
 * Challenges and answers. A validator challenges one miner on one leaf of one replica it
 * assigned (leaf and nonce drawn from a seed, so the miner cannot precompute); the miner answers
 * with the leaf, its Merkle path and a tag binding the nonce, before the deadline. Checking an
 * answer costs log2(leaves) hashes against the root the validator kept.
 */
import { decode, encode, readBytes, readList, readU64, readUint, record } from '../../core/codec.ts'
import { LedgerError } from '../../core/errors.ts'
import { concatBytes, equalBytes, hash, utf8ToBytes } from '../../core/hash.ts'
import { verifyMerkleProof } from '../../core/merkle.ts'
import { SubnetInputError, type Rejection } from '../subnet.ts'
import { LEAF_BYTES, LEAVES_PER_SHARD, MAX_RESULT_BYTES, MAX_SIBLINGS, MAX_TASK_BYTES, NONCE_BYTES } from './constants.ts'
import { leafHash } from './replica.ts'

const TAG_DOMAIN = utf8ToBytes('tabtensor/storage/answer-tag/v1')
const SEED_DOMAIN = utf8ToBytes('tabtensor/storage/challenge/v1')

/** What a validator assigned to a miner, and keeps to check its answers. */
export interface Assignment {
  uid: number
  /** The shard's id: SHA-256 of its plain bytes. */
  shard: Uint8Array
  /** Leaves of the replica. */
  leaves: number
  /** Root of the miner's replica (replica.ts). */
  root: Uint8Array
}

export interface StorageChallenge extends Assignment {
  leaf: number
  nonce: Uint8Array
  /** Answers received after this time (ms since the epoch) score zero. */
  deadline: number
}

export interface StorageAnswer {
  /** Id of the challenge answered (challengeId). */
  challenge: Uint8Array
  leaf: Uint8Array
  siblings: Uint8Array[]
  /** H(domain ‖ nonce ‖ leaf): the answer was made for this challenge's nonce. */
  tag: Uint8Array
}

/** A challenge of `assignment` from `seed`: the leaf and the nonce both come from the seed. */
export function newChallenge (seed: Uint8Array, assignment: Assignment, deadline: number): StorageChallenge {
  const draw = hash(SEED_DOMAIN, seed)
  const leaf = ((draw[0]! << 24) | (draw[1]! << 16) | (draw[2]! << 8) | draw[3]!) >>> 0
  return { ...assignment, leaf: leaf % assignment.leaves, nonce: draw.slice(4, 4 + NONCE_BYTES), deadline }
}

export function answerTag (nonce: Uint8Array, leaf: Uint8Array): Uint8Array {
  return hash(concatBytes(TAG_DOMAIN, nonce, leaf))
}

/** Decoding errors of the core codec, as the subnet's input error with the same code. */
function asInput<T> (read: () => T): T {
  try {
    return read()
  } catch (err) {
    if (err instanceof LedgerError) throw new SubnetInputError(err.code, err.message)
    throw err
  }
}

const TASK_KEYS = ['uid', 'shard', 'leaves', 'root', 'leaf', 'nonce', 'deadline'] as const

export function encodeChallenge (c: StorageChallenge): Uint8Array {
  return encode({ uid: c.uid, shard: c.shard, leaves: c.leaves, root: c.root, leaf: c.leaf, nonce: c.nonce, deadline: c.deadline })
}

export function decodeChallenge (bytes: Uint8Array): StorageChallenge {
  return asInput(() => {
    const f = record(decode(bytes, MAX_TASK_BYTES, 'storage challenge'), TASK_KEYS, 'storage challenge')
    const leaves = readUint(f.leaves, 'leaves', LEAVES_PER_SHARD)
    if (leaves === 0) throw new SubnetInputError('BAD_FIELD', 'A storage challenge must name a replica with at least one leaf.')
    const leaf = readUint(f.leaf, 'leaf', leaves - 1)
    return {
      uid: readUint(f.uid, 'uid', 65535),
      shard: readBytes(f.shard, 'shard', 32),
      leaves,
      root: readBytes(f.root, 'root', 32),
      leaf,
      nonce: readBytes(f.nonce, 'nonce', NONCE_BYTES),
      deadline: Number(readU64(f.deadline, 'deadline'))
    }
  })
}

export function challengeId (c: StorageChallenge): Uint8Array {
  return hash(encodeChallenge(c))
}

export function encodeAnswer (a: StorageAnswer): Uint8Array {
  return encode({ challenge: a.challenge, leaf: a.leaf, siblings: a.siblings, tag: a.tag })
}

export function decodeAnswer (bytes: Uint8Array): StorageAnswer {
  return asInput(() => {
    const f = record(decode(bytes, MAX_RESULT_BYTES, 'storage answer'), ['challenge', 'leaf', 'siblings', 'tag'], 'storage answer')
    const leaf = readBytes(f.leaf, 'leaf')
    if (leaf.length === 0 || leaf.length > LEAF_BYTES) {
      throw new SubnetInputError('BAD_FIELD', `An answer's leaf holds 1 to ${LEAF_BYTES} bytes, not ${leaf.length}.`)
    }
    return {
      challenge: readBytes(f.challenge, 'challenge', 32),
      leaf,
      siblings: readList(f.siblings, 'siblings', MAX_SIBLINGS).map((s, i) => readBytes(s, `siblings[${i}]`, 32)),
      tag: readBytes(f.tag, 'tag', 32)
    }
  })
}

/** Why `answer` fails `challenge`, or null when it passes. Received time is checked by the scorer. */
export function checkAnswer (challenge: StorageChallenge, answer: StorageAnswer): Rejection | null {
  if (!equalBytes(answer.challenge, challengeId(challenge))) {
    return { code: 'WRONG_TASK', reason: 'The answer is for another challenge.' }
  }
  if (!equalBytes(answer.tag, answerTag(challenge.nonce, answer.leaf))) {
    return { code: 'BAD_TAG', reason: 'The answer\'s tag does not bind this challenge\'s nonce to the leaf.' }
  }
  const proof = { index: challenge.leaf, count: challenge.leaves, siblings: answer.siblings }
  if (!verifyMerkleProof(challenge.root, leafHash(answer.leaf), proof)) {
    return { code: 'WRONG_PATH', reason: 'The leaf and its Merkle path do not lead to the replica\'s root: the miner does not hold it.' }
  }
  return null
}
