/** The replay feed and the series codec the prices bundle carries. */
import { describe, expect, it } from 'vitest'
import { replayFeed } from '../../../../src/subnets/prices/feed.ts'
import { decodeSeries, encodeSeries } from '../../../../src/subnets/prices/series.ts'
import { SubnetInputError } from '../../../../src/subnets/subnet.ts'

const series = [
  { asset: 'EUR', days: ['2014-12-30', '2014-12-31', '2015-01-02', '2015-01-05', '2015-01-06'], prices: [0.82, 0.83, 0.831, 0.84, 0.845] },
  { asset: 'JPY', days: ['2014-12-31', '2015-01-02', '2015-01-05'], prices: [120, 120.5, 119.25] }
]

describe('the replay feed', () => {
  it('walks the held-out days one step every stepMs, reaching back for windows', () => {
    let now = 10_000
    const feed = replayFeed(series, { stepMs: 1000, heldOutFrom: '2015-01-01', startedAt: 10_000, now: () => now })
    expect(feed.latest()).toBe(0)
    expect(feed.earliest()).toBe(-1)
    expect(feed.prices('EUR', -1, 0)).toEqual([0.83, 0.831])
    expect(feed.prices('EUR', 0, 1)).toBeUndefined()
    now += 2_500
    expect(feed.latest()).toBe(2)
    expect(feed.prices('EUR', 0, 2)).toEqual([0.831, 0.84, 0.845])
    expect(feed.prices('XAU', 0, 0)).toBeUndefined()
  })

  it('starts the held-out days over at the end of the history, each step keeping its price', () => {
    const feed = replayFeed(series, { stepMs: 1, heldOutFrom: '2015-01-01', startedAt: 0, now: () => 100 })
    expect(feed.prices('JPY', 0, 3)).toEqual([120.5, 119.25, 120.5, 119.25])
    expect(feed.prices('JPY', 3, 3)).toEqual(feed.prices('JPY', 1, 1))
  })
})

describe('the series codec', () => {
  it('decodes what it encodes, days and prices exactly', () => {
    expect(decodeSeries(encodeSeries(series))).toEqual(series)
  })

  it('refuses a file whose prices and days disagree', () => {
    const bytes = encodeSeries([{ asset: 'EUR', days: ['2015-01-01'], prices: [1] }])
    const broken = encodeSeries([{ asset: 'EUR', days: ['2015-01-01', '2015-01-02'], prices: [1] }])
    expect(decodeSeries(bytes)).toHaveLength(1)
    expect(() => decodeSeries(broken)).toThrow(SubnetInputError)
  })
})
