/**
 * The vector and sparse-matrix helpers of subtensor's `epoch/math.rs` that the sparse epoch uses,
 * with the same rounding, the same entry order and the same corner cases, because each of them
 * decides payouts (yuma.md §3, §8). Matrices are compressed rows (sparse.ts) of I32F32 bit
 * patterns held as exact integer doubles (exact.ts); an explicit zero entry stays an entry
 * unless a helper is documented to drop it.
 *
 * Bounds that keep every double exact: every entry these helpers see is a proportion of at most
 * 2^32 bits (the epoch normalises weights, stake and bonds before they get here), a column or
 * row sums at most 2^16 of them (< 2^48), and each product goes through `mulFloor`, each quotient
 * through `divFloor`, whose preconditions this implies.
 *
 * Every function returns a new value and leaves its arguments untouched. Matrices and long
 * vectors are built in a workspace (workspace.ts) when the caller passes one, freshly otherwise.
 */
import { ONE, divFloor, mulFloor } from './exact.ts'
import { div, fixed, max, mul, round, toU16, type Fixed } from './fixed.ts'
import { CsrBuilder, columnOrder, rowCount, withValues, type Csr } from './sparse.ts'
import { Workspace } from './workspace.ts'

/** True for the non-zero entries among the k largest; ties at the cut go to higher indices (stable ascending sort). */
export function isTopkNonzero (values: Float64Array, k: number): boolean[] {
  const result = Array.from(values, v => v !== 0)
  const n = values.length
  if (n < k) return result
  const order = Array.from(values, (_, i) => i)
  order.sort((a, b) => values[a]! - values[b]! || a - b)
  for (let t = 0; t < n - k; t++) result[order[t]!] = false
  return result
}

/** Per-row sums. */
export function rowSums (m: Csr): Float64Array {
  const sums = new Float64Array(rowCount(m))
  for (let i = 0; i < sums.length; i++) {
    let total = 0
    for (let k = m.start[i]!; k < m.start[i + 1]!; k++) total += m.val[k]!
    sums[i] = total
  }
  return sums
}

/** Per-column sums. */
export function colSums (m: Csr, columns: number, space = new Workspace()): Float64Array {
  const sums = space.float64(columns)
  for (let k = 0; k < m.col.length; k++) {
    const j = m.col[k]!
    sums[j] = sums[j]! + m.val[k]!
  }
  return sums
}

/** Divides each entry by `divisors[column]` where that is non-zero (each entry at most its divisor). */
function divideByColumn (m: Csr, divisors: Float64Array, space: Workspace): Csr {
  const val = space.float64Scratch(m.val.length)
  for (let k = 0; k < val.length; k++) {
    const d = divisors[m.col[k]!]!
    val[k] = d === 0 ? m.val[k]! : divFloor(m.val[k]!, d)
  }
  return withValues(m, val)
}

/** Divides each entry by its column sum where that sum is non-zero. */
export function colNormalize (m: Csr, columns: number, space = new Workspace()): Csr {
  return divideByColumn(m, colSums(m, columns, space), space)
}

/** Divides each entry by its column maximum where that maximum is non-zero. */
export function colMaxUpscale (m: Csr, columns: number, space = new Workspace()): Csr {
  const maxima = space.float64(columns)
  for (let k = 0; k < m.col.length; k++) {
    const j = m.col[k]!
    if (maxima[j]! < m.val[k]!) maxima[j] = m.val[k]!
  }
  return divideByColumn(m, maxima, space)
}

/**
 * min(m_ij, threshold_j); an entry that would be clipped to a threshold ≤ 0 is dropped instead.
 * When nothing is dropped (the usual case) the result shares `m`'s pattern.
 */
export function colClip (m: Csr, thresholds: Float64Array, space = new Workspace()): Csr {
  const val = space.float64Scratch(m.val.length)
  let dropped = false
  for (let k = 0; k < val.length; k++) {
    const v = m.val[k]!
    const threshold = thresholds[m.col[k]!]!
    // min(v, threshold) without a branch (they are 50/50 here): exact for integers below 2^52.
    val[k] = (v + threshold - Math.abs(v - threshold)) * 0.5
    if (threshold <= 0 && threshold < v) dropped = true
  }
  return dropped ? withoutDropped(m, thresholds, space) : withValues(m, val)
}

/** `colClip` with the dropped entries left out. */
function withoutDropped (m: Csr, thresholds: Float64Array, space: Workspace): Csr {
  const rows = rowCount(m)
  const out = new CsrBuilder(rows, m.col.length, space)
  for (let i = 0; i < rows; i++) {
    for (let k = m.start[i]!; k < m.start[i + 1]!; k++) {
      const j = m.col[k]!
      const v = m.val[k]!
      const threshold = thresholds[j]!
      if (threshold < v) {
        if (threshold > 0) out.push(j, threshold)
      } else {
        out.push(j, v)
      }
    }
    out.endRow()
  }
  return out.finish()
}

/** result_j = Σ_i vector_i · m_ij (each product floored). */
export function matmul (m: Csr, vector: Float64Array, columns: number): Float64Array {
  const result = new Float64Array(columns)
  for (let i = 0; i < rowCount(m); i++) {
    const vi = vector[i]!
    for (let k = m.start[i]!; k < m.start[i + 1]!; k++) {
      const j = m.col[k]!
      result[j] = result[j]! + mulFloor(vi, m.val[k]!)
    }
  }
  return result
}

/** result_i = Σ_j vector_j · m_ij (each product floored). */
export function matmulTranspose (m: Csr, vector: Float64Array): Float64Array {
  const result = new Float64Array(rowCount(m))
  for (let i = 0; i < result.length; i++) {
    let total = 0
    for (let k = m.start[i]!; k < m.start[i + 1]!; k++) total += mulFloor(vector[m.col[k]!]!, m.val[k]!)
    result[i] = total
  }
  return result
}

/** `matmulTranspose(colNormalize(m, columns), vector)` without building the normalised matrix. */
export function matmulTransposeColNormalized (m: Csr, vector: Float64Array, columns: number, space = new Workspace()): Float64Array {
  const sums = colSums(m, columns, space)
  const result = new Float64Array(rowCount(m))
  for (let i = 0; i < result.length; i++) {
    let total = 0
    for (let k = m.start[i]!; k < m.start[i + 1]!; k++) {
      const j = m.col[k]!
      const v = sums[j] === 0 ? m.val[k]! : divFloor(m.val[k]!, sums[j]!)
      total += mulFloor(vector[j]!, v)
    }
    result[i] = total
  }
  return result
}

/** m_ij · vector_i, entries kept (zeros included). */
export function rowHadamard (m: Csr, vector: Float64Array, space = new Workspace()): Csr {
  const val = space.float64Scratch(m.val.length)
  for (let i = 0; i < rowCount(m); i++) {
    const vi = vector[i]!
    for (let k = m.start[i]!; k < m.start[i + 1]!; k++) val[k] = mulFloor(m.val[k]!, vi)
  }
  return withValues(m, val)
}

function rowIsEmpty (m: Csr, i: number): boolean {
  return m.start[i] === m.start[i + 1]
}

/**
 * a + ratio·(b − a) element-wise (`interpolate_sparse`). ratio 0 returns `a` and ratio 1 returns
 * `b` unchanged (zeros kept); otherwise only entries > 0 are kept, in column order. subtensor
 * computes such rows densely; here `b` is `a` clipped (the only use), so its entries are a subset
 * of a's, the result can be non-zero only in row i of `a`, and only those columns are visited.
 */
export function interpolate (a: Csr, b: Csr, columns: number, ratio: number, space = new Workspace()): Csr {
  if (ratio === 0) return a
  if (ratio === ONE) return b
  const rows = rowCount(a)
  const out = new CsrBuilder(rows, a.col.length, space)
  const vb = space.float64(columns)
  const order = space.int32Scratch(columns)
  for (let i = 0; i < rows; i++) {
    for (let k = b.start[i]!; k < b.start[i + 1]!; k++) vb[b.col[k]!] = b.val[k]!
    for (const k of columnOrder(a, i, order)) {
      const j = a.col[k]!
      const va = a.val[k]!
      const value = va + mulFloor(ratio, vb[j]! - va)
      if (value > 0) out.push(j, value)
    }
    for (let k = b.start[i]!; k < b.start[i + 1]!; k++) vb[b.col[k]!] = 0
    out.endRow()
  }
  return out.finish()
}

/** A bound on the entries of `matEma`'s result: per row, the union of both rows, at most the width. */
function emaEntries (next: Csr, previous: Csr): number {
  const n = rowCount(next)
  let count = 0
  for (let i = 0; i < n; i++) {
    count += Math.min(n, next.start[i + 1]! - next.start[i]! + previous.start[i + 1]! - previous.start[i]!)
  }
  return count
}

/**
 * α·next + (1 − α)·previous over the union of entries (`mat_ema_sparse`), for α in [0, 1]: rows as
 * wide as the matrix is tall, keeping entries > 0 in column order.
 */
export function matEma (next: Csr, previous: Csr, alpha: number, space = new Workspace()): Csr {
  const n = rowCount(next)
  const oneMinusAlpha = ONE - alpha
  const out = new CsrBuilder(n, emaEntries(next, previous), space)
  const acc = space.float64(n)
  for (let i = 0; i < n; i++) {
    if (!rowIsEmpty(next, i) || !rowIsEmpty(previous, i)) {
      for (let k = next.start[i]!; k < next.start[i + 1]!; k++) {
        const j = next.col[k]!
        acc[j] = acc[j]! + mulFloor(alpha, next.val[k]!)
      }
      for (let k = previous.start[i]!; k < previous.start[i + 1]!; k++) {
        const j = previous.col[k]!
        acc[j] = acc[j]! + mulFloor(oneMinusAlpha, previous.val[k]!)
      }
      for (let j = 0; j < n; j++) {
        if (acc[j]! > 0) out.push(j, acc[j]!)
        acc[j] = 0
      }
    }
    out.endRow()
  }
  return out.finish()
}

/**
 * Per-entry EMA (`mat_ema_alpha_sparse`): for each entry (j, w) of row i of `next`, with its own
 * α (`alpha[k]` for entry k of `next`, in [0, 1]), min(1, (1 − α)·previous_ij + max(0, α·w)), kept
 * if > 0, in `next`'s order. Entries of `previous` without a matching `next` entry are dropped,
 * not decayed.
 */
export function matEmaAlpha (next: Csr, previous: Csr, alpha: Float64Array, space = new Workspace()): Csr {
  const n = rowCount(next)
  const out = new CsrBuilder(n, next.col.length, space)
  const alphaAt = space.float64(n)
  const decayed = space.float64(n)
  const inRow = space.int32Scratch(n).fill(-1)
  for (let i = 0; i < n; i++) {
    for (let k = next.start[i]!; k < next.start[i + 1]!; k++) {
      alphaAt[next.col[k]!] = alpha[k]!
      inRow[next.col[k]!] = i
    }
    for (let k = previous.start[i]!; k < previous.start[i + 1]!; k++) {
      const j = previous.col[k]!
      if (inRow[j] === i) decayed[j] = mulFloor(ONE - alphaAt[j]!, previous.val[k]!)
    }
    for (let k = next.start[i]!; k < next.start[i + 1]!; k++) {
      const j = next.col[k]!
      const value = Math.min(decayed[j]! + Math.max(mulFloor(alpha[k]!, next.val[k]!), 0), ONE)
      if (value > 0) out.push(j, value)
      decayed[j] = 0
    }
    out.endRow()
  }
  return out.finish()
}

/**
 * Scales a vector so its maximum becomes 65535 and rounds to u16 (`vec_max_upscale_to_u16`), the
 * way `set_weights` stores a row: max 0 → all 0; max > 32768 → round(v · (65535 / max));
 * otherwise round(v · 65535 / max).
 */
export function vecMaxUpscaleToU16 (values: readonly Fixed[]): number[] {
  if (values.length === 0) return []
  const u16Max = fixed(65535)
  const top = values.reduce((a, b) => max(a, b))
  if (top === 0n) return values.map(v => toU16(mul(v, u16Max)))
  if (top > fixed(32768)) {
    const scale = div(u16Max, top)
    return values.map(v => toU16(round(mul(v, scale))))
  }
  return values.map(v => toU16(round(div(mul(v, u16Max), top))))
}
