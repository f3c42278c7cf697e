/**
 * Liquid alpha on doubles against its bigint definition: the sigmoid (substrate-fixed's exp
 * series, evaluated on doubles for |x| ≤ 8 and in bigint beyond) and α itself, over the whole
 * range exp_safe accepts and past it, with the switch-over points and exp's special arguments.
 */
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { ONE } from '../../../../src/core/yuma/exact.ts'
import { add, exp, expSafe, fixed, fromU16Proportion, saturatingDiv, ONE as BIG_ONE } from '../../../../src/core/yuma/fixed.ts'
import { alphaSigmoid, expSmall, liquidAlphaOf, sigmoidOf } from '../../../../src/core/yuma/liquid-alpha.ts'
import { alphaSigmoid as oracleAlphaSigmoid } from './oracle/bonds.ts'

const SEED = 0xa1fa
const sigmoidBits = (x: bigint): number => Number(saturatingDiv(BIG_ONE, add(BIG_ONE, expSafe(x))))

describe('expSmall', () => {
  it('is substrate-fixed\'s exp, bit for bit, on all of |x| ≤ 8', () => {
    const edges = [0, 1, -1, ONE, -ONE, ONE - 1, ONE + 1, 8 * ONE, -8 * ONE, 8 * ONE - 1]
    for (const x of edges) expect(expSmall(x), `x = ${x}`).toBe(Number(exp(BigInt(x))))
    const x = fc.oneof(fc.integer({ min: -8 * ONE, max: 8 * ONE }), fc.integer({ min: 7 * ONE, max: 8 * ONE }), fc.integer({ min: -ONE, max: ONE }))
    fc.assert(fc.property(x, v => { expect(expSmall(v)).toBe(Number(exp(BigInt(v)))) }), { seed: SEED, numRuns: 3_000 })
  })
})

describe('sigmoidOf', () => {
  it('equals 1 / (1 + exp_safe(x)) in fixed point at exp\'s special arguments and the fast path\'s edges', () => {
    const points = [0, ONE, -ONE, 8 * ONE, 8 * ONE + 1, -8 * ONE, -8 * ONE - 1, 5 * ONE, -5 * ONE, 20 * ONE, -20 * ONE, 21 * ONE, -(2 ** 45)]
    for (const x of points) expect(sigmoidOf(x), `x = ${x / ONE}`).toBe(sigmoidBits(BigInt(x)))
  })

  it('equals 1 / (1 + exp_safe(x)) in fixed point for every x liquid alpha can produce', () => {
    const x = fc.oneof(
      fc.integer({ min: -5 * ONE, max: 5 * ONE }),
      fc.integer({ min: -9 * ONE, max: 9 * ONE }),
      fc.integer({ min: -(2 ** 40), max: 2 ** 40 })
    )
    fc.assert(fc.property(x, v => { expect(sigmoidOf(v)).toBe(sigmoidBits(BigInt(v))) }), { seed: SEED, numRuns: 3_000 })
  })
})

describe('alphaSigmoid', () => {
  it('gives the bigint implementation\'s α for any consensus, weight, bond, bounds and steepness', () => {
    const unit = fc.oneof(fc.integer({ min: 0, max: ONE }), fc.constantFrom(0, ONE, ONE / 2, ONE / 2 + 1))
    const u16 = fc.integer({ min: 0, max: 65535 })
    const steepness = fc.oneof(fc.constant(1000), fc.integer({ min: -32768, max: 32767 }))
    fc.assert(fc.property(unit, unit, unit, u16, u16, steepness, (c, w, b, low, high, s) => {
      const expected = oracleAlphaSigmoid(BigInt(c), BigInt(w), BigInt(b), {
        low: fromU16Proportion(low), high: fromU16Proportion(high), steepness: fixed(s)
      })
      expect(alphaSigmoid(c, w, b, liquidAlphaOf(low, high, s))).toBe(Number(expected))
    }), { seed: SEED, numRuns: 3_000 })
  })
})
