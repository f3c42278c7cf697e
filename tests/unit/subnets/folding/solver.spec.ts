import { describe, expect, it } from 'vitest'
import { HP_BENCHMARKS_2D } from '../../../../src/subnets/folding/benchmarks.ts'
import { FoldingRun, solve, solveSync, type SolveProgress } from '../../../../src/subnets/folding/solver.ts'
import { newFoldingTask } from '../../../../src/subnets/folding/task.ts'
import { utf8ToBytes } from '../../../../src/core/hash.ts'
import { energyOfFold } from '../../../../src/subnets/folding/verify.ts'

const S1_1 = HP_BENCHMARKS_2D[0]!
const s11 = { dims: 2 as const, sequence: S1_1.sequence }

describe('solver', () => {
  it('reaches the optimum −9 on S1-1 within 5 million steps, for several seeds', () => {
    for (const seed of [1, 2, 3, 4]) {
      const result = solveSync(s11, { maxSteps: 5_000_000, seed, targetEnergy: S1_1.bestKnownEnergy })
      expect(result.energy).toBe(-9)
      expect(result.stopped).toBe('target')
      expect(energyOfFold(S1_1.sequence, result.moves, 2)).toBe(-9)
    }
  })

  it('gives the same fold for the same seed and step budget', () => {
    const a = solveSync(s11, { maxSteps: 200_000, seed: 42 })
    const b = solveSync(s11, { maxSteps: 200_000, seed: 42 })
    expect(b).toStrictEqual(a)
    expect(a.steps).toBe(200_000)
    expect(a.stopped).toBe('steps')
    expect(energyOfFold(S1_1.sequence, a.moves, 2)).toBe(a.energy)
  })

  it('folds a generated 3D task into a valid fold with contacts', () => {
    const task = newFoldingTask(utf8ToBytes('solver 3d'), { dims: 3, minLength: 48, maxLength: 48 })
    const result = solveSync(task, { maxSteps: 2_000_000, seed: 7 })
    expect(result.moves).toHaveLength(47)
    expect(result.moves).toMatch(/[FB]/)
    expect(energyOfFold(task.sequence, result.moves, 3)).toBe(result.energy)
    expect(result.energy).toBeLessThan(-10)
  })

  it('finds valid folds with the local move set (the weak baseline), though not better ones', () => {
    const local = solveSync(s11, { maxSteps: 300_000, seed: 3, moveSet: 'local', temperatures: [0.5] })
    expect(energyOfFold(S1_1.sequence, local.moves, 2)).toBe(local.energy)
    expect(local.energy).toBeLessThan(0)
  })

  it('reports progress with improving energies and valid best folds', async () => {
    const seen: SolveProgress[] = []
    const result = await solve(s11, { maxSteps: 400_000, seed: 5, onProgress: p => seen.push(p) })
    expect(seen.length).toBeGreaterThan(0)
    for (let i = 1; i < seen.length; i++) expect(seen[i]!.bestEnergy).toBeLessThanOrEqual(seen[i - 1]!.bestEnergy)
    for (const p of seen) expect(energyOfFold(S1_1.sequence, p.bestMoves, 2)).toBe(p.bestEnergy)
    expect(seen[seen.length - 1]!.bestEnergy).toBe(result.energy)
  })

  it('stops when its signal is aborted', async () => {
    const controller = new AbortController()
    controller.abort()
    const result = await solve(s11, { maxSteps: 1e12, signal: controller.signal })
    expect(result.stopped).toBe('aborted')
    const later = new AbortController()
    setTimeout(() => later.abort(), 100)
    const running = await solve({ dims: 2, sequence: HP_BENCHMARKS_2D[7]!.sequence }, { maxSteps: 1e12, signal: later.signal })
    expect(running.stopped).toBe('aborted')
    expect(running.steps).toBeGreaterThan(0)
  })

  it('continues a run across calls: split into whole rounds, it gives the fold one long call gives', () => {
    const whole = solveSync(s11, { maxSteps: 200_000, seed: 42 })
    const run = new FoldingRun(s11, { seed: 42 })
    const first = run.advance({ maxSteps: 100_000 })
    expect(first.steps).toBe(100_000)
    const second = run.advance({ maxSteps: 100_000 })
    expect(second).toStrictEqual(whole)
    expect(second.energy).toBeLessThanOrEqual(first.energy)
  })

  it('reaches −9 on S1-1 in short units of one run, never losing its best fold', async () => {
    const run = new FoldingRun(s11, { seed: 8 })
    let best = 0
    for (let unit = 0; unit < 200 && best > -9; unit++) {
      const result = unit % 2 === 0 ? run.advance({ maxSteps: 25_000, targetEnergy: -9 }) : await run.advanceAsync({ maxSteps: 25_000, targetEnergy: -9 })
      expect(result.energy).toBeLessThanOrEqual(best)
      expect(energyOfFold(S1_1.sequence, result.moves, 2)).toBe(result.energy)
      best = result.energy
    }
    expect(best).toBe(-9)
  })

  it('stops at a time budget', () => {
    const result = solveSync(s11, { maxMillis: 50, seed: 1, targetEnergy: -100 })
    expect(result.stopped).toBe('time')
  })

  it('asks for a budget and positive temperatures', () => {
    expect(() => solveSync(s11, {})).toThrow(RangeError)
    expect(() => solveSync(s11, { maxSteps: 10, temperatures: [0.5, 0] })).toThrow(RangeError)
  })
})
