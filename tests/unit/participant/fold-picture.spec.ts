import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { HP_SHORT_2D } from '../../../src/subnets/folding/benchmarks.ts'
import { solveSync } from '../../../src/subnets/folding/solver.ts'
import { energyOfFold } from '../../../src/subnets/folding/verify.ts'
import { fitToBox, foldSites, hhContacts, projectSites } from '../../../src/participant/fold-picture.ts'

describe('fold picture geometry', () => {
  it('decodes a move string to lattice sites from the origin', () => {
    expect(foldSites('RUL', 2)).toEqual([[0, 0, 0], [1, 0, 0], [1, 1, 0], [0, 1, 0]])
    expect(foldSites('FBD', 3)).toEqual([[0, 0, 0], [0, 0, 1], [0, 0, 0], [0, -1, 0]])
  })

  it('refuses a 3D letter on the square lattice', () => {
    expect(() => foldSites('RF', 2)).toThrow(RangeError)
  })

  it('counts the contacts of a square as one H–H contact', () => {
    expect(hhContacts('HPPH', foldSites('RUL', 2))).toEqual([[0, 3]])
    expect(hhContacts('HPPP', foldSites('RUL', 2))).toEqual([])
  })

  it('gives the energy the verifier gives, for folds the solver finds in 2D and 3D', () => {
    for (const dims of [2, 3] as const) {
      for (const { sequence } of HP_SHORT_2D) {
        const { moves } = solveSync({ sequence, dims }, { maxSteps: 4000, seed: 7 })
        expect(-hhContacts(sequence, foldSites(moves, dims)).length).toBe(energyOfFold(sequence, moves, dims))
      }
    }
  })

  it('keeps neighbouring residues one unit apart on the page under any yaw in 3D', () => {
    fc.assert(fc.property(fc.stringMatching(/^[RLUDFB]{1,30}$/), fc.double({ min: -Math.PI, max: Math.PI, noNaN: true }), (moves, yaw) => {
      const sites = foldSites(moves, 3)
      const points = projectSites(sites, 3, yaw)
      sites.forEach((site, i) => {
        if (i === 0) return
        const [p, q] = [points[i - 1]!, points[i]!]
        // The projection is a rotation: page distance² plus depth difference² is the lattice distance².
        expect(Math.hypot(p.x - q.x, p.y - q.y, p.depth - q.depth)).toBeCloseTo(1, 9)
      })
    }))
  })

  it('fits points into the box with the padding and the aspect kept', () => {
    const fitted = fitToBox(projectSites(foldSites('RRUU', 2), 2), 100, 10)
    for (const p of fitted) {
      expect(p.x).toBeGreaterThanOrEqual(10 - 1e-9)
      expect(p.x).toBeLessThanOrEqual(90 + 1e-9)
      expect(p.y).toBeGreaterThanOrEqual(10 - 1e-9)
      expect(p.y).toBeLessThanOrEqual(90 + 1e-9)
    }
    expect(fitted[1]!.x - fitted[0]!.x).toBeCloseTo(40)
    expect(fitted[3]!.y - fitted[2]!.y).toBeCloseTo(-40)
  })
})
