/**
 * Liquid alpha (yuma.md §3.11): one EMA weight α per (validator, miner) pair, from a sigmoid of
 * how far the validator's weight strays from consensus (buying) or below its bond (selling).
 *
 * The sigmoid needs substrate-fixed's `exp`, a 30-term Taylor series whose every term is floored,
 * so it cannot be replaced by a floating-point exp. `sigmoids` evaluates that same series on
 * doubles when |x| ≤ 8 (steepness ≤ 1600, the default 1000 gives |x| ≤ 5): there every term is
 * below 8^8/8!·2^32 < 2^41, so term·|x| < 2^76 suits `mulFloor`, the term's division by i divides
 * an integer below 2^44 (`divideSmall`), and the sum stays below e^8·2^32 < 2^44. Beyond that the
 * series (and e^x) outgrows a double, and the bigint definition in fixed.ts is evaluated instead.
 * The series of a whole matrix's pairs are evaluated together, four at a time (`expSeries`).
 *
 * subtensor computes α for every column of every row and then reads it only where row i of W̃ has
 * an entry; this module computes it only there, which gives identical results at a fraction of
 * the cost. The weight and bond fed to the sigmoid are what subtensor's forward merge over the
 * row in storage order reads (`compute_liquid_alpha_values_sparse`): for rows sorted by column
 * (everything this codebase and subtensor's tests produce) that is a plain lookup; for an
 * unsorted row it reads the entries the merge reads.
 */
import {
  ONE as BIG_ONE, E_BITS, add, expSafe, fixed, fromU16Proportion, saturatingDiv
} from './fixed.ts'
import { HALF, ONE, divFloor, mulFloor } from './exact.ts'
import { columnOrder, rowCount, type Csr } from './sparse.ts'
import { Workspace } from './workspace.ts'

export interface LiquidAlpha {
  /** α bounds, I32F32 bits. */
  low: number
  high: number
  /** steepness / −100 (a fixed division), the sigmoid's slope, I32F32 bits. */
  slope: number
}

/** The liquid-alpha parameters from their stored encodings. */
export function liquidAlphaOf (alphaLow: number, alphaHigh: number, steepness: number): LiquidAlpha {
  return {
    low: Number(fromU16Proportion(alphaLow)),
    high: Number(fromU16Proportion(alphaHigh)),
    slope: Number(saturatingDiv(fixed(steepness), fixed(-100)))
  }
}

/** `exp_safe` clamps its argument to ±20. */
const EXP_LIMIT = 20 * ONE
/** Largest |x| whose exp series is evaluated on doubles (see the module header). */
const FAST_EXP_LIMIT = 8 * ONE

/** 1/i for the series' divisors i = 2..31. */
const RECIPROCAL = Array.from({ length: 32 }, (_, i) => (i < 2 ? 0 : 1 / i))

/**
 * floor(p / i) for integers 0 ≤ p < 2^44 and 2 ≤ i ≤ 31, by a multiply (a division would be the
 * slowest step of the series): p·(1/i) is within 2^-7 of p/i, while a quotient that is not an
 * integer lies at least 1/31 below the next one, so the floor is the quotient or one less, and
 * one exact product tells which.
 */
function divideSmall (p: number, i: number): number {
  const q = Math.floor(p * RECIPROCAL[i]!)
  return (q + 1) * i <= p ? q + 1 : q
}

/**
 * substrate-fixed's exp series 1 + x + Σ_{i=2}^{31} x^i/i!, each term floor(term·x/2^32)/i, for
 * operands 0 ≤ x ≤ 8 (as I32F32 bits), into `out` (which may be `operands`). A series is a chain
 * of dependent operations; four independent chains at a time let the processor overlap them,
 * about three times faster than one after another. Once a term floors to 0 every later one does,
 * so a finished series only adds zeros while the others of its group run on.
 */
export function expSeries (operands: Float64Array, out: Float64Array): void {
  const count = operands.length
  for (let k = 0; k < count; k += 4) {
    // A short last group runs with zeros (exp(0) = 1) in the missing places.
    const a = operands[k]!
    const b = k + 1 < count ? operands[k + 1]! : 0
    const c = k + 2 < count ? operands[k + 2]! : 0
    const d = k + 3 < count ? operands[k + 3]! : 0
    let sumA = ONE + a
    let sumB = ONE + b
    let sumC = ONE + c
    let sumD = ONE + d
    let termA = a
    let termB = b
    let termC = c
    let termD = d
    for (let i = 2; i < 32 && termA + termB + termC + termD > 0; i++) {
      termA = divideSmall(mulFloor(termA, a), i)
      termB = divideSmall(mulFloor(termB, b), i)
      termC = divideSmall(mulFloor(termC, c), i)
      termD = divideSmall(mulFloor(termD, d), i)
      sumA += termA
      sumB += termB
      sumC += termC
      sumD += termD
    }
    out[k] = sumA
    if (k + 1 < count) out[k + 1] = sumB
    if (k + 2 < count) out[k + 2] = sumC
    if (k + 3 < count) out[k + 3] = sumD
  }
}

/**
 * σ = 1 / (1 + exp_safe(x)) as subtensor computes it (a saturating fixed division) for each
 * exponent, into `out` (a different array). exp(x) is the series at |x|, its reciprocal for x < 0, and substrate-fixed's
 * constant e at x = 1; beyond |x| = 8 it is evaluated in bigint (fixed.ts).
 */
export function sigmoids (exponents: Float64Array, out: Float64Array): void {
  for (let k = 0; k < exponents.length; k++) {
    const safe = Math.min(Math.max(exponents[k]!, -EXP_LIMIT), EXP_LIMIT)
    out[k] = Math.abs(safe) <= FAST_EXP_LIMIT ? Math.abs(safe) : 0
  }
  expSeries(out, out)
  for (let k = 0; k < exponents.length; k++) {
    const safe = Math.min(Math.max(exponents[k]!, -EXP_LIMIT), EXP_LIMIT)
    if (Math.abs(safe) > FAST_EXP_LIMIT) {
      out[k] = Number(saturatingDiv(BIG_ONE, add(BIG_ONE, expSafe(BigInt(safe)))))
    } else {
      const series = safe === ONE ? Number(E_BITS) : out[k]!
      out[k] = divFloor(ONE, ONE + (safe < 0 ? divFloor(ONE, series) : series))
    }
  }
}

function clamp (value: number, low: number, high: number): number {
  return Math.max(Math.min(value, high), low)
}

/** The sigmoid's argument for one pair (`alpha_sigmoid`), all arguments I32F32 bits in [0, 1]. */
function exponentOf (consensus: number, weight: number, bond: number, params: LiquidAlpha): number {
  const distance = weight >= bond
    ? clamp(weight - consensus, 0, ONE)
    : clamp(bond - weight, 0, ONE)
  return mulFloor(params.slope, distance - HALF)
}

/** α from the pair's sigmoid: low + σ·(high − low), clamped to [low, high]. */
function alphaOf (sigmoid: number, params: LiquidAlpha): number {
  return clamp(params.low + mulFloor(sigmoid, params.high - params.low), params.low, params.high)
}

/** Per-pair α from the buy/sell distance (`alpha_sigmoid`), all arguments I32F32 bits in [0, 1]. */
export function alphaSigmoid (consensus: number, weight: number, bond: number, params: LiquidAlpha): number {
  const sigmoid = new Float64Array(1)
  sigmoids(Float64Array.of(exponentOf(consensus, weight, bond, params)), sigmoid)
  return alphaOf(sigmoid[0]!, params)
}

/** The value the forward merge over row i finds at column j, advancing `cursor.at` past smaller columns. */
function mergeAt (m: Csr, end: number, cursor: { at: number }, j: number): number {
  while (cursor.at < end) {
    const column = m.col[cursor.at]!
    if (column < j) {
      cursor.at++
    } else {
      return column === j ? m.val[cursor.at]! : 0
    }
  }
  return 0
}

/**
 * α for each entry of W̃ (in W̃'s entry order), from the weight and bond the forward merge reads
 * at that column and the column's consensus. All inputs are proportions ≤ 2^32 bits.
 */
export function liquidAlphas (
  weights: Csr,
  bonds: Csr,
  consensus: Float64Array,
  params: LiquidAlpha,
  space = new Workspace()
): Float64Array {
  const alpha = space.float64Scratch(weights.val.length)
  space.temporarily(() => { sigmoids(exponents(weights, bonds, consensus, params, space), alpha) })
  for (let k = 0; k < alpha.length; k++) alpha[k] = alphaOf(alpha[k]!, params)
  return alpha
}

/** The sigmoid's argument for each entry of W̃ (see `liquidAlphas`). */
function exponents (weights: Csr, bonds: Csr, consensus: Float64Array, params: LiquidAlpha, space: Workspace): Float64Array {
  const exponent = space.float64Scratch(weights.val.length)
  const order = space.int32Scratch(consensus.length)
  for (let i = 0; i < rowCount(weights); i++) {
    const weightCursor = { at: weights.start[i]! }
    const bondCursor = { at: bonds.start[i]! }
    for (const k of columnOrder(weights, i, order)) {
      const j = weights.col[k]!
      const w = mergeAt(weights, weights.start[i + 1]!, weightCursor, j)
      const b = mergeAt(bonds, bonds.start[i + 1]!, bondCursor, j)
      exponent[k] = exponentOf(consensus[j]!, w, b, params)
    }
  }
  return exponent
}
