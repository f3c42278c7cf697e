/**
 * Liquid alpha on doubles against its bigint definition: the exp series (evaluated on doubles,
 * four at a time, for |x| ≤ 8), the sigmoid (bigint beyond) and α itself, over the whole range
 * exp_safe accepts and past it, with the switch-over points and exp's special arguments.
 */
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { ONE } from '../../../../src/core/yuma/exact.ts'
import { add, exp, expSafe, fixed, fromU16Proportion, saturatingDiv, ONE as BIG_ONE } from '../../../../src/core/yuma/fixed.ts'
import { alphaSigmoid, expSeries, liquidAlphaOf, sigmoids } from '../../../../src/core/yuma/liquid-alpha.ts'
import { alphaSigmoid as oracleAlphaSigmoid } from './oracle/bonds.ts'

const SEED = 0xa1fa
const sigmoidBits = (x: bigint): number => Number(saturatingDiv(BIG_ONE, add(BIG_ONE, expSafe(x))))

describe('expSeries', () => {
  it('is substrate-fixed\'s exp series, bit for bit, on all of 0 ≤ x ≤ 8, in groups of four and in a short last group', () => {
    // exp(1) is the library's constant e, not the series, so x = 1 is compared with the series by hand.
    const seriesAtOne = (): bigint => {
      let sum = BIG_ONE * 2n
      let term = BIG_ONE
      for (let i = 2n; i < 32n; i++) { term = ((term * BIG_ONE) >> 32n) / i; sum += term }
      return sum
    }
    const edges = [0, 1, ONE - 1, ONE, ONE + 1, 5 * ONE, 8 * ONE - 1, 8 * ONE]
    const operands = fc.oneof(
      fc.array(fc.integer({ min: 0, max: 8 * ONE }), { maxLength: 13 }),
      fc.array(fc.constantFrom(...edges), { maxLength: 9 }),
      fc.array(fc.integer({ min: 7 * ONE, max: 8 * ONE }), { maxLength: 9 })
    )
    fc.assert(fc.property(operands, xs => {
      const out = new Float64Array(xs.length)
      expSeries(Float64Array.from(xs), out)
      xs.forEach((x, k) => expect(out[k], `x = ${x}`).toBe(Number(x === ONE ? seriesAtOne() : exp(BigInt(x)))))
    }), { seed: SEED, numRuns: 1_000 })
  }, 60_000)
})

describe('sigmoids', () => {
  const sigmoidsOf = (xs: number[]): number[] => {
    const out = new Float64Array(xs.length)
    sigmoids(Float64Array.from(xs), out)
    return Array.from(out)
  }

  it('equal 1 / (1 + exp_safe(x)) in fixed point at exp\'s special arguments and the fast path\'s edges', () => {
    const points = [0, ONE, -ONE, 8 * ONE, 8 * ONE + 1, -8 * ONE, -8 * ONE - 1, 5 * ONE, -5 * ONE, 20 * ONE, -20 * ONE, 21 * ONE, -(2 ** 45)]
    expect(sigmoidsOf(points)).toEqual(points.map(x => sigmoidBits(BigInt(x))))
  })

  it('equal 1 / (1 + exp_safe(x)) in fixed point for every x liquid alpha can produce', () => {
    const x = fc.oneof(
      fc.integer({ min: -5 * ONE, max: 5 * ONE }),
      fc.integer({ min: -9 * ONE, max: 9 * ONE }),
      fc.integer({ min: -(2 ** 40), max: 2 ** 40 })
    )
    fc.assert(fc.property(fc.array(x, { maxLength: 11 }), xs => {
      expect(sigmoidsOf(xs)).toEqual(xs.map(v => sigmoidBits(BigInt(v))))
    }), { seed: SEED, numRuns: 1_000 })
  }, 60_000)
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
  }, 60_000)
})
