import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { acceptanceTable, Chain } from '../../../../src/subnets/folding/chain.ts'
import { directionBetween, LETTERS } from '../../../../src/subnets/folding/lattice.ts'
import { sfc32 } from '../../../../src/subnets/folding/rng.ts'
import type { FoldingDims } from '../../../../src/subnets/folding/types.ts'
import { energyOfFold } from '../../../../src/subnets/folding/verify.ts'

function movesOf (chain: Chain, dims: FoldingDims): string {
  let moves = ''
  for (let i = 1; i < chain.n; i++) {
    const d = directionBetween(chain.sites[i - 1]!, chain.sites[i]!, dims)
    expect(d).toBeGreaterThanOrEqual(0)
    moves += LETTERS[d]
  }
  return moves
}

const sequenceArbitrary = fc.array(fc.constantFrom('H', 'P'), { minLength: 4, maxLength: 40 }).map(r => r.join(''))

describe('Chain', () => {
  it('stays a self-avoiding walk whose incremental energy is the verifier\'s, under pull moves and end pulls', () => {
    fc.assert(fc.property(sequenceArbitrary, fc.constantFrom<FoldingDims>(2, 3), fc.integer(), fc.constantFrom(0.2, 0.6, 3), (sequence, dims, seed, temperature) => {
      const chain = new Chain(sequence, dims)
      const rng = sfc32(seed)
      const table = acceptanceTable(temperature)
      let moved = 0
      for (let s = 0; s < 3000; s++) if (chain.step(rng, table, temperature, false)) moved++
      expect(moved).toBeGreaterThan(0)
      expect(chain.energy).toBe(energyOfFold(sequence, movesOf(chain, dims), dims))
      for (let i = 0; i < chain.n; i++) expect(chain.at(chain.sites[i]!)).toBe(i)
    }), { numRuns: 150 })
  })

  it('keeps the same invariants with only end and corner moves', () => {
    fc.assert(fc.property(sequenceArbitrary, fc.constantFrom<FoldingDims>(2, 3), fc.integer(), (sequence, dims, seed) => {
      const chain = new Chain(sequence, dims)
      const rng = sfc32(seed)
      const table = acceptanceTable(0.5)
      for (let s = 0; s < 3000; s++) chain.step(rng, table, 0.5, true)
      expect(chain.energy).toBe(energyOfFold(sequence, movesOf(chain, dims), dims))
      for (let i = 0; i < chain.n; i++) expect(chain.at(chain.sites[i]!)).toBe(i)
    }), { numRuns: 80 })
  })

  it('starts as a straight line with energy 0', () => {
    const chain = new Chain('HPHH', 2)
    expect(movesOf(chain, 2)).toBe('RRR')
    expect(chain.energy).toBe(0)
  })
})
