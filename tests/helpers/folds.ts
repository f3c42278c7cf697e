/** Random valid folds (self-avoiding walks grown at random), for property tests of the folding subnet. */
import fc from 'fast-check'
import { alphabet, directionOf, neighbour } from '../../src/subnets/folding/lattice.ts'
import type { FoldingDims } from '../../src/subnets/folding/types.ts'

/** A self-avoiding walk of up to `length` residues grown with the choices `picks`; stops early at a dead end. */
export function growWalk (length: number, dims: FoldingDims, picks: readonly number[]): string {
  const letters = alphabet(dims)
  const seen = new Set<number>([0])
  let site = 0
  let moves = ''
  for (let i = 1; i < length; i++) {
    const free = [...letters].filter(l => !seen.has(neighbour(site, directionOf(l, dims))))
    if (free.length === 0) break
    const letter = free[picks[i % picks.length]! % free.length]!
    site = neighbour(site, directionOf(letter, dims))
    seen.add(site)
    moves += letter
  }
  return moves
}

/** A random HP sequence and a valid fold of it, on the square or cubic lattice. */
export const foldArbitrary = fc.record({
  dims: fc.constantFrom<FoldingDims>(2, 3),
  residues: fc.array(fc.constantFrom('H', 'P'), { minLength: 4, maxLength: 60 }),
  picks: fc.array(fc.nat(), { minLength: 1, maxLength: 60 })
}).map(({ dims, residues, picks }) => {
  const moves = growWalk(residues.length, dims, picks)
  return { dims, sequence: residues.slice(0, moves.length + 1).join(''), moves }
}).filter(f => f.sequence.length >= 4)
