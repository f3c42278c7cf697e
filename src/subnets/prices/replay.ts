/**
 * Tasks from a known series: the task shows the window up to step `at`; the truth is the
 * cumulative log-return to each horizon after it. Used by validators replaying the bundled
 * history (tests, demos) and, with `at` the latest step, for live data.
 */
import { HORIZONS, WINDOW } from './constants.ts'
import { logReturns } from './history.ts'
import type { PricesTask } from './task.ts'

/** The first and last steps a task can start from in a series of `length` prices. */
export function replayRange (length: number): { first: number, last: number } {
  return { first: WINDOW, last: length - 1 - Math.max(...HORIZONS) }
}

/** The task at step `at` of `prices` (no truth). */
export function taskAt (asset: string, prices: readonly number[], at: number, commitBy: number): PricesTask {
  if (!Number.isInteger(at) || at < WINDOW || at >= prices.length) {
    throw new RangeError(`A task needs ${WINDOW} returns before its step; step ${at} of ${prices.length} prices has not.`)
  }
  return { asset, at, returns: logReturns(prices.slice(at - WINDOW, at + 1)), commitBy }
}

/** The cumulative log-return from step `at` to each horizon, or undefined if not known yet. */
export function truthAt (prices: readonly number[], at: number): number[] | undefined {
  if (at + Math.max(...HORIZONS) >= prices.length) return undefined
  return HORIZONS.map(h => Math.log(prices[at + h]! / prices[at]!))
}
