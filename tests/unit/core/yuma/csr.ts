/** Test helpers: fixed-point rows and vectors (as subtensor's tests write them) to and from the epoch's typed arrays. */
import type { Fixed } from '../../../../src/core/yuma/fixed.ts'
import { CsrBuilder, toFixedMatrix, type Csr, type FixedMatrix } from '../../../../src/core/yuma/sparse.ts'
import { Workspace } from '../../../../src/core/yuma/workspace.ts'

/** [column, bigint] rows as a Csr (every value must be below 2^53). */
export function csrOf (rows: FixedMatrix): Csr {
  const builder = new CsrBuilder(rows.length, rows.reduce((total, row) => total + row.length, 0), new Workspace())
  for (const row of rows) {
    for (const [j, v] of row) builder.push(j, Number(v))
    builder.endRow()
  }
  return builder.finish()
}

export const rowsOf = toFixedMatrix

export const doubles = (values: readonly Fixed[]): Float64Array => Float64Array.from(values, v => Number(v))

export const bigints = (values: Float64Array): Fixed[] => Array.from(values, v => BigInt(v))
