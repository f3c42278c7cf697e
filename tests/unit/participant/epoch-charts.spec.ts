import { describe, expect, it } from 'vitest'
import { epochRows, epochSeries, formatShare, totalEarned } from '../../../src/participant/epoch-charts.ts'
import type { MinerEpoch } from '../../../src/participant/miner-epochs-client.ts'

const epochs: MinerEpoch[] = [
  { height: 20, uid: 3, sharePpm: 0, rank: 3, miners: 3, earned: 0n },
  { height: 30, uid: 3, sharePpm: 333_333, rank: 2, miners: 3, earned: 1_250_000_000n },
  { height: 40, uid: 3, sharePpm: 1_000_000, rank: 1, miners: 1, earned: 7n }
]

describe('a miner\'s epochs shaped for the charts', () => {
  it('writes parts per million as an exact percentage', () => {
    expect(formatShare(0)).toBe('0 %')
    expect(formatShare(333_333)).toBe('33.3333 %')
    expect(formatShare(500_000)).toBe('50 %')
    expect(formatShare(1_000_000)).toBe('100 %')
    expect(formatShare(1)).toBe('0.0001 %')
    expect(formatShare(120_500)).toBe('12.05 %')
  })

  it('gives one point per epoch on each chart, over the epochs\' heights', () => {
    expect(epochSeries(epochs)).toEqual({ heights: [20, 30, 40], score: [0, 33.3333, 100], rank: [3, 2, 1], miners: [3, 3, 1], earned: [0, 1.25, 7e-9] })
    expect(epochSeries([])).toEqual({ heights: [], score: [], rank: [], miners: [], earned: [] })
  })

  it('gives the table and legends the figures as the relay sent them', () => {
    expect(epochRows(epochs)).toEqual([
      { height: 20, score: '0 %', rank: '3 of 3', earned: '0 TT' },
      { height: 30, score: '33.3333 %', rank: '2 of 3', earned: '1.25 TT' },
      { height: 40, score: '100 %', rank: '1 of 1', earned: '0.000000007 TT' }
    ])
    expect(totalEarned(epochs)).toBe(1_250_000_007n)
  })
})
