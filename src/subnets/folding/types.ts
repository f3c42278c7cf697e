/** The folding subnet's task and result, shared by the validator's side and the solver. */

/** 2 for the square lattice, 3 for the cubic one. */
export type FoldingDims = 2 | 3

/** Fold `sequence` (letters 'H' and 'P') on the lattice with `dims` dimensions. */
export interface FoldingTask {
  dims: FoldingDims
  sequence: string
  /** Hex id derived from the task's seed; a result names the task it answers. */
  id: string
}

/** A fold of the task's sequence as an absolute move string (see lattice.ts). */
export interface FoldingResult {
  taskId: string
  moves: string
}
