import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { colNormalizeUnits, yuma3Bonds, type BondsInput } from '../../../../src/core/yuma/bonds.ts'
import { packedRow } from '../../../../src/core/yuma/packed.ts'
import { HALF, ONE } from '../../../../src/core/yuma/exact.ts'
import { alphaSigmoid, liquidAlphaOf } from '../../../../src/core/yuma/liquid-alpha.ts'
import type { FixedMatrix } from '../../../../src/core/yuma/sparse.ts'
import type { SparseRow } from '../../../../src/core/yuma/types.ts'
import { csrOf, doubles, rowsOf } from './csr.ts'
import { packRows } from './packed-inputs.ts'
import { colNormalizeSparse } from './oracle/math.ts'

const LIQUID = liquidAlphaOf(45875, 58982, 1000)
const unit = fc.integer({ min: 0, max: ONE })
const toNumber = (bits: number): number => bits / ONE

describe('alphaSigmoid', () => {
  it('is the midpoint of [low, high] at a buy/sell distance of ½', () => {
    // exponent −10·(½ − ½) = 0, exp(0) = 1, sigmoid = ½ exactly.
    expect(alphaSigmoid(0, HALF, 0, LIQUID)).toBe(LIQUID.low + Math.floor((LIQUID.high - LIQUID.low) / 2))
  })

  it('follows 1/(1 + e^(−s/100·(d − ½))) between low and high', () => {
    const low = toNumber(LIQUID.low)
    const high = toNumber(LIQUID.high)
    const at = (d: number): number => low + (high - low) / (1 + Math.exp(-10 * (d - 0.5)))
    expect(toNumber(alphaSigmoid(0, 0, 0, LIQUID))).toBeCloseTo(at(0), 8) // agreeing validator: α near low
    expect(toNumber(alphaSigmoid(0, ONE, 0, LIQUID))).toBeCloseTo(at(1), 8) // buying far above consensus
    expect(toNumber(alphaSigmoid(0, 0, ONE, LIQUID))).toBeCloseTo(at(1), 8) // selling a whole bond
  })

  it('stays within [low, high] for any consensus, weight, bond and steepness', () => {
    const steepness = fc.integer({ min: -32768, max: 32767 })
    fc.assert(fc.property(unit, unit, unit, steepness, (c, w, b, s) => {
      const alpha = alphaSigmoid(c, w, b, liquidAlphaOf(45875, 58982, s))
      return LIQUID.low <= alpha && alpha <= LIQUID.high
    }))
  })
})

describe('yuma3Bonds with liquid alpha', () => {
  const input = (weights: FixedMatrix, storedBonds: SparseRow[]): BondsInput => ({
    weightsForBonds: csrOf(weights),
    storedBonds: packRows(storedBonds),
    activeStake: doubles([1n << 32n, 0n, 0n, 0n]),
    incentive: doubles([0n, 0n, 1n << 31n, 1n << 31n]),
    consensus: doubles([0n, 0n, 1n << 31n, 1n << 31n]),
    blockAtRegistration: [0, 0, 0, 0],
    lastTempo: 100,
    bondsMovingAverage: 900_000n,
    storeRow: [true, true, true, true]
  })
  const BIG_ONE = 1n << 32n
  it('reads weights and bonds of a row sorted by uid as plain lookups', () => {
    const sorted = yuma3Bonds(input([[[2, BIG_ONE], [3, 0n]], [], [], []], [[[2, 1000], [3, 60000]], [], [], []]), LIQUID)
    expect(packedRow(sorted.bonds, 0).map(([j]) => j)).toEqual([2, 3])
    expect(packedRow(sorted.bonds, 0)[1]![1]).toBeGreaterThan(0) // the explicit zero weight keeps a decaying bond
  })

  it('reads an unsorted row with subtensor\'s forward merge, which sees an out-of-order entry as 0', () => {
    const bonds: SparseRow[] = [[[2, 1000], [3, 60000]], [], [], []]
    const sorted = packedRow(yuma3Bonds(input([[[2, BIG_ONE], [3, 0n]], [], [], []], bonds), LIQUID).bonds, 0)
    const unsorted = packedRow(yuma3Bonds(input([[[3, 0n], [2, BIG_ONE]], [], [], []], bonds), LIQUID).bonds, 0)
    // uid 3 comes first and is read normally; uid 2's weight is passed over, so its α differs.
    expect(unsorted.find(([j]) => j === 3)).toEqual(sorted.find(([j]) => j === 3))
    expect(unsorted.find(([j]) => j === 2)).not.toEqual(sorted.find(([j]) => j === 2))
  })
})

describe('original Yuma\'s stored bonds', () => {
  it('normalise their columns as fixed-point whole numbers, also where a column\'s sum saturates the I32F32 range', () => {
    // 40_000 rows bonding 65535 to uid 0: Σ·2^32 exceeds 2^63 − 1, so subtensor divides by the maximum.
    const rows: Array<Array<[number, bigint]>> = Array.from({ length: 40_000 }, (_, i) => (i % 3 === 0 ? [[0, 65535n], [1, BigInt(i % 65536)]] : [[0, 65535n]]))
    const units = csrOf(rows)
    const fixedRows = rows.map(row => row.map(([j, w]): [number, bigint] => [j, w << 32n]))
    expect(rowsOf(colNormalizeUnits(units, 2))).toEqual(colNormalizeSparse(fixedRows, 2))
  })
})
