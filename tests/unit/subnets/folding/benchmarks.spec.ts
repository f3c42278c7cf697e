import { describe, expect, it } from 'vitest'
import { HP_BENCHMARKS_2D, HP_SHORT_2D, type HpBenchmark } from '../../../../src/subnets/folding/benchmarks.ts'
import { energyOfFold } from '../../../../src/subnets/folding/verify.ts'
import { exhaustiveMinimum2D } from '../../../helpers/hp-exhaustive.ts'

/** Folds reaching the best-known energy of S1-1 … S1-8, found by this project's solver. */
const KNOWN_FOLDS: Record<string, string> = {
  'S1-1': 'RDDLULDLDLUURULURRD',
  'S1-2': 'RRDLDLULLLURRUURURDRDLL',
  'S1-3': 'UULURULURRDRURDDLDRDLLUU',
  'S1-4': 'URRRDRURRURULLDLULDLLURUUURDDRURDRR',
  'S1-5': 'RULURULURUUURDRDLDDDDRURDDDDRUUUURULURULULDDLDR',
  'S1-6': 'RDLLUURURDRDDRDLLLDRRDDRRULURUURUULDLUULURURRDDLU',
  'S1-7': 'ULDDDLUULDDDLDLLURURULLDLDLULUURDRURRRURRULUULDDLDLLLURRULL',
  'S1-8': 'LLDRRRURDRRULULULDLULDLULDLDRDLDRDLDRDRURDRURDRURURULLDLULDLLUR'
}

const byId = (id: string): HpBenchmark => [...HP_BENCHMARKS_2D, ...HP_SHORT_2D].find(b => b.id === id)!

function proveMinimum (benchmark: HpBenchmark): void {
  const { energy, moves, nodes } = exhaustiveMinimum2D(benchmark.sequence)
  expect(energy).toBe(benchmark.bestKnownEnergy)
  expect(energyOfFold(benchmark.sequence, moves, 2)).toBe(energy)
  expect(nodes).toBeGreaterThan(0)
}

describe('the 2D HP benchmark table', () => {
  it('holds sequences of the published lengths, H and P only', () => {
    expect(HP_BENCHMARKS_2D.map(b => b.sequence.length)).toStrictEqual([20, 24, 25, 36, 48, 50, 60, 64, 85, 100, 100])
    expect(HP_SHORT_2D.map(b => b.sequence.length)).toStrictEqual([18, 18, 18, 20])
    for (const b of [...HP_BENCHMARKS_2D, ...HP_SHORT_2D]) expect(b.sequence).toMatch(/^[HP]+$/)
  })

  it('the verifier gives each known fold of S1-1 … S1-8 exactly the best-known energy', () => {
    for (const [id, moves] of Object.entries(KNOWN_FOLDS)) {
      expect(energyOfFold(byId(id).sequence, moves, 2), id).toBe(byId(id).bestKnownEnergy)
    }
  })

  it('proves the minima of the four short 18- and 20-mers by exhaustive search', () => {
    for (const b of HP_SHORT_2D) proveMinimum(b)
  })

  it('proves the minima of S1-1 (−9), S1-2 (−9) and S1-3 (−8) by exhaustive search', () => {
    for (const id of ['S1-1', 'S1-2', 'S1-3']) proveMinimum(byId(id))
  })

  // ~45 M search nodes, about 2 s in Node on an idle core.
  it('proves the minimum of S1-4 (n = 36, −14) by exhaustive search (slower)', () => {
    proveMinimum(byId('S1-4'))
  })
})
