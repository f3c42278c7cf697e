/**
 * I32F32 arithmetic on JS numbers, for the epoch's O(n·validators) loops. fixed.ts defines the
 * semantics on bigint; a bigint operation costs tens of nanoseconds and allocates, so the hot loops
 * hold the same bit patterns as doubles instead. A double holds every integer below 2^53 exactly,
 * and every value these loops see is an integer of at most ~2^49 (proportions are ≤ 2^32 bits,
 * sums of at most 2^16 of them; each module states the bounds it relies on). Only products and
 * quotients of two bit patterns need more than 53 bits, and these two functions compute them
 * exactly:
 *
 * - `mulFloor(a, b)` = floor(a·b / 2^32), substrate-fixed's mul, for integers with |a·b| < 2^80.
 *   Math.imul gives the low 32 bits of a·b exactly (two's-complement products agree mod 2^32, and
 *   `>>> 0` reduces an integer mod 2^32), so a·b − low is the exact multiple 2^32·floor(a·b/2^32).
 *   The double product is within 2^-53·|a·b| < 2^27 of a·b, the subtraction adds < 2^28 more, so
 *   (a*b − low)·2^-32 lies within 1/8 of that integer m; adding ½ (off by at most 2^-6 at these
 *   magnitudes) lands strictly between m and m + 1, and the floor is m.
 * - `divFloor(a, b)` = floor(a·2^32 / b), substrate-fixed's div for 0 ≤ a < 2^47, 0 < b < 2^53,
 *   and a quotient below 2^52 (callers divide a part by a sum that contains it). The correctly
 *   rounded double quotient is at least the true floor q (q is a double and rounding is monotone)
 *   and below q + 2 (its error is < 2^-53·2^52), so q0 = floor(a*2^32/b) is q or q + 1; q0·b
 *   (< a·2^32 + b < 2^80), split exactly into high and low 32-bit halves as above, tells which.
 *
 * A quotient of integers needs no correction when the dividend is small: Math.floor(a / b) is
 * floor(a/b) for integers 0 ≤ a < 2^53 and b ≥ 1, because a non-integer a/b lies at least 1/b below
 * the next integer while its rounding error is below 2^-53·a/b < 1/b (fromU16 and the row shares
 * of epoch.ts rely on this).
 *
 * Results are never −0 (−0 would survive into stored outputs and their encodings).
 */

/** 2^32: the I32F32 bit pattern of 1.0. */
export const ONE = 4294967296
/** 0.5 in I32F32. */
export const HALF = 2147483648
/** 65535: the scale of a stored u16 proportion. */
const U16_MAX = 65535

/** 2^-32 (multiplying by it is exact). */
const INV_ONE = 1 / ONE

/** floor(a·b / 2^32) for integers a, b with |a·b| < 2^80. */
export function mulFloor (a: number, b: number): number {
  const low = Math.imul(a >>> 0, b >>> 0) >>> 0
  return Math.floor((a * b - low) * INV_ONE + 0.5)
}

/** floor(a·2^32 / b) for integers 0 ≤ a < 2^47 and 0 < b < 2^53 whose quotient is below 2^52. */
export function divFloor (a: number, b: number): number {
  const q = Math.floor((a * ONE) / b)
  // q·b = high·2^32 + low, computed as in mulFloor.
  const low = Math.imul(q >>> 0, b >>> 0) >>> 0
  const high = Math.floor((q * b - low) * INV_ONE + 0.5)
  return high > a || (high === a && low > 0) ? q - 1 : q
}

/** A proportion as a stored u16, floor(x · 65535) clamped to 0..65535, for |x| < 2^37 (`toU16Proportion`). */
export function u16Of (x: number): number {
  const v = Math.floor(x * U16_MAX * INV_ONE)
  return v <= 0 ? 0 : v > U16_MAX ? U16_MAX : v
}

/** A stored u16 proportion w as the fixed value w / 65535 (`fromU16Proportion`; w·2^32 < 2^53, so one exact floor). */
export function fromU16 (w: number): number {
  return Math.floor((w * ONE) / U16_MAX)
}

/** Sum of the values (exact while it stays below 2^53). */
export function sumOf (values: Float64Array): number {
  let total = 0
  for (let i = 0; i < values.length; i++) total += values[i]!
  return total
}

/**
 * Divides each value by the sum (`normalize`); an all-zero vector comes back unchanged. For
 * non-negative values whose sum is below 2^47.
 */
export function normalized (values: Float64Array): Float64Array {
  const total = sumOf(values)
  if (total === 0) return values.slice()
  return values.map(v => divFloor(v, total))
}
