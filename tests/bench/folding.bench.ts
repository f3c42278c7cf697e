/**
 * Folding: the best energy the miner's solver (replica exchange, pull moves) reaches on the 2D
 * benchmarks S1-1 … S1-8 in a wall-clock budget, against plain Metropolis Monte Carlo with only
 * end and corner moves at one temperature, same budget, same run, same seed — and how long each
 * took to reach the best-known energy, if it did. One run per sequence and method: a single seed,
 * so a figure is a sample, not an average.
 *
 * FOLDING_BENCH_SECONDS sets the budget per sequence and method (default 10; the goal is
 * the best-known energy within 60 s). FOLDING_BENCH_SEED picks the seed (default 1). Runs in Node;
 * a run in a tab is for later.
 */
import { HP_BENCHMARKS_2D } from '../../src/subnets/folding/benchmarks.ts'
import { solveSync, type SolveOptions } from '../../src/subnets/folding/solver.ts'
import { energyOfFold } from '../../src/subnets/folding/verify.ts'
import { figure, type Figure } from './figure.ts'

const SECONDS = Number(process.env.FOLDING_BENCH_SECONDS ?? 10)
const SEED = Number(process.env.FOLDING_BENCH_SEED ?? 1)
/** The baseline's one temperature, in contact units: the best of 0.25, 0.35, 0.5 and 0.8 in 5 s trials on S1-4 and S1-6. */
const BASELINE_TEMPERATURE = 0.5
const BASELINE: SolveOptions = { moveSet: 'local', temperatures: [BASELINE_TEMPERATURE] }
const AGAINST = `Metropolis MC, end and corner moves only, T = ${BASELINE_TEMPERATURE}, same budget`
const GOAL = 'best-known energy within 60 s'

interface Run { energy: number, seconds: number, reached: boolean }

function run (sequence: string, target: number, options: SolveOptions): Run {
  const started = performance.now()
  const result = solveSync({ dims: 2, sequence }, { ...options, maxMillis: SECONDS * 1000, seed: SEED, targetEnergy: target })
  const seconds = (performance.now() - started) / 1000
  if (energyOfFold(sequence, result.moves, 2) !== result.energy) throw new Error('the solver returned a fold whose energy it misreported')
  return { energy: result.energy, seconds, reached: result.energy <= target }
}

export async function foldingFigures (): Promise<Figure[]> {
  if (!(SECONDS > 0)) throw new Error('FOLDING_BENCH_SECONDS must be a positive number of seconds.')
  const figures: Figure[] = []
  let reached = 0
  let baselineReached = 0
  for (const b of HP_BENCHMARKS_2D.slice(0, 8)) {
    const ours = run(b.sequence, b.bestKnownEnergy, {})
    const base = run(b.sequence, b.bestKnownEnergy, BASELINE)
    if (ours.reached) reached++
    if (base.reached) baselineReached++
    const label = `folding ${b.id} (n=${b.sequence.length}, best-known ${b.bestKnownEnergy})`
    figures.push(figure(`${label}: best energy in ${SECONDS} s`, ours.energy, base.energy, 'energy', AGAINST, GOAL))
    figures.push(figure(`${label}: seconds to best-known${ours.reached ? '' : ' (not reached)'}${base.reached ? '' : ' (baseline: not reached)'}`,
      ours.seconds, base.seconds, 's', AGAINST, GOAL))
  }
  figures.push(figure(`folding: S1-1…S1-8 at best-known within ${SECONDS} s`, reached, Math.max(baselineReached, 1e-9), 'sequences of 8', `${AGAINST} (baseline reached ${baselineReached})`, GOAL))
  return figures
}
