import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { SubnetInputError } from '../../../../src/subnets/subnet.ts'
import { directionOf, neighbour, symmetries } from '../../../../src/subnets/folding/lattice.ts'
import { applySymmetry, canonicalFold, energyOfFold, reverseFold, verifyFold } from '../../../../src/subnets/folding/verify.ts'
import type { FoldingDims } from '../../../../src/subnets/folding/types.ts'
import { foldArbitrary } from '../../../helpers/folds.ts'
import { subnetRejection } from '../../../helpers/subnet-errors.ts'

function rejectionCode (fn: () => unknown): string {
  return subnetRejection(fn).code
}

/** Energy by the definition, every pair against every pair: O(n²). */
function energyByDefinition (sequence: string, moves: string, dims: FoldingDims): number {
  const sites = [0]
  for (const m of moves) sites.push(neighbour(sites[sites.length - 1]!, directionOf(m, dims)))
  let contacts = 0
  for (let i = 0; i < sites.length; i++) {
    for (let j = i + 2; j < sites.length; j++) {
      if (sequence[i] !== 'H' || sequence[j] !== 'H') continue
      for (let d = 0; d < 2 * dims; d++) if (neighbour(sites[i]!, d) === sites[j]) contacts++
    }
  }
  return contacts === 0 ? 0 : -contacts
}

describe('verifyFold', () => {
  it('counts one contact for a square of H residues and none for consecutive ones', () => {
    expect(energyOfFold('HPPH', 'RUL', 2)).toBe(-1)
    expect(energyOfFold('HHHH', 'RUL', 2)).toBe(-1)
    expect(energyOfFold('HHHH', 'RRR', 2)).toBe(0)
    expect(energyOfFold('HPPH', 'RUL', 3)).toBe(-1)
    expect(energyOfFold('HPPHPPH', 'RULFRD', 3)).toBe(-1)
  })

  it('finds two contacts in a U of six H residues', () => {
    // Up 0–1–2, across to 3, down 3–4–5: 0–5 and 1–4 touch; 2–3 are bonded, so no contact.
    expect(energyOfFold('HHHHHH', 'UURDD', 2)).toBe(-2)
  })

  it('matches the pairwise definition on random folds in 2D and 3D', () => {
    fc.assert(fc.property(foldArbitrary, ({ dims, sequence, moves }) => {
      expect(energyOfFold(sequence, moves, dims)).toBe(energyByDefinition(sequence, moves, dims))
    }), { numRuns: 300 })
  })

  it('returns the site of every residue, starting at the origin', () => {
    const { sites } = verifyFold('HPPH', 'RUL', 2)
    expect(sites).toHaveLength(4)
    expect(sites[0]).toBe(0)
    expect(sites[3]).toBe(neighbour(0, directionOf('U', 2)))
  })

  it('refuses a move string of the wrong length with WRONG_LENGTH', () => {
    expect(rejectionCode(() => verifyFold('HPPH', 'RU', 2))).toBe('WRONG_LENGTH')
    expect(rejectionCode(() => verifyFold('HPPH', 'RULD', 2))).toBe('WRONG_LENGTH')
    expect(rejectionCode(() => verifyFold('HPPH', '', 2))).toBe('WRONG_LENGTH')
  })

  it('refuses letters outside the lattice alphabet with BAD_MOVE', () => {
    expect(rejectionCode(() => verifyFold('HPPH', 'RUF', 2))).toBe('BAD_MOVE')
    expect(rejectionCode(() => verifyFold('HPPH', 'rul', 2))).toBe('BAD_MOVE')
    expect(rejectionCode(() => verifyFold('HPPH', 'RUX', 3))).toBe('BAD_MOVE')
    expect(rejectionCode(() => verifyFold('HPPH', 'R\u0000L', 3))).toBe('BAD_MOVE')
  })

  it('refuses a walk that visits a site twice with SELF_INTERSECTION', () => {
    expect(rejectionCode(() => verifyFold('HPH', 'RL', 2))).toBe('SELF_INTERSECTION')
    expect(rejectionCode(() => verifyFold('HPPHP', 'RULD', 2))).toBe('SELF_INTERSECTION')
    expect(rejectionCode(() => verifyFold('HPPPPPH', 'RUFLDB', 3))).toBe('SELF_INTERSECTION')
  })

  it('is unaffected by the folds it refused before', () => {
    const before = verifyFold('HPPH', 'RUL', 2)
    for (const bad of ['RL', 'RUX', 'RULD']) expect(() => verifyFold('HPPH', bad, 2)).toThrow(SubnetInputError)
    expect(verifyFold('HPPH', 'RUL', 2)).toStrictEqual(before)
  })

  it('refuses every random corruption of a valid fold or scores it exactly', () => {
    fc.assert(fc.property(foldArbitrary, fc.nat(), fc.constantFrom(...'RLUDFBX'), ({ dims, sequence, moves }, at, letter) => {
      const i = at % moves.length
      const changed = moves.slice(0, i) + letter + moves.slice(i + 1)
      let energy: number | undefined
      try {
        energy = energyOfFold(sequence, changed, dims)
      } catch (err) {
        expect(['BAD_MOVE', 'SELF_INTERSECTION']).toContain((err as SubnetInputError).code)
        return
      }
      expect(energy).toBe(energyByDefinition(sequence, changed, dims))
    }), { numRuns: 300 })
  })
})

describe('canonicalFold', () => {
  it('gives every symmetric image the same energy and the same canonical form', () => {
    fc.assert(fc.property(foldArbitrary, fc.nat(), ({ dims, sequence, moves }, pick) => {
      const all = symmetries(dims)
      const image = applySymmetry(moves, all[pick % all.length]!)
      expect(energyOfFold(sequence, image, dims)).toBe(energyOfFold(sequence, moves, dims))
      expect(canonicalFold(image, dims)).toBe(canonicalFold(moves, dims))
    }), { numRuns: 300 })
  })

  it('is one of the images and the smallest of them', () => {
    fc.assert(fc.property(foldArbitrary, ({ dims, moves }) => {
      const images = symmetries(dims).map(s => applySymmetry(moves, s))
      const canonical = canonicalFold(moves, dims)
      expect(images).toContain(canonical)
      for (const image of images) expect(canonical <= image).toBe(true)
    }), { numRuns: 100 })
  })

  it('counts the walk traced from its other end as the same fold only for a palindromic sequence', () => {
    fc.assert(fc.property(foldArbitrary, ({ dims, sequence, moves }) => {
      const reversed = reverseFold(moves)
      expect(reverseFold(reversed)).toBe(moves)
      const reversedSequence = [...sequence].reverse().join('')
      expect(energyOfFold(reversedSequence, reversed, dims)).toBe(energyOfFold(sequence, moves, dims))
      expect(canonicalFold(reversed, dims, true)).toBe(canonicalFold(moves, dims, true))
    }), { numRuns: 200 })
    expect(canonicalFold('RRU', 2)).not.toBe(canonicalFold(reverseFold('RRU'), 2))
  })

  it('tells apart folds that are not rotations or mirrors of each other', () => {
    expect(canonicalFold('RUL', 2)).toBe(canonicalFold('LDR', 2))
    expect(canonicalFold('RUL', 2)).toBe(canonicalFold('RDL', 2))
    expect(canonicalFold('RUL', 2)).not.toBe(canonicalFold('RUR', 2))
    expect(canonicalFold('RFL', 3)).toBe(canonicalFold('RUL', 3))
    expect(canonicalFold('RUL', 3)).not.toBe(canonicalFold('RUF', 3))
  })
})
