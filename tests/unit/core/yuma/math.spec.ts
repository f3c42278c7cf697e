import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { HALF, ONE, fixed, fromFloat, sub, type Fixed } from '../../../../src/core/yuma/fixed.ts'
import { normalized } from '../../../../src/core/yuma/exact.ts'
import {
  colClip, colMaxUpscale, colNormalize, interpolate, isTopkNonzero, matEma, matEmaAlpha, vecMaxUpscaleToU16
} from '../../../../src/core/yuma/math.ts'
import { weightedMedian, weightedMedianCols } from '../../../../src/core/yuma/median.ts'
import type { FixedMatrix } from '../../../../src/core/yuma/sparse.ts'
import { bigints, csrOf, doubles, rowsOf } from './csr.ts'
import { weightedMedian as oracleWeightedMedian } from './oracle/math.ts'
import { loadVectors, toNumber, vectorById, type Json } from './reference.ts'

const normalize = (values: Fixed[]): Fixed[] => bigints(normalized(doubles(values)))

const file = loadVectors()
/** subtensor's tests write f32 literals (`fixed(0.1)`), converted with from_num: round half to even. */
const f32 = (x: number): Fixed => fromFloat(Math.fround(x))
/** `vec_to_sparse_mat_fixed(values, rows, false)`: row-major, non-zero entries only. */
function sparseOf (values: number[], rows: number, convert: (x: number) => Fixed = f32): FixedMatrix {
  const columns = values.length / rows
  return Array.from({ length: rows }, (_, i) => values.slice(i * columns, (i + 1) * columns)
    .flatMap((v, j): Array<[number, Fixed]> => (v > 0 ? [[j, convert(v)]] : [])))
}
function denseOf (matrix: FixedMatrix, columns: number): Fixed[] {
  const out: Fixed[] = []
  for (const row of matrix) {
    const dense = new Array<Fixed>(columns).fill(0n)
    for (const [j, v] of row) dense[j] = v
    out.push(...dense)
  }
  return out
}
const cases = (id: string): Json[] => vectorById(file, id).cases as Json[]

describe('subtensor.math.test_math_weighted_median', () => {
  const vector = vectorById(file, 'subtensor.math.test_math_weighted_median')
  const minority = sub(ONE, f32(vector.majority as number))
  const expectedOf = (e: unknown): Fixed => (typeof e === 'number' ? f32(e) : f32(Number(/fixed\(([\d.]+)f32\)/.exec(String(e))![1])))
  cases('subtensor.math.test_math_weighted_median').forEach((c, k) => {
    it(`case ${k}: stake ${JSON.stringify(c.stake)}, score ${JSON.stringify(c.score)} → ${String(c.expected)}`, () => {
      const stake = c.stake === 'normalize([0.51])' ? normalize([f32(0.51)]) : (c.stake as number[]).map(f32)
      const score = (c.score as number[]).map(f32)
      const total = stake.reduce((a, b) => a + b, 0n)
      expect(weightedMedian(doubles(stake), doubles(score), Number(minority))).toBe(Number(expectedOf(c.expected)))
    })
  })

  it('returns an admissible median for any order of the same stakes and scores (the Rust random test)', () => {
    const majority = fc.constantFrom(0, 0.0000001, 0.25, 0.49, 0.5, 0.51, 0.9999999, 1).map(f32)
    const column = fc.array(fc.record({ staked: fc.boolean(), step: fc.boolean() }), { minLength: 1, maxLength: 40 })
    fc.assert(fc.property(majority, column, fc.boolean(), fc.integer(), (kappa, draws, allowEqual, seed) => {
      let last = 0n
      const stakeRaw: Fixed[] = []
      const score: Fixed[] = []
      draws.forEach(({ staked, step }, i) => {
        if (allowEqual) {
          stakeRaw.push(staked ? ONE : 0n)
          if (step) last += ONE
          score.push(last)
        } else {
          stakeRaw.push(ONE)
          score.push(fixed(i))
        }
      })
      const stake = normalize(stakeRaw)
      const total = stake.reduce((a, b) => a + b, 0n)
      const minority = total - kappa < 0n ? 0n : total - kappa
      // The admissible medians, computed as the Rust test does from the sorted column.
      const medians: Fixed[] = []
      let medianStake = 0n
      let set = false
      let running = 0n
      for (let i = 0; i < stake.length; i++) {
        running += stake[i]!
        if (!set && running >= minority) { medianStake = running; set = true }
        if (set) {
          if (medianStake < running) {
            if (medianStake === minority && !medians.includes(score[i]!)) medians.push(score[i]!)
            break
          }
          if (!medians.includes(score[i]!)) medians.push(score[i]!)
        }
      }
      if (medians.length === 0) medians.push(0n)
      const order = stake.map((_, i) => i)
      let s = seed
      for (let i = order.length - 1; i > 0; i--) {
        s = (s * 1103515245 + 12345) | 0
        const j = Math.abs(s) % (i + 1);
        [order[i], order[j]] = [order[j]!, order[i]!]
      }
      const shuffledStake = order.map(i => stake[i]!)
      const shuffledScore = order.map(i => score[i]!)
      const median = (s: Fixed[], x: Fixed[]): Fixed => BigInt(weightedMedian(doubles(s), doubles(x), Number(minority)))
      return medians.includes(median(stake, score)) && medians.includes(median(shuffledStake, shuffledScore))
    }))
  })
})

describe('the weighted median\'s closed form', () => {
  it('returns what subtensor\'s quickselect (the oracle\'s literal copy) returns, for any stakes, ties and minority', () => {
    const column = fc.integer({ min: 0, max: 40 }).chain(k => fc.record({
      stake: fc.array(fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 8 }), fc.integer({ min: 0, max: 2 ** 32 })), { minLength: k, maxLength: k }),
      score: fc.array(fc.oneof(fc.integer({ min: 0, max: 4 }), fc.integer({ min: 0, max: 2 ** 32 }), fc.constantFrom(0, 2 ** 32)), { minLength: k, maxLength: k }),
      shift: fc.oneof(fc.integer({ min: -3, max: 3 }), fc.integer({ min: -(2 ** 33), max: 2 ** 33 }))
    }))
    fc.assert(fc.property(column, ({ stake, score, shift }) => {
      const total = stake.reduce((a, b) => a + b, 0)
      // Minorities at, around and far from every cumulative stake, and outside [0, total).
      const cuts = [0, total, ...stake.map((_, i) => stake.slice(0, i + 1).reduce((a, b) => a + b, 0))]
      for (const minority of [...cuts.map(c => c + shift), shift, total + shift]) {
        const literal = oracleWeightedMedian(stake.map(BigInt), score.map(BigInt), stake.map((_, i) => i), BigInt(minority), 0n, BigInt(total))
        expect(weightedMedian(Float64Array.from(stake), Float64Array.from(score), minority)).toBe(Number(literal))
      }
    }), { seed: 0x3ed1a, numRuns: 3_000 })
  }, 120_000) // thousands of bigint quickselects: seconds, more on a busy machine
})

describe('subtensor.math.test_math_weighted_median_col_sparse', () => {
  cases('subtensor.math.test_math_weighted_median_col_sparse').forEach((c, k) => {
    it(`case ${k}: majority ${String(c.majority)} → ${JSON.stringify(c.expected)}`, () => {
      const stake = (c.stake as number[]).map(f32)
      const weights = sparseOf(c.weights as number[], stake.length)
      const median = weightedMedianCols(doubles(stake), csrOf(weights), 3, Number(f32(c.majority as number)))
      expect(bigints(median)).toEqual((c.expected as number[]).map(f32))
    })
  })
})

describe('subtensor.math.test_math_col_clip_sparse', () => {
  cases('subtensor.math.test_math_col_clip_sparse').forEach((c, k) => {
    it(`case ${k}: clips to ${JSON.stringify(c.thresholds)} and drops entries clipped to 0`, () => {
      const matrix = sparseOf(c.matrix_4x3 as number[], 4, fixed)
      const clipped = rowsOf(colClip(csrOf(matrix), doubles((c.thresholds as number[]).map(fixed))))
      expect(denseOf(clipped, 3)).toEqual((c.expected as number[]).map(fixed))
      expect(clipped.flat().some(([j]) => j === 0)).toBe(false)
    })
  })

  it('keeps an explicit zero that is not clipped', () => {
    expect(rowsOf(colClip(csrOf([[[0, 0n], [1, ONE]]]), doubles([0n, HALF])))).toEqual([[[0, 0n], [1, HALF]]])
  })
})

describe('subtensor.math.test_math_sparse_mat_ema_alpha', () => {
  cases('subtensor.math.test_math_sparse_mat_ema_alpha').forEach((c, k) => {
    const epsilon = (c.epsilon as number | undefined) ?? 1e-4
    it(`case ${k}: per-entry EMA within ${epsilon} of the asserted values`, () => {
      const alpha = f32(c.alpha as number)
      const next = csrOf(sparseOf(c.new as number[], 4))
      const result = rowsOf(matEmaAlpha(next, csrOf(sparseOf(c.old as number[], 4)), new Float64Array(next.val.length).fill(Number(alpha))))
      const got = denseOf(result, 3).map(toNumber)
      ;(c.expected_sparse as number[]).forEach((want, i) => expect(Math.abs(got[i]! - want)).toBeLessThanOrEqual(epsilon))
    })
  })

  it('drops an old bond whose row has no new entry instead of decaying it', () => {
    const next = csrOf([[], [[1, ONE]]])
    const result = rowsOf(matEmaAlpha(next, csrOf([[[0, ONE]], [[1, HALF]]]), new Float64Array(next.val.length).fill(Number(HALF))))
    expect(result[0]).toEqual([])
    expect(result[1]).toEqual([[1, HALF + HALF / 2n]])
  })
})

describe('other helpers', () => {
  it('gives permits to the k largest non-zero stakes, ties at the cut to higher uids', () => {
    expect(isTopkNonzero(doubles([ONE, ONE, ONE]), 2)).toEqual([false, true, true])
    expect(isTopkNonzero(doubles([HALF, 0n, ONE]), 5)).toEqual([true, false, true])
    expect(isTopkNonzero(doubles([0n, 0n, ONE]), 2)).toEqual([false, false, true])
  })

  it('max-upscales a weight row the way set_weights stores it (yuma.md §3.5)', () => {
    expect(vecMaxUpscaleToU16([43690, 21845].map(fixed))).toEqual([65535, 32768])
    expect(vecMaxUpscaleToU16([32767, 32767].map(fixed))).toEqual([65535, 65535])
    // yuma.md says this row "stays"; its 4:1 ratio does, its values are upscaled like any other row.
    expect(vecMaxUpscaleToU16([13107 * 4, 13107].map(fixed))).toEqual([65535, 16384])
    expect(vecMaxUpscaleToU16([0n, 0n])).toEqual([0, 0])
    expect(vecMaxUpscaleToU16([])).toEqual([])
  })

  it('normalises columns only where the sum is non-zero, keeping zero entries', () => {
    const m = csrOf([[[0, ONE], [1, 0n]], [], [[0, fixed(3)]]])
    expect(rowsOf(colNormalize(m, 2))).toEqual([[[0, ONE / 4n], [1, 0n]], [], [[0, ONE * 3n / 4n]]])
    expect(rowsOf(colMaxUpscale(m, 2))).toEqual([[[0, 1431655765n], [1, 0n]], [], [[0, ONE]]])
  })

  it('interpolates: ratio 0 and 1 return the inputs as they are, otherwise only entries > 0 are kept', () => {
    const a: FixedMatrix = [[[1, ONE], [0, 0n]]]
    const b: FixedMatrix = [[[1, HALF]]]
    const at = (ratio: Fixed): FixedMatrix => rowsOf(interpolate(csrOf(a), csrOf(b), 2, Number(ratio)))
    expect(at(0n)).toEqual(a)
    expect(at(ONE)).toEqual(b)
    expect(at(HALF)).toEqual([[[1, HALF + HALF / 2n]]])
  })

  it('takes a fixed-α EMA over the union of entries, in column order, keeping entries > 0', () => {
    const next = csrOf([[[1, ONE]], []])
    const previous = csrOf([[[0, ONE]], [[1, 0n]]])
    expect(rowsOf(matEma(next, previous, Number(HALF)))).toEqual([[[0, HALF], [1, HALF]], []])
  })
})
