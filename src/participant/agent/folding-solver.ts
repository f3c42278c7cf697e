/**
 * The folding miner: the task's sequence is folded by the subnet's replica-exchange solver in
 * units of `unitMs`, handed to the governor one at a time so the person's budget holds; each unit
 * continues the task's one seeded search in a dedicated worker (folding-runs.ts), so the
 * governor's rests pause the search rather than restart it. The best fold found is the answer.
 * A unit that would start after the deadline does not run, and the answer goes back as soon as
 * the governor's owed rest (or a pause) leaves no unit time to start: on a small budget the
 * validator hears back after one unit instead of when the rest ends.
 */
import { decodeFoldingTask, encodeFoldingResult } from '../../subnets/folding/task.ts'
import type { FoldingDims } from '../../subnets/folding/types.ts'
import { LETTERS } from '../../subnets/folding/lattice.ts'
import type { NextUnitIn, Schedule, SolverProgress, TaskSolver } from './solver.ts'

/** Default length of one unit of folding work, in ms. */
export const FOLDING_UNIT_MS = 2_000

export interface FoldingUnit {
  /** The task's search: units with the same run continue it. */
  run: number
  dims: FoldingDims
  sequence: string
  maxMillis: number
  maxSteps?: number
  seed: number
  moveSet: 'pull' | 'local'
}

export interface FoldingUnitResult {
  moves: string
  energy: number
  steps: number
}

/** Runs one unit (in a worker in the page, in-process in tests). */
export type RunFoldingUnit = (unit: FoldingUnit) => Promise<FoldingUnitResult>

export interface FoldingSolverOptions {
  unitMs?: number
  /** 'local' moves only: a weak miner (tests and demos of scoring). */
  moveSet?: 'pull' | 'local'
  /** Caps each unit's Monte Carlo steps (a weak miner, or a reproducible one). */
  maxStepsPerUnit?: number
}

export function foldingSolver (schedule: Schedule, runUnit: RunFoldingUnit, options: FoldingSolverOptions = {}, nextUnitIn: NextUnitIn = () => 0): TaskSolver {
  const unitMs = options.unitMs ?? FOLDING_UNIT_MS
  let seed = (Math.random() * 0x1_0000_0000) >>> 0
  let runs = 0
  return {
    async solve (bytes, deadline, onProgress) {
      const task = decodeFoldingTask(bytes)
      const run = runs++
      const runSeed = seed++ >>> 0
      let best: FoldingUnitResult = { moves: LETTERS[0]!.repeat(task.sequence.length - 1), energy: 0, steps: 0 }
      let work = 0
      const report = (): void => {
        const p: SolverProgress = {
          summary: `${task.sequence.length}-mer on the ${task.dims === 2 ? 'square' : 'cubic'} lattice, best energy ${best.energy}`,
          work,
          best: best.energy
        }
        onProgress(p)
      }
      report()
      while (Date.now() + nextUnitIn() < deadline) {
        const ran = await schedule(async () => {
          const left = deadline - Date.now()
          if (left <= 0) return null
          return await runUnit({
            run,
            dims: task.dims,
            sequence: task.sequence,
            maxMillis: Math.min(unitMs, left),
            maxSteps: options.maxStepsPerUnit,
            seed: runSeed,
            moveSet: options.moveSet ?? 'pull'
          })
        })
        if (ran === null) break
        work += ran.steps
        if (ran.energy < best.energy) best = ran
        report()
        // A capped unit ends early; one capped run is all such a miner does.
        if (options.maxStepsPerUnit !== undefined) break
      }
      return encodeFoldingResult({ taskId: task.id, moves: best.moves })
    }
  }
}
