/** Test helper: an epoch's inputs with their weight and bond rows packed, as the ledger builds them. */
import { PackedRowsBuilder } from '../../../../src/core/yuma/packed.ts'
import type { EpochInputs, PackedRows, SparseRow } from '../../../../src/core/yuma/types.ts'

/** Rows of u16 pairs, packed; the caller's rows must hold u16 uids and values only. */
export function packRows (rows: readonly SparseRow[]): PackedRows {
  const out = new PackedRowsBuilder(rows.length, rows.reduce((sum, row) => sum + row.length, 0))
  for (const row of rows) {
    for (const [uid, value] of row) out.push(uid, value)
    out.endRow()
  }
  return out.finish()
}

export function packedInputs (inputs: EpochInputs & { weights: SparseRow[], bonds: SparseRow[] }): EpochInputs {
  return { ...inputs, weights: packRows(inputs.weights), bonds: packRows(inputs.bonds) }
}
