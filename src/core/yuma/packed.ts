/** Reading packed u16 rows (types.ts `PackedRows`) back as the shapes callers store or print. */
import type { PackedRows, SparseRow } from './types.ts'

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
