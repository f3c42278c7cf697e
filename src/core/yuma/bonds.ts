/**
 * Bonds and dividends, the two ways subtensor computes them (yuma.md §3.10 original Yuma,
 * §3.11 Yuma 3 with optional liquid alpha). Both take the bond-weights W̃ of §3.9 and return the
 * normalised dividends and the u16 bond rows to store for the uids that hold a new permit
 * (every other uid's row is stored empty, §3.13).
 *
 * Every matrix here holds proportions of at most 2^32 bits, as math.ts requires, with one
 * exception handled where it occurs: original Yuma reads stored bonds as whole numbers (u16 w
 * becomes w·2^32) before normalising their columns, so that step works in u16 units instead.
 */
import type { PackedRows } from './types.ts'
import { MAX, emaAlphaFromPpm } from './fixed.ts'
import { divFloor, fromU16, mulFloor, normalized, u16Of } from './exact.ts'
import { liquidAlphas, type LiquidAlpha } from './liquid-alpha.ts'
import {
  colMaxUpscale, colNormalize, colSums, matEma, matEmaAlpha, matmulTranspose, matmulTransposeColNormalized, rowHadamard
} from './math.ts'
import { CsrBuilder, packedEntryCount, rowCount, withValues, type Csr } from './sparse.ts'
import { Workspace } from './workspace.ts'

export interface BondsInput {
  /** W̃: the weights bonds are bought with (after the bonds penalty). */
  weightsForBonds: Csr
  /** Stored u16 bond rows from the previous epoch. */
  storedBonds: PackedRows
  activeStake: Float64Array
  incentive: Float64Array
  consensus: Float64Array
  blockAtRegistration: readonly number[]
  /** Bonds to uids registered at or after this block are dropped (§3.10 step 2). */
  lastTempo: number
  /** At most 1_000_000 (check.ts), so the EMA's α is in [0, 1]. */
  bondsMovingAverage: bigint
  /** The uids whose bond rows are stored: those with a new permit. */
  storeRow: readonly boolean[]
}

export interface BondsResult {
  /** Normalised dividends. */
  dividends: Float64Array
  /** u16 bond rows in the encoding this Yuma version stores (empty where `storeRow` is false). */
  bonds: PackedRows
}

/** Stored rows with `decode` applied per entry, uids ≥ n dropped, recently registered uids masked. */
function previousBonds (input: BondsInput, decode: (u16: number) => number, space: Workspace): Csr {
  const registered = input.blockAtRegistration
  const n = registered.length
  const { start, uids, values } = input.storedBonds
  const out = new CsrBuilder(n, packedEntryCount(input.storedBonds), space)
  for (let i = 0; i < n; i++) {
    for (let k = start[i]!; k < start[i + 1]!; k++) {
      const j = uids[k]!
      if (j < n && input.lastTempo > registered[j]!) out.push(j, decode(values[k]!))
    }
    out.endRow()
  }
  return out.finish()
}

/**
 * Columns of u16 units w (standing for w·2^32) normalised: w / Σw as I32F32. The fixed-point
 * column sum Σw·2^32 saturates at the I32F32 maximum once Σw ≥ 2^31; that rare case divides by
 * the maximum in bigint.
 */
export function colNormalizeUnits (m: Csr, columns: number, space = new Workspace()): Csr {
  const sums = colSums(m, columns, space)
  const val = space.float64Scratch(m.val.length)
  for (let k = 0; k < val.length; k++) {
    const w = m.val[k]!
    const total = sums[m.col[k]!]!
    val[k] = total === 0 ? 0 : total >= 2 ** 31 ? Number((BigInt(w) << 64n) / MAX) : divFloor(w, total)
  }
  return withValues(m, val)
}

/** The rows of `storeRow` encoded as u16, packed into fresh arrays (they outlive the workspace). */
function store (m: Csr, storeRow: readonly boolean[], encode: (v: number) => number): PackedRows {
  const rows = rowCount(m)
  const start = new Int32Array(rows + 1)
  for (let i = 0; i < rows; i++) start[i + 1] = start[i]! + (storeRow[i] === true ? m.start[i + 1]! - m.start[i]! : 0)
  const uids = new Uint16Array(start[rows]!)
  const values = new Uint16Array(start[rows]!)
  for (let i = 0; i < rows; i++) {
    if (storeRow[i] !== true) continue
    const from = m.start[i]!
    const to = start[i]!
    for (let k = 0; k < start[i + 1]! - to; k++) {
      uids[to + k] = m.col[from + k]!
      values[to + k] = encode(m.val[from + k]!)
    }
  }
  return { start, uids, values }
}

/**
 * Original Yuma (§3.10): column-normalised bonds, ΔB = W̃ ∘ A column-normalised, EMA with fixed
 * α, column-normalised again; D = normalize(E · I); stored column max-upscaled.
 */
export function originalYumaBonds (input: BondsInput, space = new Workspace()): BondsResult {
  const n = input.blockAtRegistration.length
  const bonds = colNormalizeUnits(previousBonds(input, u16 => u16, space), n, space)
  const delta = colNormalize(rowHadamard(input.weightsForBonds, input.activeStake, space), n, space)
  const ema = colNormalize(matEma(delta, bonds, Number(emaAlphaFromPpm(input.bondsMovingAverage)), space), n, space)
  const dividends = normalized(matmulTranspose(ema, input.incentive))
  return { dividends, bonds: store(colMaxUpscale(ema, n, space), input.storeRow, u16Of) }
}

/**
 * Yuma 3 (§3.11): absolute bonds in [0, 1], EMA with liquid alpha (when on and some consensus is
 * non-zero) or fixed α; D_i = A_i · Σ_j Ê_ij · I_j with Ê column-normalised, then normalised;
 * stored as floor(E·65535).
 */
export function yuma3Bonds (input: BondsInput, liquidAlpha: LiquidAlpha | null, space = new Workspace()): BondsResult {
  const n = input.blockAtRegistration.length
  const weights = input.weightsForBonds
  const bonds = previousBonds(input, fromU16, space)
  const ema = liquidAlpha !== null && input.consensus.some(c => c !== 0)
    ? matEmaAlpha(weights, bonds, liquidAlphas(weights, bonds, input.consensus, liquidAlpha, space), space)
    : matEma(weights, bonds, Number(emaAlphaFromPpm(input.bondsMovingAverage)), space)
  const perValidator = matmulTransposeColNormalized(ema, input.incentive, n, space)
  const dividends = normalized(perValidator.map((v, i) => mulFloor(v, input.activeStake[i]!)))
  return { dividends, bonds: store(ema, input.storeRow, u16Of) }
}
