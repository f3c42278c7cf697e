/**
 * What a miner runs for one subnet: a task's bytes in, the result's bytes out, within a time
 * budget, reporting progress as it goes. Each subnet's solver decides how it splits the work into
 * units for the resource governor.
 */

export interface SolverProgress {
  /** One short line for the page: what is being solved and how well so far. */
  summary: string
  /** Work done so far, in the solver's own unit (Monte Carlo steps for folding). */
  work: number
  /** The best result's quality so far, in the subnet's own measure (energy for folding). */
  best?: number
}

export interface TaskSolver {
  /** Works on `task` until `deadline` (ms since the epoch, `Date.now()` clock); never throws on a good task. */
  solve (task: Uint8Array, deadline: number, onProgress: (progress: SolverProgress) => void): Promise<Uint8Array>
}

/** Runs one unit of work when the person's budget allows (the governor's `schedule`). */
export type Schedule = <T>(work: () => Promise<T>) => Promise<T>

/** Milliseconds before the governor could start another unit (`Governor.nextUnitInMs`); Infinity while work is paused. */
export type NextUnitIn = () => number
