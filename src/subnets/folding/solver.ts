/**
 * The miner's solver: replica-exchange Monte Carlo with pull moves (the combination Thachuk,
 * Shmygelska & Hoos, BMC Bioinformatics 8:342, 2007, found best on the HP benchmarks in 2D and
 * 3D). Several copies of the chain walk at a ladder of temperatures; every few hundred steps
 * neighbouring temperatures swap conformations by the Metropolis rule, so the cold copies refine
 * what the hot ones find without getting stuck.
 *
 * Pure TypeScript with no DOM, so it runs in a worker and in Node. A run is reproducible: the
 * same seed and step budget give the same fold (a time budget stops at a machine-dependent step).
 * `solve` yields to the event loop between rounds so a worker can take an abort or a message;
 * `solveSync` runs to its budget in one go. A `FoldingRun` keeps its replicas between calls, so a
 * miner can fold in short units (to let a resource governor rest the device) without restarting
 * the search each time: `advance` picks up where the last call stopped.
 */
import { acceptanceTable, Chain } from './chain.ts'
import { directionBetween, LETTERS } from './lattice.ts'
import { sfc32, type Rng } from './rng.ts'
import type { FoldingDims } from './types.ts'

export interface SolveProgress {
  steps: number
  bestEnergy: number
  bestMoves: string
}

/** How a run searches; fixed for its life. */
export interface RunOptions {
  /** Seed of the run's PRNG (an unsigned 32-bit integer); default 1. */
  seed?: number
  /** 'pull' (default): pull moves. 'local': only end and corner moves — a weak miner, and the benchmark's baseline. */
  moveSet?: 'pull' | 'local'
  /** Temperature ladder, coldest first (in units of one contact); one entry means plain Metropolis. */
  temperatures?: readonly number[]
}

/** How long one call searches. At least one of maxSteps and maxMillis must be given. */
export interface Budget {
  /** Stop after this many more Monte Carlo steps (summed over replicas). */
  maxSteps?: number
  /** Stop after this much more wall-clock time, in ms. */
  maxMillis?: number
  /** Stop as soon as a fold this good is found (e.g. a known optimum). */
  targetEnergy?: number
  signal?: AbortSignal
  /** Called when the best fold improves and every PROGRESS_STEPS steps. */
  onProgress?: (progress: SolveProgress) => void
}

export type SolveOptions = RunOptions & Budget

export interface SolveResult {
  /** The best fold found so far and its energy. */
  moves: string
  energy: number
  /** Steps taken since the run started (over all calls). */
  steps: number
  stopped: 'steps' | 'time' | 'target' | 'aborted'
}

/** Default ladder: geometric from cold (keeps compact folds) to hot (unfolds freely). */
export const DEFAULT_TEMPERATURES: readonly number[] = ladder(0.18, 1.6, 8)
/** Steps each replica takes between two rounds of exchange attempts (Thachuk et al. use 500). */
export const STEPS_PER_EXCHANGE = 500
/** Steps between two progress reports when nothing improves. */
const PROGRESS_STEPS = 1 << 20
/** How long `solve` runs before yielding to the event loop, in ms (a worker clamps a nested timeout to ≥ 4 ms, so ≤ 4 % overhead). */
const YIELD_MILLIS = 100

export function ladder (coldest: number, hottest: number, count: number): number[] {
  if (count === 1) return [coldest]
  return Array.from({ length: count }, (_, k) => coldest * (hottest / coldest) ** (k / (count - 1)))
}

interface Task {
  dims: FoldingDims
  sequence: string
}

/** One call's limits, checked between rounds. */
class Call {
  readonly started = performance.now()
  readonly firstStep: number
  readonly target: number
  lastReport: number

  constructor (readonly run: FoldingRun, readonly budget: Budget) {
    if (budget.maxSteps === undefined && budget.maxMillis === undefined) throw new RangeError('Give the solver a budget: maxSteps or maxMillis.')
    this.firstStep = run.steps
    this.lastReport = run.steps
    this.target = budget.targetEnergy ?? -Infinity
  }

  stopped (): SolveResult['stopped'] | undefined {
    const { run, budget } = this
    if (run.bestEnergy <= this.target) return 'target'
    if (budget.signal?.aborted === true) return 'aborted'
    if (budget.maxSteps !== undefined && run.steps - this.firstStep >= budget.maxSteps) return 'steps'
    if (budget.maxMillis !== undefined && performance.now() - this.started >= budget.maxMillis) return 'time'
    return undefined
  }

  /** One round: full, or what is left of the step budget; then a progress report if due. */
  round (): void {
    const { run, budget } = this
    const left = budget.maxSteps === undefined ? Infinity : this.firstStep + budget.maxSteps - run.steps
    run.round(Math.min(STEPS_PER_EXCHANGE, Math.ceil(left / run.replicaCount)), this.target)
    if (budget.onProgress !== undefined && (run.improved || run.steps - this.lastReport >= PROGRESS_STEPS)) {
      run.improved = false
      this.lastReport = run.steps
      budget.onProgress(run.progress())
    }
  }

  result (stopped: SolveResult['stopped']): SolveResult {
    return { moves: this.run.bestMoves(), energy: this.run.bestEnergy, steps: this.run.steps, stopped }
  }
}

/** A replica-exchange search that can be advanced in as many calls as a miner likes. */
export class FoldingRun {
  private readonly replicas: Chain[]
  private readonly tables: Float64Array[]
  private readonly temperatures: readonly number[]
  private readonly rng: Rng
  private readonly localOnly: boolean
  private readonly bestSites: Int32Array
  private parity = 0
  steps = 0
  bestEnergy = 0
  improved = false

  constructor (readonly task: Task, options: RunOptions = {}) {
    const temperatures = options.temperatures ?? DEFAULT_TEMPERATURES
    if (temperatures.length === 0 || temperatures.some(t => !(t > 0))) throw new RangeError('Temperatures must be positive.')
    this.temperatures = temperatures
    this.replicas = temperatures.map(() => new Chain(task.sequence, task.dims))
    this.tables = temperatures.map(acceptanceTable)
    this.rng = sfc32(options.seed ?? 1)
    this.localOnly = options.moveSet === 'local'
    this.bestSites = this.replicas[0]!.sites.slice()
  }

  get replicaCount (): number {
    return this.replicas.length
  }

  /** Searches within `budget`; returns the best fold found since the run started. */
  advance (budget: Budget): SolveResult {
    const call = new Call(this, budget)
    for (;;) {
      const stopped = call.stopped()
      if (stopped !== undefined) return call.result(stopped)
      call.round()
    }
  }

  /** As advance, but yields to the event loop every YIELD_MILLIS so an abort or a message can arrive. */
  async advanceAsync (budget: Budget): Promise<SolveResult> {
    const call = new Call(this, budget)
    let slice = performance.now()
    for (;;) {
      const stopped = call.stopped()
      if (stopped !== undefined) return call.result(stopped)
      call.round()
      if (performance.now() - slice >= YIELD_MILLIS) {
        await new Promise(resolve => setTimeout(resolve, 0))
        slice = performance.now()
      }
    }
  }

  /** Each replica takes up to `limit` steps (fewer if `target` is reached), then neighbours try to swap. */
  round (limit: number, target: number): void {
    const { rng, localOnly } = this
    for (let k = 0; k < this.replicas.length; k++) {
      const chain = this.replicas[k]!
      const table = this.tables[k]!
      const temperature = this.temperatures[k]!
      for (let s = 0; s < limit; s++) {
        if (chain.step(rng, table, temperature, localOnly) && chain.energy < this.bestEnergy) {
          this.bestEnergy = chain.energy
          this.bestSites.set(chain.sites)
          this.improved = true
          if (this.bestEnergy <= target) {
            this.steps += s + 1
            return
          }
        }
      }
      this.steps += limit
    }
    // Alternate even and odd pairs so every pair is tried every other round.
    for (let k = this.parity; k + 1 < this.replicas.length; k += 2) {
      const a = this.replicas[k]!
      const b = this.replicas[k + 1]!
      const delta = (1 / this.temperatures[k]! - 1 / this.temperatures[k + 1]!) * (a.energy - b.energy)
      if (delta >= 0 || rng() < Math.exp(delta) * 4294967296) {
        this.replicas[k] = b
        this.replicas[k + 1] = a
      }
    }
    this.parity ^= 1
  }

  progress (): SolveProgress {
    return { steps: this.steps, bestEnergy: this.bestEnergy, bestMoves: this.bestMoves() }
  }

  bestMoves (): string {
    let moves = ''
    for (let i = 1; i < this.bestSites.length; i++) moves += LETTERS[directionBetween(this.bestSites[i - 1]!, this.bestSites[i]!, this.task.dims)]
    return moves
  }
}

/** Folds `task` within the budget; returns the best fold found. */
export function solveSync (task: Task, options: SolveOptions): SolveResult {
  return new FoldingRun(task, options).advance(options)
}

/** As solveSync, but yields to the event loop every YIELD_MILLIS so an abort can arrive. */
export async function solve (task: Task, options: SolveOptions): Promise<SolveResult> {
  return await new FoldingRun(task, options).advanceAsync(options)
}
