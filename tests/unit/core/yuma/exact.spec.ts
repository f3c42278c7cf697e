/**
 * The double-precision I32F32 primitives against bigint: mulFloor must equal floor(a·b / 2^32)
 * and divFloor floor(a·2^32 / b) everywhere inside their stated preconditions, including the
 * products and quotients that a double cannot hold and the quotients whose double rounds up to
 * the next integer.
 */
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { ONE, divFloor, fromU16, mulFloor, u16Of } from '../../../../src/core/yuma/exact.ts'
import { fromU16Proportion, toU16Proportion } from '../../../../src/core/yuma/fixed.ts'

const SEED = 0xe8ac7
const floorDiv = (a: bigint, b: bigint): bigint => (a >= 0n ? a / b : -((-a + b - 1n) / b))
/** An integer with up to `bits` bits, biased to its extremes. */
const magnitude = (bits: number): fc.Arbitrary<bigint> => fc.oneof(
  fc.bigInt({ min: 0n, max: (1n << BigInt(bits)) - 1n }),
  fc.integer({ min: 1, max: bits }).chain(b => fc.bigInt({ min: (1n << BigInt(b - 1)) - 1n, max: (1n << BigInt(b)) - 1n })),
  fc.constantFrom(0n, 1n, (1n << BigInt(bits)) - 1n, 1n << BigInt(bits - 1))
)
const signed = (bits: number): fc.Arbitrary<bigint> => fc.tuple(magnitude(bits), fc.boolean()).map(([m, negative]) => (negative ? -m : m))

describe('mulFloor', () => {
  it('is floor(a·b / 2^32) for any signs while |a·b| < 2^80', () => {
    const pair = fc.integer({ min: 1, max: 52 }).chain(bitsA =>
      fc.tuple(signed(bitsA), signed(Math.min(52, 79 - bitsA))))
    fc.assert(fc.property(pair, ([a, b]) => {
      expect(mulFloor(Number(a), Number(b))).toBe(Number(floorDiv(a * b, 1n << 32n)))
    }), { seed: SEED, numRuns: 20_000 })
  }, 60_000)

  it('floors products that are exact multiples of 2^32 or fall just short of one, and never returns −0', () => {
    expect(mulFloor(ONE, ONE)).toBe(ONE)
    expect(mulFloor(-1, 1)).toBe(-1)
    expect(Object.is(mulFloor(-1, 0), 0)).toBe(true)
    expect(Object.is(mulFloor(0, -5), 0)).toBe(true)
    expect(mulFloor(2 ** 47 - 1, 2 ** 33 - 1)).toBe(Number(((2n ** 47n - 1n) * (2n ** 33n - 1n)) >> 32n))
    expect(mulFloor(-(2 ** 47 - 1), 2 ** 32 + 1)).toBe(Number(floorDiv(-(2n ** 47n - 1n) * (2n ** 32n + 1n), 1n << 32n)))
  })
})

describe('divFloor', () => {
  it('is floor(a·2^32 / b) for 0 ≤ a < 2^47, 0 < b < 2^53 and quotients below 2^52', () => {
    const pair = fc.tuple(magnitude(52).map(b => b + 1n), magnitude(46))
      .filter(([b, a]) => (a << 32n) / b < 1n << 52n)
    fc.assert(fc.property(pair, ([b, a]) => {
      expect(divFloor(Number(a), Number(b))).toBe(Number((a << 32n) / b))
    }), { seed: SEED, numRuns: 20_000 })
  }, 60_000)

  it('corrects quotients whose double rounds up to the next integer', () => {
    // b just above a·2^32 / q, so the true quotient is q − (a tiny fraction).
    const tight = fc.tuple(fc.bigInt({ min: 1n << 45n, max: (1n << 47n) - 1n }), fc.bigInt({ min: 1n << 27n, max: 1n << 30n }))
      .map(([a, q]) => ({ a, b: (a << 32n) / q + 1n }))
      .filter(({ b }) => b < 1n << 53n)
    let roundedUp = 0
    fc.assert(fc.property(tight, ({ a, b }) => {
      if (Math.floor((Number(a) * ONE) / Number(b)) !== Number((a << 32n) / b)) roundedUp++
      expect(divFloor(Number(a), Number(b))).toBe(Number((a << 32n) / b))
    }), { seed: SEED, numRuns: 5_000 })
    expect(roundedUp).toBeGreaterThan(100) // the correction really was needed
  }, 60_000)
})

describe('u16 proportions on doubles', () => {
  it('read and write stored u16 proportions exactly as fixed.ts does', () => {
    for (let w = 0; w <= 65535; w++) expect(fromU16(w)).toBe(Number(fromU16Proportion(w)))
    fc.assert(fc.property(fc.bigInt({ min: -(1n << 36n), max: 1n << 36n }), x => {
      expect(u16Of(Number(x))).toBe(toU16Proportion(x))
    }), { seed: SEED, numRuns: 10_000 })
  }, 60_000)
})
