import { describe, expect, it } from 'vitest'
import type { FoldingUnit } from '../../../../src/participant/agent/folding-solver.ts'
import { FoldingRuns } from '../../../../src/participant/agent/folding-runs.ts'
import { FoldingRun } from '../../../../src/subnets/folding/solver.ts'
import { verifyFold } from '../../../../src/subnets/folding/verify.ts'

const S1_5 = 'PPHPPHHPPHHPPPPPHHHHHHHHHHPPPPPPHHPPHHPPHPPHHHHH'
const unit = (run: number, maxSteps: number): FoldingUnit => ({ run, dims: 2, sequence: S1_5, maxMillis: 60_000, maxSteps, seed: 7, moveSet: 'pull' })

describe('the folding runs a miner\'s worker keeps', () => {
  it('continue one search across units: four units end where one run of the same steps does', () => {
    const runs = new FoldingRuns()
    let steps = 0
    let last = runs.advance(unit(1, 200_000))
    steps += last.steps
    for (let i = 0; i < 3; i++) {
      last = runs.advance(unit(1, 200_000))
      steps += last.steps
    }
    const whole = new FoldingRun({ dims: 2, sequence: S1_5 }, { seed: 7, moveSet: 'pull' }).advance({ maxSteps: steps })
    expect(last.energy).toBe(whole.energy)
    expect(verifyFold(S1_5, last.moves, 2).energy).toBe(last.energy)
    expect(last.steps).toBeGreaterThan(0)
  })

  it('keep different tasks\' searches apart', () => {
    const runs = new FoldingRuns()
    const a = runs.advance(unit(1, 100_000))
    const b = runs.advance({ ...unit(2, 100_000), sequence: 'HPHPPHHPHPPHPHHPPHPH' })
    expect(b.moves.length).toBe(19)
    expect(runs.advance(unit(1, 100_000)).moves.length).toBe(a.moves.length)
  })
})
