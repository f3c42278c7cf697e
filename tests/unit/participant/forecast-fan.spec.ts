import { describe, expect, it } from 'vitest'
import { HORIZONS } from '../../../src/subnets/prices/constants.ts'
import { ewmaVolatility, normalQuantile } from '../../../src/subnets/prices/forecasters.ts'
import { coverage, ensembleQuantile, FAN_BANDS, forecastFan, logReturns } from '../../../src/participant/forecast-fan.ts'

/** A window of 65 prices with alternating ±1 % log-returns, so the EWMA σ is exactly 0.01. */
const window = Array.from({ length: 65 }, (_, i) => 100 * Math.exp(i % 2 === 0 ? 0 : 0.01))

describe('forecast fan quantiles', () => {
  it('reads quantiles of an ensemble between its sorted members', () => {
    expect(ensembleQuantile([3, 1, 2, 4], 0.5)).toBe(2.5)
    expect(ensembleQuantile([3, 1, 2, 4], 0)).toBe(1)
    expect(ensembleQuantile([3, 1, 2, 4], 1)).toBe(4)
    expect(() => ensembleQuantile([], 0.5)).toThrow(RangeError)
  })

  it('takes log-returns of consecutive prices', () => {
    expect(logReturns([100, 110, 99])).toEqual([Math.log(1.1), Math.log(0.9)])
  })

  it('starts at the last price and widens with the horizon as √h', () => {
    const fan = forecastFan(window)
    expect(fan.map(p => p.horizon)).toEqual([0, ...HORIZONS])
    expect(fan[0]!.bands.every(([lo, hi]) => lo === window.at(-1) && hi === window.at(-1))).toBe(true)
    const widths = fan.slice(1).map(p => Math.log(p.bands[0]![1] / p.bands[0]![0]))
    HORIZONS.forEach((h, i) => { expect(widths[i]! / widths[0]!).toBeCloseTo(Math.sqrt(h), 6) })
  })

  it('puts the 5–95 % band near ±1.645 σ√h around the last price, from the baseline ensemble', () => {
    const fan = forecastFan(window)
    const sigma = Math.sqrt(ewmaVolatility(logReturns(window))[0]!.reduce((s, r) => s + r * r, 0) / 64)
    const last = window.at(-1)!
    // 64 members approximate the Gaussian; the tails of its ensemble sit a little inside ±1.645σ.
    expect(Math.log(fan[1]!.bands[0]![1] / last) / sigma).toBeCloseTo(normalQuantile(0.95), 1)
    expect(fan[1]!.median).toBeCloseTo(last, 9)
    expect(FAN_BANDS[1]).toEqual([0.25, 0.75])
    for (const p of fan.slice(1)) expect(p.bands[0]![0]).toBeLessThan(p.bands[1]![0])
  })

  it('counts only the horizons whose truth has arrived', () => {
    const fan = forecastFan(window)
    const last = window.at(-1)!
    const truths = Array.from({ length: 5 }, () => last)
    expect(coverage(fan, truths, 0)).toEqual({ inside: 2, of: 2 })
    expect(coverage(fan, [last * 2], 0)).toEqual({ inside: 0, of: 1 })
    expect(coverage(fan, [], 1)).toEqual({ inside: 0, of: 0 })
  })
})
