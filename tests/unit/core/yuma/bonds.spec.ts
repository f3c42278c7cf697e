import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { alphaSigmoid, yuma3Bonds, type BondsInput, type LiquidAlpha } from '../../../../src/core/yuma/bonds.ts'
import { HALF, ONE, fixed, fromU16Proportion } from '../../../../src/core/yuma/fixed.ts'
import type { FixedMatrix } from '../../../../src/core/yuma/math.ts'
import { toNumber } from './reference.ts'

const LIQUID: LiquidAlpha = { low: fromU16Proportion(45875), high: fromU16Proportion(58982), steepness: fixed(1000) }
const unit = fc.bigInt({ min: 0n, max: ONE })

describe('alphaSigmoid', () => {
  it('is the midpoint of [low, high] at a buy/sell distance of ½', () => {
    // exponent −10·(½ − ½) = 0, exp(0) = 1, sigmoid = ½ exactly.
    expect(alphaSigmoid(0n, HALF, 0n, LIQUID)).toBe(LIQUID.low + (LIQUID.high - LIQUID.low) / 2n)
  })

  it('follows 1/(1 + e^(−s/100·(d − ½))) between low and high', () => {
    const low = toNumber(LIQUID.low)
    const high = toNumber(LIQUID.high)
    const at = (d: number): number => low + (high - low) / (1 + Math.exp(-10 * (d - 0.5)))
    expect(toNumber(alphaSigmoid(0n, 0n, 0n, LIQUID))).toBeCloseTo(at(0), 8) // agreeing validator: α near low
    expect(toNumber(alphaSigmoid(0n, ONE, 0n, LIQUID))).toBeCloseTo(at(1), 8) // buying far above consensus
    expect(toNumber(alphaSigmoid(0n, 0n, ONE, LIQUID))).toBeCloseTo(at(1), 8) // selling a whole bond
  })

  it('stays within [low, high] for any consensus, weight, bond and steepness', () => {
    const steepness = fc.integer({ min: -32768, max: 32767 }).map(s => fixed(s))
    fc.assert(fc.property(unit, unit, unit, steepness, (c, w, b, s) => {
      const alpha = alphaSigmoid(c, w, b, { ...LIQUID, steepness: s })
      return LIQUID.low <= alpha && alpha <= LIQUID.high
    }))
  })
})

describe('yuma3Bonds with liquid alpha', () => {
  const input = (weights: FixedMatrix, storedBonds: BondsInput['storedBonds']): BondsInput => ({
    weightsForBonds: weights,
    storedBonds,
    activeStake: [ONE, 0n, 0n, 0n],
    incentive: [0n, 0n, HALF, HALF],
    consensus: [0n, 0n, HALF, HALF],
    blockAtRegistration: [0, 0, 0, 0],
    lastTempo: 100,
    bondsMovingAverage: 900_000n
  })
  it('reads weights and bonds of a row sorted by uid as plain lookups', () => {
    const sorted = yuma3Bonds(input([[[2, ONE], [3, 0n]], [], [], []], [[[2, 1000], [3, 60000]], [], [], []]), LIQUID)
    expect(sorted.bonds[0]!.map(([j]) => j)).toEqual([2, 3])
    expect(sorted.bonds[0]![1]![1]).toBeGreaterThan(0) // the explicit zero weight keeps a decaying bond
  })

  it('reads an unsorted row with subtensor\'s forward merge, which sees an out-of-order entry as 0', () => {
    const bonds = [[[2, 1000], [3, 60000]], [], [], []] as BondsInput['storedBonds']
    const sorted = yuma3Bonds(input([[[2, ONE], [3, 0n]], [], [], []], bonds), LIQUID).bonds[0]!
    const unsorted = yuma3Bonds(input([[[3, 0n], [2, ONE]], [], [], []], bonds), LIQUID).bonds[0]!
    // uid 3 comes first and is read normally; uid 2's weight is passed over, so its α differs.
    expect(unsorted.find(([j]) => j === 3)).toEqual(sorted.find(([j]) => j === 3))
    expect(unsorted.find(([j]) => j === 2)).not.toEqual(sorted.find(([j]) => j === 2))
  })
})
