/*
 * TEST ORACLE, not product code: a frozen copy of src/core/yuma/bonds.ts as of commit 5fb4f61, the
 * straightforward bigint implementation that the vectors validated. The differential test
 * (../differential.spec.ts) requires the optimised src/ epoch to give identical outputs. Do not
 * optimise or "fix" this copy; only tests import it.
 */
/**
 * Bonds and dividends, the two ways subtensor computes them (yuma.md §3.10 original Yuma,
 * §3.11 Yuma 3 with optional liquid alpha). Both take the bond-weights W̃ of §3.9 and return the
 * normalised dividends and the bond rows to store, still for every uid (the epoch keeps only the
 * rows of uids that hold a new permit).
 *
 * Liquid alpha computes one α per (validator, miner) pair. subtensor computes it for every column
 * of every row and then reads it only where row i of W̃ has an entry; this module computes it only
 * there, which gives identical results at a fraction of the cost. The weight and bond it feeds the
 * sigmoid are found by subtensor's forward merge over the row in storage order
 * (`compute_liquid_alpha_values_sparse`), reproduced here: for rows sorted by column (everything
 * this codebase and subtensor's tests produce) that is a plain lookup; for an unsorted row it
 * reads the entries the merge reads.
 */
import type { SparseRow } from '../../../../../src/core/yuma/types.ts'
import {
  HALF, ONE, add, clamp, emaAlphaFromPpm, expSafe, fixed, fromU16Proportion, mul, saturatingDiv, sub,
  toU16Proportion, type Fixed
} from './fixed.ts'
import {
  colMaxUpscaleSparse, colNormalizeSparse, matEmaAlphaSparse, matEmaSparse, matmulTransposeSparse,
  matVecMulSparse, maskSparse, normalize, rowHadamardSparse, rowSumSparse, vecMul,
  type FixedMatrix, type FixedRow
} from './math.ts'

export interface BondsInput {
  /** W̃: the weights bonds are bought with (after the bonds penalty). */
  weightsForBonds: FixedMatrix
  /** Stored u16 bond rows from the previous epoch. */
  storedBonds: readonly SparseRow[]
  activeStake: readonly Fixed[]
  incentive: readonly Fixed[]
  consensus: readonly Fixed[]
  blockAtRegistration: readonly number[]
  /** Bonds to uids registered at or after this block are dropped (§3.10 step 2). */
  lastTempo: number
  bondsMovingAverage: bigint
}

export interface LiquidAlpha {
  low: Fixed
  high: Fixed
  steepness: Fixed
}

export interface BondsResult {
  /** Normalised dividends. */
  dividends: Fixed[]
  /** u16 bond rows in the encoding this Yuma version stores. */
  bonds: SparseRow[]
}

/** Stored rows as fixed values (`decode` per entry), uids ≥ n dropped, recently registered uids masked. */
function previousBonds (input: BondsInput, decode: (u16: number) => Fixed): FixedMatrix {
  const n = input.blockAtRegistration.length
  const rows = input.storedBonds.map(row => {
    const out: FixedRow = []
    for (const [j, b] of row) if (j < n) out.push([j, decode(b)])
    return out
  })
  return maskSparse(rows, (_, j) => input.lastTempo <= input.blockAtRegistration[j]!)
}

function store (matrix: FixedMatrix): SparseRow[] {
  return matrix.map(row => row.map(([j, v]): [number, number] => [j, toU16Proportion(v)]))
}

/**
 * Original Yuma (§3.10): column-normalised bonds, ΔB = W̃ ∘ A column-normalised, EMA with fixed
 * α, column-normalised again; D = normalize(E · I); stored column max-upscaled.
 */
export function originalYumaBonds (input: BondsInput): BondsResult {
  const n = input.blockAtRegistration.length
  const bonds = colNormalizeSparse(previousBonds(input, fixed), n)
  const delta = colNormalizeSparse(rowHadamardSparse(input.weightsForBonds, input.activeStake), n)
  const ema = colNormalizeSparse(matEmaSparse(delta, bonds, emaAlphaFromPpm(input.bondsMovingAverage)), n)
  const dividends = normalize(matmulTransposeSparse(ema, input.incentive))
  return { dividends, bonds: store(colMaxUpscaleSparse(ema, n)) }
}

/**
 * Yuma 3 (§3.11): absolute bonds in [0, 1], EMA with liquid alpha (when on and some consensus is
 * non-zero) or fixed α; D_i = A_i · Σ_j Ê_ij · I_j with Ê column-normalised, then normalised;
 * stored as floor(E·65535).
 */
export function yuma3Bonds (input: BondsInput, liquidAlpha: LiquidAlpha | null): BondsResult {
  const n = input.blockAtRegistration.length
  const bonds = previousBonds(input, fromU16Proportion)
  const ema = liquidAlpha !== null && input.consensus.some(c => c !== 0n)
    ? liquidAlphaEma(input.weightsForBonds, bonds, input.consensus, liquidAlpha)
    : matEmaSparse(input.weightsForBonds, bonds, emaAlphaFromPpm(input.bondsMovingAverage))
  const perValidator = rowSumSparse(matVecMulSparse(colNormalizeSparse(ema, n), input.incentive))
  const dividends = normalize(vecMul(perValidator, input.activeStake))
  return { dividends, bonds: store(ema) }
}

/** Per-pair α from the buy/sell distance (`alpha_sigmoid`), with `exp_safe` as §3.11 specifies. */
export function alphaSigmoid (consensus: Fixed, weight: Fixed, bond: Fixed, params: LiquidAlpha): Fixed {
  const distance = weight >= bond
    ? clamp(sub(weight, consensus), 0n, ONE)
    : clamp(sub(bond, weight), 0n, ONE)
  const exponent = mul(saturatingDiv(params.steepness, fixed(-100)), sub(distance, HALF))
  const sigmoid = saturatingDiv(ONE, add(ONE, expSafe(exponent)))
  return clamp(add(params.low, mul(sigmoid, sub(params.high, params.low))), params.low, params.high)
}

/** The value the forward merge finds at column j, advancing `cursor` past smaller columns. */
function mergeAt (row: FixedRow, cursor: { at: number }, j: number): Fixed {
  while (cursor.at < row.length) {
    const [column, value] = row[cursor.at]!
    if (column < j) {
      cursor.at++
    } else {
      return column === j ? value : 0n
    }
  }
  return 0n
}

/** mat_ema_alpha_sparse with α_ij from `alphaSigmoid`, evaluated only where W̃ has an entry. */
function liquidAlphaEma (
  weights: FixedMatrix,
  bonds: FixedMatrix,
  consensus: readonly Fixed[],
  params: LiquidAlpha
): FixedMatrix {
  const alphas = weights.map((row, i) => {
    const alpha = new Map<number, Fixed>()
    if (row.length === 0) return alpha
    const needed = new Set(row.map(([j]) => j))
    const weightCursor = { at: 0 }
    const bondCursor = { at: 0 }
    const bondRow = bonds[i] ?? []
    consensus.forEach((c, j) => {
      const weight = mergeAt(row, weightCursor, j)
      const bond = mergeAt(bondRow, bondCursor, j)
      if (needed.has(j)) alpha.set(j, alphaSigmoid(c, weight, bond, params))
    })
    return alpha
  })
  return matEmaAlphaSparse(weights, bonds, (i, j) => alphas[i]!.get(j))
}
