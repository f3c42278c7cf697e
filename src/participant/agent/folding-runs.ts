/**
 * The folding searches a miner's worker keeps between units: one replica-exchange run per task,
 * advanced a unit at a time, so a long search goes on across the governor's rests instead of
 * starting over each unit (longer chains need tens of seconds of one continuous search). A
 * miner holds at most MAX_TASKS_IN_FLIGHT tasks, so the oldest runs beyond that are dropped.
 */
import { FoldingRun } from '../../subnets/folding/solver.ts'
import type { FoldingUnit, FoldingUnitResult } from './folding-solver.ts'

/** Runs kept at once: a miner works on at most a few tasks at a time. */
const MAX_RUNS = 8

export class FoldingRuns {
  readonly #runs = new Map<number, FoldingRun>()

  /** Advances the unit's run by one unit (starting it on its first unit); steps are this unit's. */
  advance (unit: FoldingUnit): FoldingUnitResult {
    let run = this.#runs.get(unit.run)
    if (run === undefined) {
      run = new FoldingRun({ dims: unit.dims, sequence: unit.sequence }, { seed: unit.seed, moveSet: unit.moveSet })
      this.#runs.set(unit.run, run)
      for (const old of this.#runs.keys()) {
        if (this.#runs.size <= MAX_RUNS) break
        this.#runs.delete(old)
      }
    }
    const before = run.steps
    const r = run.advance({ maxMillis: unit.maxMillis, maxSteps: unit.maxSteps })
    return { moves: r.moves, energy: r.energy, steps: r.steps - before }
  }
}
