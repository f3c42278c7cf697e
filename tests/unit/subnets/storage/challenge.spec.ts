import { describe, expect, it } from 'vitest'
import { encode } from '../../../../src/core/codec.ts'
import { hash } from '../../../../src/core/hash.ts'
import {
  challengeId, checkAnswer, decodeAnswer, decodeChallenge, encodeAnswer, encodeChallenge, newChallenge, type Assignment
} from '../../../../src/subnets/storage/challenge.ts'
import { MAX_RESULT_BYTES } from '../../../../src/subnets/storage/constants.ts'
import { answerChallenge } from '../../../../src/subnets/storage/miner.ts'
import { encodeReplica, holdReplica, leafCount, replicaRoot } from '../../../../src/subnets/storage/replica.ts'
import { SubnetInputError } from '../../../../src/subnets/subnet.ts'

const shard = Uint8Array.from({ length: 20_000 }, (_, i) => (i * 13) & 0xff)
const shardId = hash(shard)
const miner = hash(new TextEncoder().encode('miner'))
const replica = encodeReplica(shard, miner, shardId)
const assignment: Assignment = { uid: 3, shard: shardId, leaves: leafCount(replica.length), root: replicaRoot(replica) }
const seed = (n: number): Uint8Array => hash(new Uint8Array([n]))

describe('storage challenges', () => {
  it('draw the leaf and the nonce from the seed', () => {
    const a = newChallenge(seed(1), assignment, 1000)
    expect(newChallenge(seed(1), assignment, 1000)).toEqual(a)
    const leaves = new Set(Array.from({ length: 40 }, (_, i) => newChallenge(seed(i), assignment, 1000).leaf))
    expect(leaves.size).toBeGreaterThan(10)
    for (const leaf of leaves) expect(leaf).toBeLessThan(assignment.leaves)
  })

  it('round-trip through their canonical encodings', () => {
    const c = newChallenge(seed(2), assignment, 1_700_000_000_000)
    expect(decodeChallenge(encodeChallenge(c))).toEqual(c)
    const answer = answerChallenge(holdReplica(replica), c)
    expect(decodeAnswer(encodeAnswer(answer))).toEqual(answer)
  })

  it('pass when the miner holds its replica', () => {
    for (let i = 0; i < 10; i++) {
      const c = newChallenge(seed(i), assignment, 0)
      expect(checkAnswer(c, answerChallenge(holdReplica(replica), c))).toBeNull()
    }
  })

  it('fail with WRONG_PATH when answered from another miner\'s replica of the same shard', () => {
    const other = encodeReplica(shard, hash(new TextEncoder().encode('other')), shardId)
    const c = newChallenge(seed(3), assignment, 0)
    // The copy's tag and challenge id are right; only the leaf and path belong to another replica.
    expect(checkAnswer(c, answerChallenge(holdReplica(other), c))?.code).toBe('WRONG_PATH')
  })

  it('fail with BAD_TAG or WRONG_TASK when the answer is for another nonce or challenge', () => {
    const c = newChallenge(seed(4), assignment, 0)
    const d = newChallenge(seed(5), assignment, 0)
    const answer = answerChallenge(holdReplica(replica), d)
    expect(checkAnswer(c, answer)?.code).toBe('WRONG_TASK')
    expect(checkAnswer(c, { ...answer, challenge: challengeId(c) })?.code).toBe('BAD_TAG')
  })

  it('refuse oversized, non-canonical and ill-typed bytes with codes', () => {
    const decodeCode = (bytes: Uint8Array): string => {
      try {
        decodeAnswer(bytes)
      } catch (err) {
        expect(err).toBeInstanceOf(SubnetInputError)
        return (err as SubnetInputError).code
      }
      return 'accepted'
    }
    expect(decodeCode(new Uint8Array(MAX_RESULT_BYTES + 1))).toBe('TOO_LARGE')
    expect(decodeCode(new Uint8Array([0xff, 0x00]))).toBe('MALFORMED')
    expect(decodeCode(encode({ challenge: new Uint8Array(32), leaf: new Uint8Array(1), siblings: [], tag: new Uint8Array(31) }))).toBe('BAD_FIELD')
    expect(decodeCode(encode({ challenge: new Uint8Array(32), leaf: new Uint8Array(0), siblings: [], tag: new Uint8Array(32) }))).toBe('BAD_FIELD')
    expect(decodeCode(encode({ leaf: new Uint8Array(1), siblings: [], tag: new Uint8Array(32) }))).toBe('MISSING_FIELD')
    expect(() => decodeChallenge(encode({ uid: 1 }))).toThrow(SubnetInputError)
  })
})
