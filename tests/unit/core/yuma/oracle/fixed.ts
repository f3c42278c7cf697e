/*
 * TEST ORACLE, not product code: a frozen copy of src/core/yuma/fixed.ts as of commit 5fb4f61, the
 * straightforward bigint implementation that the vectors validated. The differential test
 * (../differential.spec.ts) requires the optimised src/ epoch to give identical outputs. Do not
 * optimise or "fix" this copy; only tests import it.
 */
/**
 * Fixed-point numbers with substrate-fixed v0.6.0's exact semantics, as subtensor's epoch uses
 * them (yuma.md §1). Payouts must come out identical on every engine, so nothing here touches a
 * floating-point operation: an I32F32 value is its 64-bit two's-complement bit pattern held in a
 * bigint (`v` means v / 2^32), and every operation rounds the way the Rust library does —
 * mul floors, div truncates toward zero (safe_div gives 0 for a zero divisor or an overflow),
 * conversions to integers floor and clamp, `round` is half away from zero, and float literals
 * are decoded from their bits and rounded half to even.
 *
 * The wider formats appear only where subtensor uses them: I64F64 (64 fraction bits) to
 * normalise stake, and I96F32 to turn a share into base units.
 */

/** A signed I32F32 value as its bit pattern. */
export type Fixed = bigint

/** Fraction bits of I32F32. */
const FRAC = 32n
/** 1.0 in I32F32. */
export const ONE: Fixed = 1n << FRAC
/** 0.5 in I32F32 (exact). */
export const HALF: Fixed = 1n << (FRAC - 1n)
/** Range of the 64-bit bit pattern. */
export const MIN: Fixed = -(1n << 63n)
export const MAX: Fixed = (1n << 63n) - 1n
/** Largest u16 and u64, the targets of the saturating integer conversions. */
const U16_MAX = 65535n
export const U64_MAX = (1n << 64n) - 1n
/** 65535 as I32F32: the scale of every u16 proportion. */
const U16_MAX_FIXED: Fixed = U16_MAX << FRAC

/** Clamps a wide result to the I32F32 range (the `saturating_*` operations). */
function saturate (v: bigint): Fixed {
  return v > MAX ? MAX : v < MIN ? MIN : v
}

/** The `checked_*` operations: null outside the I32F32 range. */
function inRange (v: bigint): Fixed | null {
  return v > MAX || v < MIN ? null : v
}

/** An integer as I32F32 (exact, saturating). */
export function fixed (n: number | bigint): Fixed {
  return saturate(BigInt(n) << FRAC)
}

export function add (a: Fixed, b: Fixed): Fixed {
  return saturate(a + b)
}

export function sub (a: Fixed, b: Fixed): Fixed {
  return saturate(a - b)
}

/** `saturating_mul`: the full product shifted right by 32 with an arithmetic shift (floor). */
export function mul (a: Fixed, b: Fixed): Fixed {
  return saturate((a * b) >> FRAC)
}

/** `checked_mul`: null when the floored product leaves the range. */
export function checkedMul (a: Fixed, b: Fixed): Fixed | null {
  return inRange((a * b) >> FRAC)
}

/** `checked_div`: (a << 32) / b truncated toward zero; null for b = 0 or an overflow. */
export function checkedDiv (a: Fixed, b: Fixed): Fixed | null {
  return b === 0n ? null : inRange((a << FRAC) / b)
}

/** subtensor's `safe_div`: as `checked_div`, but 0 instead of an error. */
export function div (a: Fixed, b: Fixed): Fixed {
  return checkedDiv(a, b) ?? 0n
}

/** `saturating_div`: clamps an overflow; a zero divisor is a bug (Rust panics), so it throws. */
export function saturatingDiv (a: Fixed, b: Fixed): Fixed {
  if (b === 0n) throw new RangeError('fixed-point division by zero')
  return saturate((a << FRAC) / b)
}

export function min (a: Fixed, b: Fixed): Fixed {
  return a < b ? a : b
}

export function max (a: Fixed, b: Fixed): Fixed {
  return a > b ? a : b
}

/** `value.min(high).max(low)`, subtensor's `clamp_value`. */
export function clamp (value: Fixed, low: Fixed, high: Fixed): Fixed {
  return max(min(value, high), low)
}

/** Nearest integer (as I32F32), ties away from zero. */
export function round (x: Fixed): Fixed {
  const magnitude = ((x < 0n ? -x : x) + HALF) >> FRAC << FRAC
  return saturate(x < 0n ? -magnitude : magnitude)
}

/** `saturating_to_num::<u16>()`: floor, clamped to 0..65535. */
export function toU16 (x: Fixed): number {
  const v = x >> FRAC
  return Number(v < 0n ? 0n : v > U16_MAX ? U16_MAX : v)
}

/** `saturating_to_num::<u64>()`: floor, clamped to 0..2^64−1. */
export function toU64 (x: Fixed): bigint {
  const v = x >> FRAC
  return v < 0n ? 0n : v > U64_MAX ? U64_MAX : v
}

/** A stored u16 proportion w as the fixed value w / 65535 (a fixed division). */
export function fromU16Proportion (w: number): Fixed {
  return div(fixed(w), U16_MAX_FIXED)
}

/** A proportion x as a stored u16: floor(x · 65535). */
export function toU16Proportion (x: Fixed): number {
  return toU16(mul(x, U16_MAX_FIXED))
}

/**
 * `from_num(f64)`: the exact value of the double, rounded to 32 fraction bits half to even
 * (saturating). Pass `Math.fround(x)` for an f32 literal. The bits are decoded, never computed
 * with floating-point arithmetic.
 */
export function fromFloat (x: number): Fixed {
  if (!Number.isFinite(x)) throw new RangeError(`cannot convert ${x} to fixed point`)
  const view = new DataView(new ArrayBuffer(8))
  view.setFloat64(0, x)
  const hi = view.getUint32(0)
  const lo = view.getUint32(4)
  const biased = (hi >>> 20) & 0x7ff
  let mantissa = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo)
  if (biased !== 0) mantissa |= 1n << 52n
  // |x| = mantissa · 2^exponent; its I32F32 bits are mantissa · 2^(exponent + 32).
  const shift = (biased === 0 ? -1074 : biased - 1075) + 32
  let bits: bigint
  if (shift >= 0) {
    bits = mantissa << BigInt(shift)
  } else {
    const s = BigInt(-shift)
    const quotient = mantissa >> s
    const remainder = mantissa - (quotient << s)
    const half = 1n << (s - 1n)
    const up = remainder > half || (remainder === half && (quotient & 1n) === 1n)
    bits = up ? quotient + 1n : quotient
  }
  return saturate(hi >>> 31 === 1 ? -bits : bits)
}

/** Range of I64F64's 128-bit pattern, and its 1.0. */
const I128_MAX = (1n << 127n) - 1n
const ONE_64 = 1n << 64n

/**
 * Normalises non-negative integer stakes in I64F64 and floors the shares to I32F32, as
 * `inplace_normalize_64` then `vec_fixed64_to_fixed32` do: share_i = floor(floor(s_i·2^64 / Σs) / 2^32).
 * An all-zero vector stays zero. (Stakes are saturated to I64F64's integer range first.)
 */
export function normalizeStake (stake: readonly bigint[]): Fixed[] {
  const wide = stake.map(s => (s << 64n > I128_MAX ? I128_MAX : s << 64n))
  let total = 0n
  for (const s of wide) total = total + s > I128_MAX ? I128_MAX : total + s
  if (total === 0n) return wide.map(() => 0n)
  return wide.map(s => saturate(((s << 64n) / total) >> FRAC))
}

/** `I96F32::from(x) * I96F32::from(amount)`, floored to u64: floor(x_bits · amount / 2^32). */
export function shareOf (x: Fixed, amount: bigint): bigint {
  const v = (x * amount) >> FRAC
  return v < 0n ? 0n : v > U64_MAX ? U64_MAX : v
}

/** 1 − (ppm / 1e6), with the division done in I64F64 and floored to I32F32 (yuma.md §3.10 step 5). */
export function emaAlphaFromPpm (ppm: bigint): Fixed {
  const ratio64 = (ppm << 64n << 64n) / (1_000_000n << 64n)
  return sub(ONE, saturate(ratio64 >> FRAC))
}

/** e as substrate-fixed's `transcendental::E`: `consts::E` (U2F126) truncated to I9F23, i.e. floor(e·2^23)·2^9. */
export const E_BITS: Fixed = 22802600n << 9n
/** Largest magnitude `exp_safe` passes on to `exp`. */
const EXP_LIMIT: Fixed = fixed(20)

/**
 * substrate-fixed `transcendental::exp` for I32F32: 1 + x + Σ_{i=2}^{31} x^i/i! with the term
 * updated as (term·x)/i, on |x|, reciprocal for negative x; exp(0) = 1 and exp(1) = E_BITS.
 * Null where the library returns an error (an overflow).
 */
export function exp (x: Fixed): Fixed | null {
  if (x === 0n) return ONE
  if (x === ONE) return E_BITS
  const operand = x < 0n ? -x : x
  let result = inRange(operand + ONE)
  let term = operand
  for (let i = 2n; i < FRAC; i++) {
    if (result === null) return null
    const product = checkedMul(term, operand)
    const next = product === null ? null : checkedDiv(product, i << FRAC)
    if (next === null) return null
    term = next
    result = inRange(result + term)
  }
  if (result === null) return null
  return x < 0n ? checkedDiv(ONE, result) : result
}

/** subtensor's `exp_safe`: clamps the input to [−20, 20]; an error gives 0 (x ≤ 0) or the maximum. */
export function expSafe (x: Fixed): Fixed {
  const safe = clamp(x, -EXP_LIMIT, EXP_LIMIT)
  return exp(safe) ?? (safe <= 0n ? 0n : MAX)
}
