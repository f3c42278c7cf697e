/**
 * The folding subnet: miners fold HP lattice proteins, validators check and rank the folds. The
 * energy is exact integer arithmetic, so every validator agrees on every score without re-running
 * anything; the solver (solver.ts) is what a miner's worker runs.
 */
import type { Subnet } from '../subnet.ts'
import { scoreFolds } from './score.ts'
import { decodeFoldingResult, decodeFoldingTask, encodeFoldingResult, encodeFoldingTask, newFoldingTask } from './task.ts'
import type { FoldingResult, FoldingTask } from './types.ts'

export type { FoldingDims, FoldingResult, FoldingTask } from './types.ts'

export const folding: Subnet<FoldingTask, FoldingResult> = {
  name: 'folding',
  description: 'Fold a simplified protein — a chain of water-loving (P) and water-fearing (H) beads — on a ' +
    'square or cubic grid so that as many H beads as possible touch. Miners search for the most compact fold; ' +
    'validators check the fold and count the contacts exactly. The best fold earns the most, the others ' +
    'linearly less, and copies earn nothing.',
  newTask: seed => newFoldingTask(seed),
  encodeTask: encodeFoldingTask,
  decodeTask: decodeFoldingTask,
  encodeResult: encodeFoldingResult,
  decodeResult: decodeFoldingResult,
  score: scoreFolds
}
