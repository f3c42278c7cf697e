import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { hash } from '../../../../src/core/hash.ts'
import { encodeAnswer, type Assignment } from '../../../../src/subnets/storage/challenge.ts'
import { SHARD_BYTES } from '../../../../src/subnets/storage/constants.ts'
import { answerChallenge } from '../../../../src/subnets/storage/miner.ts'
import { encodeReplica, holdReplica, leafCount, replicaRoot, type HeldReplica } from '../../../../src/subnets/storage/replica.ts'
import { afterChallenge, scoreAnswers, storageScores, wilsonLowerBound, type MinerRecord } from '../../../../src/subnets/storage/score.ts'
import { storage } from '../../../../src/subnets/storage/index.ts'

describe('the Wilson lower bound', () => {
  it('matches worked values and stays below the pass rate', () => {
    expect(wilsonLowerBound(0, 0)).toBe(0)
    expect(wilsonLowerBound(10, 10)).toBeCloseTo(0.7225, 4) // 10/10 at 95 %
    expect(wilsonLowerBound(5, 10)).toBeCloseTo(0.2366, 4)
    fc.assert(fc.property(fc.integer({ min: 1, max: 500 }), fc.double({ min: 0, max: 1, noNaN: true }), (trials, rate) => {
      const passes = Math.round(rate * trials)
      const bound = wilsonLowerBound(passes, trials)
      return bound >= 0 && bound <= passes / trials + 1e-12
    }))
  })
})

describe('storage scoring', () => {
  const seed = (n: number): Uint8Array => hash(new Uint8Array([n & 0xff, n >> 8]))
  const minerKey = (name: string): Uint8Array => hash(new TextEncoder().encode(name))

  it('scores late, mis-addressed and garbage answers zero with a reason, never throwing', () => {
    const shard = new Uint8Array(4096).fill(9)
    const replica = encodeReplica(shard, minerKey('m'), hash(shard))
    const assignment: Assignment = { uid: 1, shard: hash(shard), leaves: leafCount(replica.length), root: replicaRoot(replica) }
    const c = storage.newTask(seed(1), { assignment, now: 1000 })
    const good = encodeAnswer(answerChallenge(holdReplica(replica), c))
    const scores = scoreAnswers(c, [
      { uid: 1, bytes: good, receivedAt: 1500 },
      { uid: 1, bytes: good, receivedAt: c.deadline + 1 },
      { uid: 2, bytes: good, receivedAt: 1500 },
      { uid: 1, bytes: new Uint8Array([1, 2, 3]), receivedAt: 1500 }
    ])
    expect(scores.map(s => s.score)).toEqual([1, 0, 0, 0])
    expect(scores.map(s => s.rejection?.code)).toEqual([undefined, 'LATE', 'WRONG_MINER', 'MALFORMED'])
  })

  it('catches a miner that dropped half its shards within a few challenges, and ranks it below an honest one', () => {
    // 8 shards of full size, each miner holding its own replicas; the cheat kept only the even ones
    // and answers for the rest from the honest miner's replica (the best it can do without the data).
    const shards = Array.from({ length: 8 }, (_, k) => Uint8Array.from({ length: SHARD_BYTES }, (_, i) => (i * (k + 3)) & 0xff))
    const replicas = (name: string): HeldReplica[] => shards.map(s => holdReplica(encodeReplica(s, minerKey(name), hash(s))))
    const honest = replicas('honest')
    const cheat = replicas('cheat')
    const assignment = (uid: number, held: HeldReplica[], k: number): Assignment =>
      ({ uid, shard: hash(shards[k]!), leaves: leafCount(held[k]!.replica.length), root: replicaRoot(held[k]!.replica) })

    const firstFailures: number[] = []
    let records: MinerRecord[] = []
    for (let run = 0; run < 12; run++) {
      records = [{ uid: 0, passes: 0, trials: 0, bytesHeld: 8 * SHARD_BYTES }, { uid: 1, passes: 0, trials: 0, bytesHeld: 8 * SHARD_BYTES }]
      let firstFailure = 0
      for (let round = 1; round <= 10; round++) {
        const draw = seed(run * 100 + round)
        const k = draw[31]! % shards.length
        // The cheat answers for a dropped (odd) shard from the honest miner's replica.
        const holding = [honest[k]!, k % 2 === 0 ? cheat[k]! : honest[k]!]
        records = records.map((r, uid) => {
          const task = storage.newTask(draw, { assignment: assignment(uid, uid === 0 ? honest : cheat, k), now: 0 })
          const answer = encodeAnswer(answerChallenge(holding[uid]!, task))
          const [score] = storage.score(task, [{ uid, bytes: answer, receivedAt: 1 }])
          if (uid === 1 && score!.score === 0 && firstFailure === 0) firstFailure = round
          return afterChallenge(r, SHARD_BYTES, score!.score === 1)
        })
      }
      expect(records[0]!.passes).toBe(10) // the honest miner never fails
      firstFailures.push(firstFailure)
      const [honestScore, cheatScore] = storageScores(records)
      expect(honestScore!.score).toBe(1)
      expect(cheatScore!.score).toBeLessThan(0.5)
    }
    // Each challenge hits a dropped shard with probability 1/2: caught on average by the second.
    expect(Math.max(...firstFailures)).toBeLessThanOrEqual(6)
    expect(firstFailures.every(f => f > 0)).toBe(true)
  })
})
