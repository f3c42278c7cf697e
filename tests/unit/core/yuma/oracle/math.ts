/*
 * TEST ORACLE, not product code: a frozen copy of src/core/yuma/math.ts as of commit 5fb4f61, the
 * straightforward bigint implementation that the vectors validated. The differential test
 * (../differential.spec.ts) requires the optimised src/ epoch to give identical outputs. Do not
 * optimise or "fix" this copy; only tests import it.
 */
/**
 * The vector and sparse-matrix helpers of subtensor's `epoch/math.rs` that the sparse epoch uses,
 * with the same rounding, the same entry order and the same corner cases, because each of them
 * decides payouts (yuma.md §3, §8). A sparse row is a list of [column, value] pairs in storage
 * order; an explicit zero entry stays an entry unless a helper is documented to drop it. Columns
 * outside a matrix's width are ignored where the Rust code ignores them.
 *
 * Every function returns a new value and leaves its arguments untouched.
 */
import { ONE, add, checkedMul, div, fixed, max, min, mul, round, sub, toU16, type Fixed } from './fixed.ts'

/** A sparse row: [column, I32F32 value] pairs. */
export type FixedRow = Array<[number, Fixed]>
export type FixedMatrix = FixedRow[]

/** Sum of the bit patterns (saturating). */
export function sum (values: readonly Fixed[]): Fixed {
  let total = 0n
  for (const v of values) total = add(total, v)
  return total
}

/** Divides each entry by the sum; an all-zero vector is returned unchanged. */
export function normalize (values: readonly Fixed[]): Fixed[] {
  const total = sum(values)
  return total === 0n ? values.slice() : values.map(v => div(v, total))
}

/** True for the non-zero entries among the k largest; ties at the cut go to higher indices (stable ascending sort). */
export function isTopkNonzero (values: readonly Fixed[], k: number): boolean[] {
  const result = values.map(v => v !== 0n)
  const n = values.length
  if (n < k) return result
  const order = values.map((_, i) => i)
  order.sort((a, b) => {
    const x = values[a]!
    const y = values[b]!
    return x < y ? -1 : x > y ? 1 : 0
  })
  for (const i of order.slice(0, n - k)) result[i] = false
  return result
}

/** Element-wise product; an overflowing product becomes 0 (`checked_mul().unwrap_or_default()`). */
export function vecMul (a: readonly Fixed[], b: readonly Fixed[]): Fixed[] {
  const length = Math.min(a.length, b.length)
  const out: Fixed[] = []
  for (let i = 0; i < length; i++) out.push(checkedMul(a[i]!, b[i]!) ?? 0n)
  return out
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

/** Drops every entry (i, j) for which `drop(i, j)` holds. */
export function maskSparse (matrix: FixedMatrix, drop: (i: number, j: number) => boolean): FixedMatrix {
  return matrix.map((row, i) => row.filter(([j]) => !drop(i, j)))
}

/** Sum of a sparse row's values (saturating). */
function rowSum (row: FixedRow): Fixed {
  let total = 0n
  for (const [, v] of row) total = add(total, v)
  return total
}

/** Per-row sums. */
export function rowSumSparse (matrix: FixedMatrix): Fixed[] {
  return matrix.map(rowSum)
}

/** Divides each row by its sum when the sum is positive. */
export function rowNormalizeSparse (matrix: FixedMatrix): FixedMatrix {
  return matrix.map(row => {
    const total = rowSum(row)
    return total > 0n ? row.map(([j, v]): [number, Fixed] => [j, div(v, total)]) : row.slice()
  })
}

/** Per-column sums over columns < `columns`. */
function colSums (matrix: FixedMatrix, columns: number): Fixed[] {
  const sums: Fixed[] = new Array<Fixed>(columns).fill(0n)
  for (const row of matrix) {
    for (const [j, v] of row) if (j < columns) sums[j] = add(sums[j]!, v)
  }
  return sums
}

/** Divides each entry by its column sum where that sum is non-zero. */
export function colNormalizeSparse (matrix: FixedMatrix, columns: number): FixedMatrix {
  const sums = colSums(matrix, columns)
  return matrix.map(row => row.map(([j, v]): [number, Fixed] => {
    const total = sums[j] ?? 0n
    return [j, total === 0n ? v : div(v, total)]
  }))
}

/** Divides each entry by its column maximum where that maximum is non-zero. */
export function colMaxUpscaleSparse (matrix: FixedMatrix, columns: number): FixedMatrix {
  const maxima: Fixed[] = new Array<Fixed>(columns).fill(0n)
  for (const row of matrix) {
    for (const [j, v] of row) if (j < columns && maxima[j]! < v) maxima[j] = v
  }
  return matrix.map(row => row.map(([j, v]): [number, Fixed] => {
    const top = maxima[j] ?? 0n
    return [j, top === 0n ? v : div(v, top)]
  }))
}

/** result_j = Σ_i vector_i · m_ij (each product floored). */
export function matmulSparse (matrix: FixedMatrix, vector: readonly Fixed[], columns: number): Fixed[] {
  const result: Fixed[] = new Array<Fixed>(columns).fill(0n)
  matrix.forEach((row, i) => {
    const vi = vector[i] ?? 0n
    for (const [j, v] of row) if (j < columns) result[j] = add(result[j]!, mul(vi, v))
  })
  return result
}

/** result_i = Σ_j vector_j · m_ij (each product floored). */
export function matmulTransposeSparse (matrix: FixedMatrix, vector: readonly Fixed[]): Fixed[] {
  return matrix.map(row => {
    let acc = 0n
    for (const [j, v] of row) acc = add(acc, mul(vector[j] ?? 0n, v))
    return acc
  })
}

/** m_ij · vector_i, entries kept (zeros included). */
export function rowHadamardSparse (matrix: FixedMatrix, vector: readonly Fixed[]): FixedMatrix {
  return matrix.map((row, i) => row.map(([j, v]): [number, Fixed] => [j, mul(v, vector[i] ?? 0n)]))
}

/** m_ij · vector_j, keeping only non-zero products. */
export function matVecMulSparse (matrix: FixedMatrix, vector: readonly Fixed[]): FixedMatrix {
  return matrix.map(row => {
    const out: FixedRow = []
    for (const [j, v] of row) {
      const vj = vector[j]
      if (vj === undefined) continue
      const product = mul(v, vj)
      if (product !== 0n) out.push([j, product])
    }
    return out
  })
}

/** min(m_ij, threshold_j); an entry that would be clipped to a threshold ≤ 0 is dropped instead. */
export function colClipSparse (matrix: FixedMatrix, thresholds: readonly Fixed[]): FixedMatrix {
  return matrix.map(row => {
    const out: FixedRow = []
    for (const [j, v] of row) {
      const threshold = thresholds[j] ?? 0n
      if (threshold < v) {
        if (threshold > 0n) out.push([j, threshold])
      } else {
        out.push([j, v])
      }
    }
    return out
  })
}

/**
 * Stake-weighted median by mid-pivot quickselect (`math.rs::weighted_median`), copied step for
 * step because its tie and boundary behaviour decides consensus (yuma.md §3.6): the pivot is the
 * score at the middle of the current candidate list, candidates equal to it are dropped, and the
 * search moves to the lower part while `minority < lo + lowStake`, to the upper part while
 * `hi − highStake ≤ minority`, and otherwise returns the pivot. After more rounds than initial
 * candidates it returns 0 (the Rust safety stop).
 */
export function weightedMedian (
  stake: readonly Fixed[],
  score: readonly Fixed[],
  partition: readonly number[],
  minority: Fixed,
  partitionLo: Fixed,
  partitionHi: Fixed
): Fixed {
  if (stake.length !== score.length) return 0n
  let current = partition
  let lo = partitionLo
  let hi = partitionHi
  const limit = partition.length
  for (let iteration = 1; ; iteration++) {
    if (current.length === 0) return 0n
    if (current.length === 1) return score[current[0]!] ?? 0n
    const pivot = score[current[current.length >> 1]!] ?? 0n
    let lowStake = 0n
    let highStake = 0n
    const lower: number[] = []
    const upper: number[] = []
    for (const idx of current) {
      const s = score[idx] ?? 0n
      if (s === pivot) continue
      if (s < pivot) {
        lowStake = add(lowStake, stake[idx] ?? 0n)
        lower.push(idx)
      } else {
        highStake = add(highStake, stake[idx] ?? 0n)
        upper.push(idx)
      }
    }
    if (minority < add(lo, lowStake) && lower.length > 0) {
      current = lower
      hi = add(lo, lowStake)
    } else if (sub(hi, highStake) <= minority && upper.length > 0) {
      current = upper
      lo = sub(hi, highStake)
    } else {
      return pivot
    }
    if (iteration > limit) return 0n
  }
}

/**
 * Per column, the stake-weighted median of the rows with positive stake (`weighted_median_col_sparse`):
 * their stake is re-normalised, a missing entry scores 0, and minority = Σstake − majority.
 */
export function weightedMedianColSparse (
  stake: readonly Fixed[],
  score: FixedMatrix,
  columns: number,
  majority: Fixed
): Fixed[] {
  const useStake = normalize(stake.filter(s => s > 0n))
  const stakeSum = sum(useStake)
  const minority = sub(stakeSum, majority)
  const indices = useStake.map((_, k) => k)
  const useScore: Fixed[][] = []
  for (let c = 0; c < columns; c++) useScore.push(new Array<Fixed>(useStake.length).fill(0n))
  let k = 0
  for (let r = 0; r < stake.length && r < score.length; r++) {
    if (stake[r]! <= 0n) continue
    for (const [c, v] of score[r]!) {
      const column = useScore[c]
      if (column !== undefined && k < column.length) column[k] = v
    }
    k++
  }
  return useScore.map(column => weightedMedian(useStake, column, indices, minority, 0n, stakeSum))
}

/** Row i of a sparse matrix as a dense vector of `columns` entries (a later duplicate wins). */
function dense (row: FixedRow | undefined, columns: number): Fixed[] {
  const out: Fixed[] = new Array<Fixed>(columns).fill(0n)
  for (const [j, v] of row ?? []) if (j < columns) out[j] = v
  return out
}

/**
 * a + ratio·(b − a) element-wise (`interpolate_sparse`). ratio 0 returns `a` and ratio 1 returns
 * `b` unchanged (zeros kept); otherwise rows are computed densely and only entries > 0 are kept.
 */
export function interpolateSparse (a: FixedMatrix, b: FixedMatrix, columns: number, ratio: Fixed): FixedMatrix {
  if (ratio === 0n) return a.map(row => row.slice())
  if (ratio === ONE || a.length !== b.length) return b.map(row => row.slice())
  return a.map((rowA, i) => {
    const rowB = b[i]!
    const out: FixedRow = []
    if (rowA.length === 0 && rowB.length === 0) return out
    const va = dense(rowA, columns)
    const vb = dense(rowB, columns)
    for (let j = 0; j < columns; j++) {
      const value = add(va[j]!, mul(ratio, sub(vb[j]!, va[j]!)))
      if (value > 0n) out.push([j, value])
    }
    return out
  })
}

/**
 * α·new + (1 − α)·old over the union of entries (`mat_ema_sparse`), rows as wide as the matrix is
 * tall, keeping entries > 0 in column order.
 */
export function matEmaSparse (next: FixedMatrix, previous: FixedMatrix, alpha: Fixed): FixedMatrix {
  const n = next.length
  const oneMinusAlpha = sub(ONE, alpha)
  return next.map((rowNew, i) => {
    const rowOld = previous[i] ?? []
    const out: FixedRow = []
    if (rowNew.length === 0 && rowOld.length === 0) return out
    const acc: Fixed[] = new Array<Fixed>(n).fill(0n)
    for (const [j, v] of rowNew) if (j < n) acc[j] = add(acc[j]!, mul(alpha, v))
    for (const [j, v] of rowOld) if (j < n) acc[j] = add(acc[j]!, mul(oneMinusAlpha, v))
    acc.forEach((v, j) => { if (v > 0n) out.push([j, v]) })
    return out
  })
}

/**
 * Per-entry EMA with liquid alpha (`mat_ema_alpha_sparse`): for each entry (j, w) of row i of
 * `next`, min(1, (1 − α_ij)·old_ij + max(0, α_ij·w)), kept if > 0. Old entries without a matching
 * new entry are dropped, not decayed. `alphaAt(i, j)` is undefined outside the alpha matrix, and
 * such entries are skipped as the Rust code skips them.
 */
export function matEmaAlphaSparse (
  next: FixedMatrix,
  previous: FixedMatrix,
  alphaAt: (i: number, j: number) => Fixed | undefined
): FixedMatrix {
  if (next.length !== previous.length) return next.map(row => row.slice())
  return next.map((rowNew, i) => {
    const decayed = new Map<number, Fixed>()
    for (const [j, old] of previous[i]!) {
      const a = alphaAt(i, j)
      if (a !== undefined) decayed.set(j, mul(sub(ONE, a), old))
    }
    const out: FixedRow = []
    for (const [j, w] of rowNew) {
      const a = alphaAt(i, j)
      if (a === undefined) continue
      const value = min(add(decayed.get(j) ?? 0n, max(mul(a, w), 0n)), ONE)
      if (value > 0n) out.push([j, value])
    }
    return out
  })
}
