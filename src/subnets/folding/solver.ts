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
 * `solveSync` runs to its budget in one go.
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

export interface SolveOptions {
  /** Stop after this many Monte Carlo steps (summed over replicas). */
  maxSteps?: number
  /** Stop after this much wall-clock time, in ms. At least one budget must be given. */
  maxMillis?: number
  /** Stop as soon as a fold this good is found (e.g. a known optimum). */
  targetEnergy?: number
  /** Seed of the run's PRNG (an unsigned 32-bit integer); default 1. */
  seed?: number
  signal?: AbortSignal
  /** Called when the best fold improves and every PROGRESS_STEPS steps. */
  onProgress?: (progress: SolveProgress) => void
  /** 'pull' (default): pull moves. 'local': only end and corner moves — a weak miner, and the benchmark's baseline. */
  moveSet?: 'pull' | 'local'
  /** Temperature ladder, coldest first (in units of one contact); one entry means plain Metropolis. */
  temperatures?: readonly number[]
}

export interface SolveResult {
  moves: string
  energy: number
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

/** A replica-exchange run that advances one round at a time. */
class Run {
  readonly replicas: Chain[]
  readonly tables: Float64Array[]
  readonly rng: Rng
  readonly localOnly: boolean
  steps = 0
  bestEnergy = 0
  bestSites: Int32Array
  improved = false
  parity = 0

  constructor (readonly task: Task, readonly temperatures: readonly number[], seed: number, localOnly: boolean) {
    if (temperatures.length === 0 || temperatures.some(t => !(t > 0))) throw new RangeError('Temperatures must be positive.')
    this.replicas = temperatures.map(() => new Chain(task.sequence, task.dims))
    this.tables = temperatures.map(acceptanceTable)
    this.rng = sfc32(seed)
    this.localOnly = localOnly
    this.bestSites = this.replicas[0]!.sites.slice()
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

function start (task: Task, options: SolveOptions): { run: Run, stop: (started: number) => SolveResult['stopped'] | undefined, target: number } {
  const { maxSteps, maxMillis } = options
  if (maxSteps === undefined && maxMillis === undefined) throw new RangeError('Give the solver a budget: maxSteps or maxMillis.')
  const temperatures = options.temperatures ?? DEFAULT_TEMPERATURES
  const run = new Run(task, temperatures, options.seed ?? 1, options.moveSet === 'local')
  const target = options.targetEnergy ?? -Infinity
  const stop = (started: number): SolveResult['stopped'] | undefined => {
    if (run.bestEnergy <= target) return 'target'
    if (options.signal?.aborted === true) return 'aborted'
    if (maxSteps !== undefined && run.steps >= maxSteps) return 'steps'
    if (maxMillis !== undefined && performance.now() - started >= maxMillis) return 'time'
    return undefined
  }
  return { run, stop, target }
}

/** Steps per replica in the next round: a full round, or what is left of the step budget. */
function roundLength (run: Run, maxSteps: number | undefined): number {
  if (maxSteps === undefined) return STEPS_PER_EXCHANGE
  return Math.min(STEPS_PER_EXCHANGE, Math.ceil((maxSteps - run.steps) / run.replicas.length))
}

function advance (run: Run, options: SolveOptions, target: number, lastReport: { steps: number }): void {
  run.round(roundLength(run, options.maxSteps), target)
  if (options.onProgress !== undefined && (run.improved || run.steps - lastReport.steps >= PROGRESS_STEPS)) {
    run.improved = false
    lastReport.steps = run.steps
    options.onProgress(run.progress())
  }
}

function finish (run: Run, stopped: SolveResult['stopped']): SolveResult {
  return { moves: run.bestMoves(), energy: run.bestEnergy, steps: run.steps, stopped }
}

/** Folds `task` within the budget; returns the best fold found. */
export function solveSync (task: Task, options: SolveOptions): SolveResult {
  const started = performance.now()
  const { run, stop, target } = start(task, options)
  const lastReport = { steps: 0 }
  for (;;) {
    const stopped = stop(started)
    if (stopped !== undefined) return finish(run, stopped)
    advance(run, options, target, lastReport)
  }
}

/** As solveSync, but yields to the event loop every YIELD_MILLIS so an abort can arrive. */
export async function solve (task: Task, options: SolveOptions): Promise<SolveResult> {
  const started = performance.now()
  const { run, stop, target } = start(task, options)
  const lastReport = { steps: 0 }
  let slice = performance.now()
  for (;;) {
    const stopped = stop(started)
    if (stopped !== undefined) return finish(run, stopped)
    advance(run, options, target, lastReport)
    if (performance.now() - slice >= YIELD_MILLIS) {
      await new Promise(resolve => setTimeout(resolve, 0))
      slice = performance.now()
    }
  }
}
