/**
 * The folding miner's solver against the governor's schedule: it folds in units until the
 * deadline, and answers as soon as the governor's owed rest (or a pause) leaves no time to start
 * another unit, instead of waiting the rest out.
 */
import { describe, expect, it } from 'vitest'
import { foldingSolver, type RunFoldingUnit } from '../../../../src/participant/agent/folding-solver.ts'
import { FoldingRuns } from '../../../../src/participant/agent/folding-runs.ts'
import { folding } from '../../../../src/subnets/folding/index.ts'
import { decodeFoldingResult } from '../../../../src/subnets/folding/task.ts'
import { verifyFold } from '../../../../src/subnets/folding/verify.ts'

const now = async <T>(work: () => Promise<T>): Promise<T> => await work()

/** A worker that counts the units it ran. */
function countingWorker (): { run: RunFoldingUnit, units: () => number } {
  const runs = new FoldingRuns()
  let units = 0
  return { run: async unit => { units++; return runs.advance(unit) }, units: () => units }
}

const task = folding.newTask(new Uint8Array(32).fill(7), undefined)
const bytes = folding.encodeTask(task)

describe('foldingSolver', () => {
  it('folds unit after unit until the deadline when the governor owes no rest', async () => {
    const worker = countingWorker()
    const started = Date.now()
    await foldingSolver(now, worker.run, { unitMs: 100 }, () => 0).solve(bytes, started + 600, () => {})
    expect(Date.now() - started).toBeGreaterThanOrEqual(550)
    expect(worker.units()).toBeGreaterThanOrEqual(4)
  })

  it('answers after one unit when the rest it owes ends past the deadline', async () => {
    const worker = countingWorker()
    let rest = 0
    const solver = foldingSolver(async work => { const out = await work(); rest = 30_000; return out }, worker.run, { unitMs: 100 }, () => rest)
    const started = Date.now()
    const result = decodeFoldingResult(await solver.solve(bytes, started + 10_000, () => {}))
    expect(Date.now() - started).toBeLessThan(2_000)
    expect(worker.units()).toBe(1)
    expect(result.taskId).toBe(task.id)
    expect(verifyFold(task.sequence, result.moves, task.dims).energy).toBeLessThan(0)
  })

  it('answers at once, with a valid fold, while work is paused', async () => {
    const worker = countingWorker()
    const result = decodeFoldingResult(await foldingSolver(now, worker.run, { unitMs: 100 }, () => Infinity).solve(bytes, Date.now() + 10_000, () => {}))
    expect(worker.units()).toBe(0)
    expect(result.taskId).toBe(task.id)
    expect(verifyFold(task.sequence, result.moves, task.dims).energy).toBe(0)
  })
})
