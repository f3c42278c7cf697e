/**
 * A miner's per-epoch figures shaped for the mining view: one series per chart over the epochs'
 * block heights, and the same figures as exact text for the legend and the table. The plot takes
 * floats; the text comes from the integers the relay sent (parts per million, base units), so
 * what a person reads is exactly what the relay reported.
 */
import { BASE_UNITS_PER_TOKEN, formatTokens } from './format.ts'
import type { MinerEpoch } from './miner-epochs-client.ts'

/** Parts per million in one percent. */
const PPM_PER_PERCENT = 10_000

export interface EpochSeries {
  /** The epochs' block heights: the x axis. */
  heights: number[]
  /** Score: share of the epoch's miner payouts, in percent. */
  score: number[]
  rank: number[]
  /** Uids paid as miners at each epoch: the rank chart's floor. */
  miners: number[]
  /** Earnings in TT (floats, for drawing only). */
  earned: number[]
}

export interface EpochRow {
  height: number
  score: string
  rank: string
  earned: string
}

/** `333_333` → "33.3333 %": parts per million as an exact percentage. */
export function formatShare (ppm: number): string {
  const fraction = String(ppm % PPM_PER_PERCENT).padStart(4, '0').replace(/0+$/, '')
  const whole = Math.floor(ppm / PPM_PER_PERCENT)
  return `${fraction === '' ? whole : `${whole}.${fraction}`} %`
}

export function formatRank (epoch: Pick<MinerEpoch, 'rank' | 'miners'>): string {
  return `${epoch.rank} of ${epoch.miners}`
}

export function epochSeries (epochs: MinerEpoch[]): EpochSeries {
  return {
    heights: epochs.map(e => e.height),
    score: epochs.map(e => e.sharePpm / PPM_PER_PERCENT),
    rank: epochs.map(e => e.rank),
    miners: epochs.map(e => e.miners),
    earned: epochs.map(e => Number(e.earned) / Number(BASE_UNITS_PER_TOKEN))
  }
}

export function epochRows (epochs: MinerEpoch[]): EpochRow[] {
  return epochs.map(e => ({ height: e.height, score: formatShare(e.sharePpm), rank: formatRank(e), earned: formatTokens(e.earned) }))
}

/** The total credited over `epochs`, for the charts' summary. */
export function totalEarned (epochs: MinerEpoch[]): bigint {
  return epochs.reduce((sum, e) => sum + e.earned, 0n)
}
