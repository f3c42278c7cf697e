/**
 * Folding: the best energy the miner's solver (replica exchange, pull moves) reaches on the 2D
 * benchmarks S1-1 … S1-8 in a wall-clock budget, against plain Metropolis Monte Carlo with only
 * end and corner moves at one temperature, same budget, same run, same seed — and how long each
 * took to reach the best-known energy, if it did. Then the same solver in a headless Chromium tab
 * against its Node run above (same seed and code, so the same trajectory: the ratio is the tab's
 * speed), and one generated 3D 48-mer against the baseline. One run per sequence and method: a
 * single seed, so a figure is a sample, not an average.
 *
 * FOLDING_BENCH_SECONDS sets the budget per sequence and method (default 10; the issue's goal is
 * the best-known energy within 60 s in one tab). FOLDING_BENCH_SEED picks the seed (default 1).
 */
import type { Page } from 'playwright-core'
import { utf8ToBytes } from '../../src/core/hash.ts'
import { HP_BENCHMARKS_2D } from '../../src/subnets/folding/benchmarks.ts'
import { solveSync, type SolveOptions } from '../../src/subnets/folding/solver.ts'
import { newFoldingTask } from '../../src/subnets/folding/task.ts'
import type { FoldingDims } from '../../src/subnets/folding/types.ts'
import { energyOfFold } from '../../src/subnets/folding/verify.ts'
import { fold, type PageSolve } from '../browser/fixtures/folding-page.ts'
import { launchBrowser } from '../helpers/browser.ts'
import { bundleForPage } from '../helpers/bundle.ts'
import { figure, type Figure } from './figure.ts'

const SECONDS = Number(process.env.FOLDING_BENCH_SECONDS ?? 10)
const SEED = Number(process.env.FOLDING_BENCH_SEED ?? 1)
/** The baseline's one temperature, in contact units: the best of 0.25, 0.35, 0.5 and 0.8 in 5 s trials on S1-4 and S1-6. */
const BASELINE_TEMPERATURE = 0.5
const BASELINE: SolveOptions = { moveSet: 'local', temperatures: [BASELINE_TEMPERATURE] }
const AGAINST = `Metropolis MC, end and corner moves only, T = ${BASELINE_TEMPERATURE}, same budget`
const GOAL = 'best-known energy within 60 s'
/** Unlimited steps: the wall-clock budget or the target stops a run. */
const NO_STEP_LIMIT = Number.MAX_SAFE_INTEGER

interface Run { energy: number, seconds: number, reached: boolean }

function run (dims: FoldingDims, sequence: string, target: number, options: SolveOptions): Run {
  const started = performance.now()
  const result = solveSync({ dims, sequence }, { ...options, maxMillis: SECONDS * 1000, seed: SEED, targetEnergy: target })
  const seconds = (performance.now() - started) / 1000
  if (energyOfFold(sequence, result.moves, dims) !== result.energy) throw new Error('the solver returned a fold whose energy it misreported')
  return { energy: result.energy, seconds, reached: result.energy <= target }
}

function foldInPage (page: Page, ...args: Parameters<typeof fold>): Promise<PageSolve> {
  return page.evaluate(a => (globalThis as unknown as { foldingPage: { fold: typeof fold } }).foldingPage.fold(...a), args)
}

export async function foldingFigures (): Promise<Figure[]> {
  if (!(SECONDS > 0)) throw new Error('FOLDING_BENCH_SECONDS must be a positive number of seconds.')
  const figures: Figure[] = []
  const benchmarks = HP_BENCHMARKS_2D.slice(0, 8)
  const inNode: Run[] = []
  let baselineReached = 0
  for (const b of benchmarks) {
    const ours = run(2, b.sequence, b.bestKnownEnergy, {})
    const base = run(2, b.sequence, b.bestKnownEnergy, BASELINE)
    inNode.push(ours)
    if (base.reached) baselineReached++
    const label = `folding ${b.id} (n=${b.sequence.length}, best-known ${b.bestKnownEnergy})`
    figures.push(figure(`${label}: best energy in ${SECONDS} s`, ours.energy, base.energy, 'energy', AGAINST, GOAL))
    figures.push(figure(`${label}: seconds to best-known${ours.reached ? '' : ' (not reached)'}${base.reached ? '' : ' (baseline: not reached)'}`,
      ours.seconds, base.seconds, 's', AGAINST, GOAL))
  }
  const reached = inNode.filter(r => r.reached).length
  figures.push(figure(`folding: S1-1…S1-8 at best-known within ${SECONDS} s, Node`, reached, Math.max(baselineReached, 1e-9), 'sequences of 8', `${AGAINST} (baseline reached ${baselineReached})`, GOAL))

  const browser = await launchBrowser()
  try {
    const page = await browser.context.newPage()
    await page.goto('about:blank')
    await page.addScriptTag({ content: await bundleForPage('tests/browser/fixtures/folding-page.ts', 'foldingPage') })
    let tabReached = 0
    for (const [k, b] of benchmarks.entries()) {
      const tab = await foldInPage(page, 2, b.sequence, NO_STEP_LIMIT, SECONDS * 1000, SEED, b.bestKnownEnergy)
      if (tab.verifiedEnergy !== tab.energy) throw new Error('the solver in the tab returned a fold whose energy it misreported')
      const ok = tab.energy <= b.bestKnownEnergy
      if (ok) tabReached++
      figures.push(figure(`folding ${b.id} in a Chromium tab: seconds to best-known${ok ? '' : ` (not reached; ${tab.energy})`}`,
        tab.millis / 1000, inNode[k]!.seconds, 's', 'the same solver, seed and budget in Node, same run', GOAL))
    }
    figures.push(figure(`folding: S1-1…S1-8 at best-known within ${SECONDS} s, Chromium tab`, tabReached, reached, 'sequences of 8', 'the same solver in Node, same run', GOAL))
  } finally {
    await browser.close()
  }

  const task3d = newFoldingTask(utf8ToBytes('bench/folding/3d'), { dims: 3, minLength: 48, maxLength: 48 })
  const ours3d = run(3, task3d.sequence, -Infinity, {})
  const base3d = run(3, task3d.sequence, -Infinity, BASELINE)
  figures.push(figure(`folding 3D, generated 48-mer: best energy in ${SECONDS} s`, ours3d.energy, base3d.energy, 'energy', AGAINST))
  return figures
}
