/**
 * The relay's price feed. Replay mode (the default) walks the bundled history's held-out years,
 * one day every `PRICE_STEP_MS` milliseconds (environment variable; 3000 by default, so a task's
 * 20-day horizon is scored a minute after it was set). With `PRICE_FEED_URL` set, live mode polls
 * that source once a step instead (live-price-feed.ts); both serve the same `PriceFeed`
 * interface (src/subnets/prices/feed.ts).
 */
import type { Logger } from 'pino'
import { replayFeed, type PriceFeed } from '../src/subnets/prices/feed.ts'
import type { PriceSeries } from '../src/subnets/prices/history.ts'
import { startLivePriceFeed } from './live-price-feed.ts'

/** First day of the held-out years the replay walks (the benchmark's split too). */
export const HELD_OUT_FROM = '2015-01-01'
/** Milliseconds per replayed day when PRICE_STEP_MS is not set. */
export const DEFAULT_PRICE_STEP_MS = 3_000

export function priceStepMs (env: NodeJS.ProcessEnv): number {
  const value = env.PRICE_STEP_MS ?? String(DEFAULT_PRICE_STEP_MS)
  const ms = Number(value)
  if (!Number.isSafeInteger(ms) || ms < 100) throw new Error(`PRICE_STEP_MS must be a whole number of milliseconds, at least 100, not "${value}".`)
  return ms
}

export function startPriceFeed (history: readonly PriceSeries[], log: Pick<Logger, 'warn' | 'info'>, env: NodeJS.ProcessEnv = process.env): PriceFeed {
  const url = env.PRICE_FEED_URL
  if (url !== undefined && url !== '') {
    log.info({ url }, 'price feed: live, from PRICE_FEED_URL')
    return startLivePriceFeed(url, history.map(s => s.asset), priceStepMs(env), log)
  }
  return replayFeed(history, { stepMs: priceStepMs(env), heldOutFrom: HELD_OUT_FROM, startedAt: Date.now() })
}
