import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { encode } from '../../../../src/core/codec.ts'
import type { Submission } from '../../../../src/subnets/subnet.ts'
import { symmetries } from '../../../../src/subnets/folding/lattice.ts'
import { scoreFolds } from '../../../../src/subnets/folding/score.ts'
import { encodeFoldingResult } from '../../../../src/subnets/folding/task.ts'
import type { FoldingTask } from '../../../../src/subnets/folding/types.ts'
import { applySymmetry, canonicalFold, energyOfFold, reverseFold } from '../../../../src/subnets/folding/verify.ts'
import { growWalk } from '../../../helpers/folds.ts'

const task: FoldingTask = { dims: 2, sequence: 'HPHPPHHPHPPHPHHPPHPH', id: 'aa'.repeat(16) }
const OTHER_ID = 'bb'.repeat(16)

/** Full-length folds of the task's sequence, one per energy from 0 to −4, found by growing walks. */
const byEnergy = new Map<number, string[]>()
for (let seed = 0; byEnergy.size < 5 || [...byEnergy.values()].some(f => f.length < 2); seed++) {
  const picks = Array.from({ length: 20 }, (_, i) => (seed * 7919 + i * i * 31 + (seed >> 3) * i) % 97)
  const moves = growWalk(task.sequence.length, 2, picks)
  if (moves.length !== task.sequence.length - 1) continue
  const energy = energyOfFold(task.sequence, moves, 2)
  if (energy < -4) continue
  const list = byEnergy.get(energy) ?? []
  if (list.length < 2 && !list.some(m => canonicalFold(m, 2) === canonicalFold(moves, 2))) list.push(moves)
  byEnergy.set(energy, list)
}
const fold = (energy: number, which = 0): string => byEnergy.get(energy)![which]!

let clock = 1000
function submit (uid: number, moves: string, taskId = task.id, receivedAt = clock++): Submission {
  return { uid, bytes: encodeFoldingResult({ taskId, moves }), receivedAt }
}

describe('scoreFolds', () => {
  it('gives the best fold 1 and the others linearly less, in submission order', () => {
    const scores = scoreFolds(task, [submit(7, fold(-1)), submit(8, fold(-3)), submit(9, fold(-2))])
    expect(scores).toStrictEqual([{ uid: 7, score: 1 / 3 }, { uid: 8, score: 1 }, { uid: 9, score: 2 / 3 }])
  })

  it('lets equal energies share the better rank', () => {
    const scores = scoreFolds(task, [submit(1, fold(-3, 0)), submit(2, fold(-1)), submit(3, fold(-3, 1)), submit(4, fold(-2))])
    expect(scores.map(s => s.score)).toStrictEqual([1, 1 / 4, 1, 2 / 4])
  })

  it('gives a fold without contacts 0 as TRIVIAL, and leaves it out of the ranking', () => {
    const scores = scoreFolds(task, [submit(1, fold(0)), submit(2, fold(-2)), submit(3, fold(-1))])
    expect(scores[0]).toMatchObject({ score: 0, rejection: { code: 'TRIVIAL' } })
    expect(scores[1]!.score).toBe(1)
    expect(scores[2]!.score).toBe(1 / 2)
  })

  it('drops rotated and mirrored copies: the earliest receipt keeps the fold, whatever the submission order', () => {
    const original = fold(-3)
    const symmetry = symmetries(2)[5]!
    const copy = applySymmetry(original, symmetry)
    expect(copy).not.toBe(original)
    const scores = scoreFolds(task, [submit(1, copy, task.id, 2000), submit(2, original, task.id, 1000), submit(3, fold(-1), task.id, 1500)])
    expect(scores[0]).toMatchObject({ uid: 1, score: 0, rejection: { code: 'DUPLICATE' } })
    expect(scores[0]!.rejection!.reason).toContain('uid 2')
    expect(scores[1]).toStrictEqual({ uid: 2, score: 1 })
    expect(scores[2]).toStrictEqual({ uid: 3, score: 1 / 2 })
  })

  it('drops a fold traced from its other end when the sequence is a palindrome, and only then', () => {
    const palindromic: FoldingTask = { dims: 2, sequence: 'HPPHHPPH', id: task.id }
    const moves = 'RRUULLD'
    expect(energyOfFold(palindromic.sequence, moves, 2)).toBeLessThan(0)
    const codes = (t: FoldingTask): Array<string | undefined> =>
      scoreFolds(t, [submit(1, moves), submit(2, reverseFold(moves))]).map(s => s.rejection?.code)
    expect(codes(palindromic)).toStrictEqual([undefined, 'DUPLICATE'])
    expect(codes({ ...palindromic, sequence: 'HPPHHPPP' })[1]).not.toBe('DUPLICATE')
  })

  it('breaks a tie in receipt time by submission order, and treats an unknown time as latest', () => {
    const a = fold(-2)
    expect(scoreFolds(task, [submit(1, a, task.id, 5), submit(2, a, task.id, 5)]).map(s => s.rejection?.code)).toStrictEqual([undefined, 'DUPLICATE'])
    expect(scoreFolds(task, [submit(1, a, task.id, Number.NaN), submit(2, a, task.id, 9)]).map(s => s.rejection?.code)).toStrictEqual(['DUPLICATE', undefined])
  })

  it('scores malformed bytes, another task\'s result and invalid folds 0 with their codes', () => {
    const good = fold(-2)
    const scores = scoreFolds(task, [
      { uid: 1, bytes: new Uint8Array([1, 2, 3]), receivedAt: 1 },
      { uid: 2, bytes: new Uint8Array(10_000), receivedAt: 1 },
      submit(3, good, OTHER_ID),
      submit(4, good.slice(1)),
      submit(5, good.slice(0, -1) + 'X'),
      submit(6, 'RL' + good.slice(2)),
      { uid: 7, bytes: encode({ moves: good, taskId: task.id, energy: -99 }), receivedAt: 1 },
      { uid: 8, bytes: null as unknown as Uint8Array, receivedAt: 1 },
      submit(9, good)
    ])
    expect(scores.map(s => s.rejection?.code)).toStrictEqual([
      'MALFORMED', 'TOO_LARGE', 'WRONG_TASK', 'WRONG_LENGTH', 'BAD_MOVE', 'SELF_INTERSECTION', 'UNKNOWN_FIELD', 'MALFORMED', undefined
    ])
    expect(scores.map(s => s.score)).toStrictEqual([0, 0, 0, 0, 0, 0, 0, 0, 1])
    for (const s of scores.slice(0, -1)) expect(s.rejection!.reason.length).toBeGreaterThan(10)
  })

  it('returns nothing for no submissions', () => {
    expect(scoreFolds(task, [])).toStrictEqual([])
  })

  it('never throws, keeps scores in [0, 1], and junk does not change the others\' scores', () => {
    const folds = [...byEnergy.values()].flat()
    const honest = fc.array(fc.record({ pick: fc.nat(), symmetry: fc.nat(), at: fc.integer({ min: 0, max: 100 }) }), { maxLength: 8 })
    const junk = fc.array(fc.record({ bytes: fc.uint8Array({ maxLength: 80 }), at: fc.integer({ min: 0, max: 100 }) }), { maxLength: 5 })
    fc.assert(fc.property(honest, junk, (hs, js) => {
      const good = hs.map((h, i) => ({
        uid: i,
        bytes: encodeFoldingResult({ taskId: task.id, moves: applySymmetry(folds[h.pick % folds.length]!, symmetries(2)[h.symmetry % 8]!) }),
        receivedAt: h.at
      }))
      const bad = js.map((j, i) => ({ uid: 100 + i, bytes: j.bytes, receivedAt: j.at }))
      const alone = scoreFolds(task, good)
      const mixed = scoreFolds(task, [...bad, ...good])
      expect(mixed.slice(bad.length)).toStrictEqual(alone)
      for (const s of mixed) {
        expect(s.score).toBeGreaterThanOrEqual(0)
        expect(s.score).toBeLessThanOrEqual(1)
        if (s.score === 0) expect(s.rejection).toBeDefined()
      }
      if (alone.some(s => s.score > 0)) expect(Math.max(...alone.map(s => s.score))).toBe(1)
    }), { numRuns: 200 })
  })
})
