import { describe, expect, it } from 'vitest'
import { loadPriceHistory } from '../../../../relay/price-history.ts'
import { encodeForecast } from '../../../../src/subnets/prices/task.ts'
import { ewmaVolatility, longRunSigma, randomWalk } from '../../../../src/subnets/prices/forecasters.ts'
import { logReturns, parseFreechangeCsv } from '../../../../src/subnets/prices/history.ts'
import { prices, taskId, truthAt } from '../../../../src/subnets/prices/index.ts'
import { forecastLoss } from '../../../../src/subnets/prices/score.ts'

const history = loadPriceHistory()

describe('the bundled price history', () => {
  it('holds two decades of daily rates for each replayed currency', () => {
    for (const series of history) {
      expect(series.prices.length).toBeGreaterThan(5000)
      expect(series.days[0]! >= '2000-01-01').toBe(true)
      expect(series.days.every((d, i) => i === 0 || d > series.days[i - 1]!)).toBe(true)
      expect(series.prices.every(p => Number.isFinite(p) && p > 0)).toBe(true)
    }
  })

  it('parses only dated rows with a rate (the file ends with a stray `undefined` row)', () => {
    const csv = 'DATE,EUR,JPY\n1999-12-31,1,100\n2001-01-02,0.9,\n2001-01-03,0.91,110\nundefined,0.5,150\n'
    expect(parseFreechangeCsv(csv, ['EUR', 'JPY'])).toEqual([
      { asset: 'EUR', days: ['2001-01-02', '2001-01-03'], prices: [0.9, 0.91] },
      { asset: 'JPY', days: ['2001-01-03'], prices: [110] }
    ])
    expect(() => parseFreechangeCsv(csv, ['XYZ'])).toThrow(/no column for XYZ/)
  })

  it('replayed from 2015 on, the EWMA-volatility forecaster beats a random walk with the long-run σ', () => {
    // The random walk's σ comes from 2000–2014 only; both are scored on the held-out years after.
    let ewmaWins = 0
    let total = 0
    for (const series of history) {
      const split = series.days.findIndex(d => d >= '2015-01-01')
      const sigma = longRunSigma(logReturns(series.prices.slice(0, split)))
      let ewmaLoss = 0
      let walkLoss = 0
      for (let at = split; at < series.prices.length - 21; at += 3) {
        const task = prices.newTask(new Uint8Array(4), { asset: series.asset, prices: series.prices, at, commitBy: 10 })
        const truth = truthAt(series.prices, at)!
        const ewma = ewmaVolatility(task.returns)
        const walk = randomWalk(sigma)
        ewmaLoss += forecastLoss(ewma, truth)
        walkLoss += forecastLoss(walk, truth)
        // Through the subnet's scorer as two miners would be scored.
        const scored = prices.score({ ...task, truth }, [
          { uid: 0, bytes: encodeForecast({ task: taskId(task), paths: ewma }), receivedAt: 1 },
          { uid: 1, bytes: encodeForecast({ task: taskId(task), paths: walk }), receivedAt: 1 }
        ])
        if (scored[0]!.score > scored[1]!.score) ewmaWins++
        total++
      }
      expect(ewmaLoss, series.asset).toBeLessThan(walkLoss)
    }
    expect(ewmaWins / total).toBeGreaterThan(0.5)
  })
})
