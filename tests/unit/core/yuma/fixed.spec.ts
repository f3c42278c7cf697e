import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import {
  E_BITS, HALF, MAX, MIN, ONE, add, checkedDiv, div, emaAlphaFromPpm, exp, expSafe, fixed, fromFloat,
  fromU16Proportion, mul, normalizeStake, round, saturatingDiv, shareOf, sub, toU16, toU16Proportion, toU64
} from '../../../../src/core/yuma/fixed.ts'
import { toNumber } from './reference.ts'

const i64 = fc.bigInt({ min: MIN, max: MAX })

describe('I32F32 arithmetic (substrate-fixed semantics)', () => {
  it('multiplies by flooring the 128-bit product toward minus infinity', () => {
    expect(mul(fixed(3), HALF)).toBe(ONE + HALF)
    expect(mul(1n, HALF)).toBe(0n) // 2^-33 floors to 0
    expect(mul(-1n, HALF)).toBe(-1n) // −2^-33 floors to −2^-32
    fc.assert(fc.property(i64, i64, (a, b) => {
      const exact = a * b
      const floored = mul(a, b)
      return floored === MAX || floored === MIN || (floored << 32n <= exact && exact < (floored + 1n) << 32n)
    }))
  })

  it('divides by truncating toward zero, and gives 0 for a zero divisor or an overflow', () => {
    expect(div(ONE, fixed(3))).toBe(1431655765n)
    expect(div(-1n, fixed(3))).toBe(0n) // −1/3 of an ulp truncates to 0, where floor would give −1
    expect(div(fixed(-1), fixed(3))).toBe(-1431655765n)
    expect(div(ONE, 0n)).toBe(0n)
    expect(checkedDiv(ONE, 0n)).toBeNull()
    expect(div(MAX, 1n)).toBe(0n) // overflow
    expect(saturatingDiv(MAX, 1n)).toBe(MAX)
    expect(() => saturatingDiv(ONE, 0n)).toThrow(RangeError)
  })

  it('saturates additions at the 64-bit range', () => {
    expect(add(MAX, ONE)).toBe(MAX)
    expect(sub(MIN, ONE)).toBe(MIN)
  })

  it('converts to u16 and u64 by flooring and clamping', () => {
    expect(toU16(fixed(7) + ONE - 1n)).toBe(7)
    expect(toU16(-1n)).toBe(0)
    expect(toU16(fixed(70000))).toBe(65535)
    expect(toU64(-ONE)).toBe(0n)
    expect(toU64(MAX)).toBe((1n << 31n) - 1n)
  })

  it('rounds half away from zero', () => {
    expect(round(fixed(2) + HALF)).toBe(fixed(3))
    expect(round(-(fixed(2) + HALF))).toBe(fixed(-3))
    expect(round(fixed(2) + HALF - 1n)).toBe(fixed(2))
  })

  it('reads u16 proportions as fixed divisions and writes them as floor(x·65535)', () => {
    expect(fromU16Proportion(32767)).toBe(2147450879n) // κ, yuma.md §1
    expect(fromU16Proportion(65535)).toBe(ONE)
    expect(toU16Proportion(ONE)).toBe(65535)
    expect(toU16Proportion(HALF)).toBe(32767)
    fc.assert(fc.property(fc.integer({ min: 0, max: 65535 }), w => {
      const back = toU16Proportion(fromU16Proportion(w))
      return back === w || back === w - 1
    }))
  })

  it('converts float literals from their exact bits, ties to even', () => {
    expect(fromFloat(0.1)).toBe(429496730n) // 0.1·2^32 = 429496729.6
    expect(fromFloat(Math.fround(0.1))).toBe(429496736n) // the f32 0.100000001490116… is 13421773·2^-27
    expect(fromFloat(2 ** -33)).toBe(0n) // exactly half an ulp: ties to the even 0
    expect(fromFloat(3 * 2 ** -33)).toBe(2n) // 1.5 ulp: ties to the even 2
    expect(fromFloat(-3 * 2 ** -33)).toBe(-2n)
    expect(fromFloat(-0.5)).toBe(-HALF)
    expect(fromFloat(1e30)).toBe(MAX)
    expect(fromFloat(Number.MIN_VALUE)).toBe(0n)
    expect(() => fromFloat(Number.NaN)).toThrow(RangeError)
  })
})

describe('the wider formats', () => {
  it('normalises stake in I64F64 and floors to I32F32 (ten equal stakes give 429496729 each)', () => {
    expect(normalizeStake(Array<bigint>(10).fill(1n))).toEqual(Array<bigint>(10).fill(429496729n))
    expect(normalizeStake([0n, 0n])).toEqual([0n, 0n])
    expect(normalizeStake([2_000_000_000n, 1_000_000_000n])).toEqual([2863311530n, 1431655765n])
  })

  it('pays floor(share_bits · amount / 2^32) base units (0.1 of 1e9 is 99_999_999)', () => {
    expect(shareOf(429496729n, 1_000_000_000n)).toBe(99_999_999n)
    expect(shareOf(ONE, (1n << 64n) - 1n)).toBe((1n << 64n) - 1n)
    expect(shareOf(fixed(2), (1n << 64n) - 1n)).toBe((1n << 64n) - 1n) // saturates at u64
  })

  it('derives the bonds EMA α from parts per million in I64F64 (900_000 → 429496730 bits)', () => {
    expect(emaAlphaFromPpm(900_000n)).toBe(429496730n)
    expect(emaAlphaFromPpm(0n)).toBe(ONE)
    expect(emaAlphaFromPpm(1_000_000n)).toBe(0n)
  })
})

describe('exp and exp_safe', () => {
  it('returns 1 at 0 and the library constant e (truncated to I9F23) at 1', () => {
    expect(exp(0n)).toBe(ONE)
    expect(E_BITS).toBe(11674931200n)
    expect(exp(ONE)).toBe(E_BITS)
    expect(toNumber(E_BITS)).toBeCloseTo(Math.E, 6)
  })

  it('follows the real exponential closely where liquid alpha uses it (|x| ≤ 8)', () => {
    fc.assert(fc.property(fc.bigInt({ min: fixed(-8), max: fixed(8) }), x => {
      const got = toNumber(expSafe(x))
      const want = Math.exp(toNumber(x))
      return Math.abs(got - want) <= 1e-7 * want + 2 ** -30
    }))
  })

  it('stops the series at the x^31 term, so it falls short of e^x for large x (as the library does)', () => {
    const at20 = toNumber(expSafe(fixed(20)))
    expect(at20).toBeLessThan(Math.exp(20) * 0.999)
    expect(at20).toBeGreaterThan(Math.exp(20) * 0.9)
  })

  it('takes the reciprocal of the series for negative arguments', () => {
    const x = fromFloat(2.5)
    expect(exp(-x)).toBe(div(ONE, exp(x)!))
  })

  it('clamps its input to [−20, 20]', () => {
    expect(expSafe(fixed(100))).toBe(expSafe(fixed(20)))
    expect(expSafe(fixed(-100))).toBe(expSafe(fixed(-20)))
    expect(exp(fixed(30))).toBeNull() // the series overflows, which exp_safe never lets happen
  })
})
