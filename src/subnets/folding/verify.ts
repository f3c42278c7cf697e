/**
 * The validator's check of a fold: O(n) in the sequence length. The move string must have exactly
 * n − 1 letters of the lattice's alphabet and trace a self-avoiding walk; its energy is exact
 * integer arithmetic, E = −(number of H–H pairs that are not consecutive in the chain but sit on
 * neighbouring sites), so every validator gets the same number on any machine.
 *
 * `canonicalFold` names a fold up to the lattice's symmetries: the lexicographically smallest of
 * its images under the 8 (square) or 48 (cubic) rotations and mirrors. A rotated or mirrored copy
 * of another miner's fold has the same energy and the same canonical form, so it counts as a copy
 * (and, when the sequence reads the same both ways, so does the same fold traced from its end).
 */
import { directionCount, directionOf, LETTERS, neighbour, opposite, symmetries } from './lattice.ts'
import { foldingError } from './errors.ts'
import type { FoldingDims } from './types.ts'

/** A checked fold: its energy and the packed site of every residue. */
export interface VerifiedFold {
  energy: number
  sites: Int32Array
}

/** Checks `moves` as a fold of `sequence`; throws SubnetInputError (WRONG_LENGTH, BAD_MOVE, SELF_INTERSECTION). */
export function verifyFold (sequence: string, moves: string, dims: FoldingDims): VerifiedFold {
  const n = sequence.length
  if (moves.length !== n - 1) {
    throw foldingError('WRONG_LENGTH', `The fold has ${moves.length} moves; a sequence of ${n} residues needs ${n - 1}.`)
  }
  const sites = new Int32Array(n)
  const residueAt = new Map<number, number>([[0, 0]])
  let site = 0
  for (let i = 1; i < n; i++) {
    const d = directionOf(moves[i - 1]!, dims)
    if (d < 0) {
      throw foldingError('BAD_MOVE', `Move ${i} is "${moves[i - 1]}"; a ${dims}D fold uses only the letters ${LETTERS.slice(0, 2 * dims).split('').join(', ')}.`)
    }
    site = neighbour(site, d)
    const earlier = residueAt.get(site)
    if (earlier !== undefined) {
      throw foldingError('SELF_INTERSECTION', `Residue ${i} lands on the site of residue ${earlier}; a fold must not visit a site twice.`)
    }
    residueAt.set(site, i)
    sites[i] = site
  }
  return { energy: energyOf(sequence, sites, residueAt, dims), sites }
}

function energyOf (sequence: string, sites: Int32Array, residueAt: Map<number, number>, dims: FoldingDims): number {
  let contacts = 0
  for (let i = 0; i < sites.length; i++) {
    if (sequence[i] !== 'H') continue
    for (let d = 0; d < directionCount(dims); d++) {
      const j = residueAt.get(neighbour(sites[i]!, d))
      if (j !== undefined && j > i + 1 && sequence[j] === 'H') contacts++
    }
  }
  return contacts === 0 ? 0 : -contacts
}

/** The energy of a fold, or throws as verifyFold does. */
export function energyOfFold (sequence: string, moves: string, dims: FoldingDims): number {
  return verifyFold(sequence, moves, dims).energy
}

/** The image of a move string under one symmetry (a permutation of direction numbers). */
export function applySymmetry (moves: string, symmetry: Int8Array): string {
  let out = ''
  for (let i = 0; i < moves.length; i++) out += LETTERS[symmetry[LETTERS.indexOf(moves[i]!)]!]
  return out
}

/** The same walk traced from its other end: letters reversed, each turned to its opposite. */
export function reverseFold (moves: string): string {
  let out = ''
  for (let i = moves.length - 1; i >= 0; i--) out += LETTERS[opposite(LETTERS.indexOf(moves[i]!))]
  return out
}

/**
 * The lexicographically smallest image of `moves` (already verified) under the lattice's
 * symmetries. For a palindromic sequence the walk traced from its other end is the same
 * conformation, so `palindrome` adds those images too.
 */
export function canonicalFold (moves: string, dims: FoldingDims, palindrome = false): string {
  let best = moves
  for (const walk of palindrome ? [moves, reverseFold(moves)] : [moves]) {
    for (const symmetry of symmetries(dims)) {
      const image = applySymmetry(walk, symmetry)
      if (image < best) best = image
    }
  }
  return best
}
