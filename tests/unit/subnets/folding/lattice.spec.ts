import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { alphabet, directionBetween, neighbour, opposite, pack, symmetries } from '../../../../src/subnets/folding/lattice.ts'

describe('lattice', () => {
  it('has 8 symmetries on the square lattice and 48 on the cubic one, all distinct, the identity first', () => {
    for (const [dims, count] of [[2, 8], [3, 48]] as const) {
      const all = symmetries(dims)
      expect(all).toHaveLength(count)
      expect(new Set(all.map(s => s.join())).size).toBe(count)
      expect([...all[0]!]).toStrictEqual([...Array(2 * dims).keys()])
    }
  })

  it('symmetries map opposite directions to opposite directions', () => {
    for (const dims of [2, 3] as const) {
      for (const s of symmetries(dims)) {
        for (let d = 0; d < 2 * dims; d++) expect(s[opposite(d)]).toBe(opposite(s[d]!))
      }
    }
  })

  it('a step and its opposite return to the same site, wrapping around the torus edges', () => {
    fc.assert(fc.property(fc.integer({ min: -2000, max: 2000 }), fc.integer({ min: -2000, max: 2000 }), fc.integer({ min: -2000, max: 2000 }), fc.integer({ min: 0, max: 5 }), (x, y, z, d) => {
      const site = pack(x, y, z)
      const there = neighbour(site, d)
      expect(there).not.toBe(site)
      expect(neighbour(there, opposite(d))).toBe(site)
      expect(directionBetween(site, there, 3)).toBe(d)
    }))
  })

  it('packs a step as a unit change of one coordinate', () => {
    expect(neighbour(pack(3, 4, 5), 0)).toBe(pack(4, 4, 5))
    expect(neighbour(pack(3, 4, 5), 1)).toBe(pack(2, 4, 5))
    expect(neighbour(pack(3, 4, 5), 2)).toBe(pack(3, 5, 5))
    expect(neighbour(pack(3, 4, 5), 3)).toBe(pack(3, 3, 5))
    expect(neighbour(pack(3, 4, 5), 4)).toBe(pack(3, 4, 6))
    expect(neighbour(pack(3, 4, 5), 5)).toBe(pack(3, 4, 4))
    expect(neighbour(pack(0, 0, 0), 1)).toBe(pack(-1, 0, 0))
  })

  it('uses RLUD in 2D and adds FB in 3D', () => {
    expect(alphabet(2)).toBe('RLUD')
    expect(alphabet(3)).toBe('RLUDFB')
  })
})
