import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { crps, fairCrps } from '../../../../src/subnets/prices/crps.ts'
import { normalQuantile } from '../../../../src/subnets/prices/forecasters.ts'

/** The textbook O(N²) definition, to check the sorted form against. */
function naiveCrps (members: number[], y: number): number {
  const n = members.length
  let error = 0
  let spread = 0
  for (const x of members) error += Math.abs(x - y)
  for (const a of members) for (const b of members) spread += Math.abs(a - b)
  return error / n - spread / (2 * n * n)
}

/** CRPS of N(μ, σ²) at y in closed form (Gneiting & Raftery 2007). */
function gaussianCrps (mu: number, sigma: number, y: number): number {
  const z = (y - mu) / sigma
  const pdf = Math.exp(-z * z / 2) / Math.sqrt(2 * Math.PI)
  const cdf = 0.5 * (1 + erf(z / Math.SQRT2))
  return sigma * (z * (2 * cdf - 1) + 2 * pdf - 1 / Math.sqrt(Math.PI))
}

/** erf by its Taylor series, exact to double precision for the small |x| used here. */
function erf (x: number): number {
  let sum = x
  let term = x
  for (let n = 1; n < 200; n++) {
    term *= -x * x / n
    sum += term / (2 * n + 1)
  }
  return 2 / Math.sqrt(Math.PI) * sum
}

describe('CRPS', () => {
  it('of a point forecast is the absolute error', () => {
    expect(crps([0.3], 1)).toBeCloseTo(0.7, 15)
  })

  it('of a small ensemble matches the definition worked by hand', () => {
    // mean|x − 2| = 2/3, ΣΣ|xi − xj| = 8, so 2/3 − 8/18.
    expect(crps([1, 2, 3], 2)).toBeCloseTo(2 / 3 - 8 / 18, 15)
  })

  it('of N(0, 1) at 0, from a 1000-member quantile ensemble, is the closed-form 0.23369497725510913', () => {
    const members = Array.from({ length: 1000 }, (_, i) => normalQuantile((i + 0.5) / 1000))
    expect(gaussianCrps(0, 1, 0)).toBeCloseTo(0.23369497725510913, 12)
    expect(crps(members, 0)).toBeCloseTo(0.23369497725510913, 5)
  })

  it('computed from the sorted members equals the O(N²) definition', () => {
    fc.assert(fc.property(
      fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: 1, maxLength: 40 }),
      fc.double({ min: -1, max: 1, noNaN: true }),
      (members, y) => Math.abs(crps(members, y) - naiveCrps(members, y)) < 1e-12
    ))
  })

  it('is lower, in expectation, for the forecaster that reports the true spread (proper)', () => {
    // Outcomes from N(0, 1) at the quantile grid; forecasts N(0, s²) for s around 1.
    const outcomes = Array.from({ length: 400 }, (_, i) => normalQuantile((i + 0.5) / 400))
    const expected = (s: number): number => {
      const members = Array.from({ length: 64 }, (_, i) => s * normalQuantile((i + 0.5) / 64))
      return outcomes.reduce((total, y) => total + crps(members, y), 0) / outcomes.length
    }
    expect(expected(1)).toBeLessThan(expected(0.7))
    expect(expected(1)).toBeLessThan(expected(1.4))
  })

  it('in its fair form subtracts the spread over N(N − 1) pairs', () => {
    expect(fairCrps([1, 2, 3], 2)).toBeCloseTo(2 / 3 - 8 / 12, 15)
    expect(() => fairCrps([1], 0)).toThrow(RangeError)
  })
})
