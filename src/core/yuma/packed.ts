/**
 * Sparse u16 rows packed into typed arrays (types.ts `PackedRows`): building them, and reading
 * them back as the shapes callers store or print.
 */
import type { PackedRows, SparseRow } from './types.ts'

/**
 * Builds packed rows one entry at a time. The caller states the number of entries up front
 * (it has the rows in hand), so the arrays are allocated once, at their final size.
 */
export class PackedRowsBuilder {
  private readonly start: Int32Array
  private readonly uids: Uint16Array
  private readonly values: Uint16Array
  private size = 0
  private row = 0

  constructor (rows: number, entries: number) {
    this.start = new Int32Array(rows + 1)
    this.uids = new Uint16Array(entries)
    this.values = new Uint16Array(entries)
  }

  /** Both arguments must already be u16 integers: a typed array would wrap anything else. */
  push (uid: number, value: number): void {
    if (this.size === this.uids.length) throw new RangeError('PackedRowsBuilder: more entries than stated')
    this.uids[this.size] = uid
    this.values[this.size] = value
    this.size++
  }

  endRow (): void {
    this.start[++this.row] = this.size
  }

  finish (): PackedRows {
    if (this.row !== this.start.length - 1 || this.size !== this.uids.length) {
      throw new RangeError('PackedRowsBuilder: fewer rows or entries than stated')
    }
    return { start: this.start, uids: this.uids, values: this.values }
  }
}

export function packedRowCount (rows: PackedRows): number {
  return rows.start.length - 1
}

/** Row i as [uid, value] pairs. */
export function packedRow (rows: PackedRows, i: number): SparseRow {
  const row: SparseRow = []
  for (let k = rows.start[i]!; k < rows.start[i + 1]!; k++) row.push([rows.uids[k]!, rows.values[k]!])
  return row
}

/** Every row as [uid, value] pairs (the vectors' `bonds_u16_sparse_after` encoding). */
export function unpackRows (rows: PackedRows): SparseRow[] {
  return Array.from({ length: packedRowCount(rows) }, (_, i) => packedRow(rows, i))
}

/** Row i as two parallel lists, or null when it is empty (how the ledger stores a bond row). */
export function packedRowLists (rows: PackedRows, i: number): { uids: number[], weights: number[] } | null {
  const from = rows.start[i]!
  const to = rows.start[i + 1]!
  if (from === to) return null
  return { uids: Array.from(rows.uids.subarray(from, to)), weights: Array.from(rows.values.subarray(from, to)) }
}
