/**
 * A forecast fan for the prices page: the baseline EWMA forecaster (forecasters.ts) run on the
 * feed's window ending at an origin step, turned from log-return ensembles into price bands at
 * each horizon, for the page to draw against the prices that arrive after the origin. Quantiles of
 * an ensemble are read by linear interpolation between its sorted members.
 */
import { HORIZONS } from '../subnets/prices/constants.ts'
import { ewmaVolatility } from '../subnets/prices/forecasters.ts'

/** Quantile pairs the fan shades, outermost first, and the median drawn as a line. */
export const FAN_BANDS: ReadonlyArray<readonly [number, number]> = [[0.05, 0.95], [0.25, 0.75]]

export interface FanPoint {
  /** Steps after the origin (0 is the origin itself, where every band is the last price). */
  horizon: number
  median: number
  /** One [low, high] price per entry of FAN_BANDS. */
  bands: Array<[number, number]>
}

/** The p-quantile of an ensemble (any order), interpolating between sorted members. */
export function ensembleQuantile (members: readonly number[], p: number): number {
  if (members.length === 0) throw new RangeError('An empty ensemble has no quantiles.')
  const sorted = [...members].sort((a, b) => a - b)
  const at = Math.min(Math.max(p * sorted.length - 0.5, 0), sorted.length - 1)
  const lo = Math.floor(at)
  const hi = Math.min(lo + 1, sorted.length - 1)
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (at - lo)
}

/** Log-returns of consecutive prices. */
export function logReturns (prices: readonly number[]): number[] {
  return prices.slice(1).map((p, i) => Math.log(p / prices[i]!))
}

/** The fan from a window of prices ending at the origin (at least two prices). */
export function forecastFan (window: readonly number[]): FanPoint[] {
  if (window.length < 2) throw new RangeError('A forecast needs at least two prices.')
  const last = window[window.length - 1]!
  const ensembles = ewmaVolatility(logReturns(window))
  const origin: FanPoint = { horizon: 0, median: last, bands: FAN_BANDS.map(() => [last, last]) }
  return [origin, ...HORIZONS.map((horizon, h) => {
    const members = ensembles[h]!
    const price = (p: number): number => last * Math.exp(ensembleQuantile(members, p))
    return { horizon, median: price(0.5), bands: FAN_BANDS.map(([lo, hi]) => [price(lo), price(hi)] as [number, number]) }
  })]
}

/** How many of the truths (prices after the origin, horizon 1 first) fall inside band `band`. */
export function coverage (fan: readonly FanPoint[], truths: readonly number[], band: number): { inside: number, of: number } {
  let inside = 0
  let of = 0
  for (const point of fan) {
    if (point.horizon === 0 || point.horizon > truths.length) continue
    const truth = truths[point.horizon - 1]!
    const [lo, hi] = point.bands[band]!
    of++
    if (truth >= lo && truth <= hi) inside++
  }
  return { inside, of }
}
