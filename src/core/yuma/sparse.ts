/**
 * The epoch's sparse matrices, in compressed-row form: three typed arrays instead of an array of
 * [column, value] tuples per row, so the O(n·validators) loops touch no objects and allocate
 * nothing per entry. Row i's entries are `start[i] ≤ k < start[i + 1]`, in the row's storage order
 * (not necessarily by column, because subtensor's order matters in a few places), each column at
 * most once (check.ts rejects a row that lists a uid twice) and below the matrix's width.
 *
 * Values are I32F32 bit patterns held as exact integer doubles (exact.ts). A matrix is never
 * changed after it is built, so kernels that keep the sparsity pattern share `start` and `col`.
 * The arrays usually come from a workspace (workspace.ts) and live as long as its epoch.
 */
import type { Fixed } from './fixed.ts'
import type { PackedRows } from './types.ts'
import type { Workspace } from './workspace.ts'

export interface Csr {
  start: Int32Array
  col: Int32Array
  val: Float64Array
}

/** A sparse row as [column, I32F32 value] pairs: how `EpochTerms` shows a matrix. */
export type FixedRow = Array<[number, Fixed]>
export type FixedMatrix = FixedRow[]

export function rowCount (m: Csr): number {
  return m.start.length - 1
}

/** Builds a Csr row by row, into arrays from a workspace. */
export class CsrBuilder {
  private readonly start: Int32Array
  private readonly col: Int32Array
  private readonly val: Float64Array
  private size = 0
  private row = 0

  /** `capacity` must bound the number of entries pushed (each caller derives one from its inputs). */
  constructor (rows: number, capacity: number, space: Workspace) {
    this.start = space.int32(rows + 1)
    this.col = space.int32Scratch(capacity)
    this.val = space.float64Scratch(capacity)
  }

  push (column: number, value: number): void {
    if (this.size === this.col.length) throw new RangeError('CsrBuilder: more entries than its capacity')
    this.col[this.size] = column
    this.val[this.size] = value
    this.size++
  }

  /** The values pushed since the last `endRow`, to rewrite in place. */
  currentRow (): Float64Array {
    return this.val.subarray(this.start[this.row]!, this.size)
  }

  endRow (): void {
    this.start[++this.row] = this.size
  }

  finish (): Csr {
    return { start: this.start, col: this.col.subarray(0, this.size), val: this.val.subarray(0, this.size) }
  }
}

/** Number of entries of the stored rows that `keep` selects (all by default): a Csr's capacity. */
export function packedEntryCount (rows: PackedRows, keep?: readonly boolean[]): number {
  if (keep === undefined) return rows.uids.length
  let count = 0
  for (let i = 0; i + 1 < rows.start.length; i++) if (keep[i] === true) count += rows.start[i + 1]! - rows.start[i]!
  return count
}

/** The same pattern with other values. */
export function withValues (m: Csr, val: Float64Array): Csr {
  return { start: m.start, col: m.col, val }
}

/** The matrix as [column, bigint] rows, for `EpochTerms` and tests. */
export function toFixedMatrix (m: Csr): FixedMatrix {
  const rows: FixedMatrix = []
  for (let i = 0; i < rowCount(m); i++) {
    const row: FixedRow = []
    for (let k = m.start[i]!; k < m.start[i + 1]!; k++) row.push([m.col[k]!, BigInt(m.val[k]!)])
    rows.push(row)
  }
  return rows
}

/**
 * Positions of row i's entries ordered by column: the row's own order when it is already sorted
 * (as every row this codebase writes is), else sorted into `order`.
 */
export function columnOrder (m: Csr, i: number, order: Int32Array): Int32Array {
  const from = m.start[i]!
  const to = m.start[i + 1]!
  const positions = order.subarray(0, to - from)
  let sorted = true
  for (let k = from; k < to; k++) {
    positions[k - from] = k
    if (k > from && m.col[k]! < m.col[k - 1]!) sorted = false
  }
  return sorted ? positions : positions.sort((a, b) => m.col[a]! - m.col[b]!)
}
