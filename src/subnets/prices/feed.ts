/**
 * Where validators' prices come from: a feed of steps, each a price per asset. The relay holds
 * one and serves it (`GET /api/prices`); validators make tasks from its latest window and score
 * them once the steps their horizons name have come.
 *
 * `replayFeed` is the default: a clock that walks through the held-out part of the bundled
 * history, one day every `stepMs`, so "truth" arrives as it would live, only faster. A step maps
 * to a day deterministically (step 0 is the first held-out day; negative steps reach back into
 * the years before, for the first windows), so a relay restart does not change any step's price.
 * At the end of the history the replay starts over; the windows across that seam hold one jump.
 * A live feed (prices read from an exchange or oracle into steps of the same length) implements
 * the same interface.
 */

export interface PriceFeed {
  readonly mode: 'replay' | 'live'
  /** Milliseconds between two steps. */
  readonly stepMs: number
  readonly assets: readonly string[]
  /** The latest step whose prices are known. */
  latest (): number
  /** The earliest step the feed can give. */
  earliest (): number
  /** Prices of `asset` at steps `from`…`to` (inclusive), or undefined when any is unknown. */
  prices (asset: string, from: number, to: number): number[] | undefined
}

export interface ReplayOptions {
  stepMs: number
  /** First held-out day (ISO); step 0 replays it. */
  heldOutFrom: string
  /** When step 0 was, ms since the epoch. */
  startedAt: number
  now?: () => number
}

/** Replays `series` (from history.ts) from `heldOutFrom` on, one day every `stepMs`. */
export function replayFeed (series: ReadonlyArray<{ asset: string, days: readonly string[], prices: readonly number[] }>, options: ReplayOptions): PriceFeed {
  const now = options.now ?? Date.now
  const tracks = new Map(series.map(s => {
    const start = s.days.findIndex(d => d >= options.heldOutFrom)
    if (start <= 0) throw new RangeError(`The ${s.asset} history has no days before and after ${options.heldOutFrom} to replay.`)
    return [s.asset, { start, span: s.prices.length - start, prices: s.prices }]
  }))
  const backlog = Math.min(...[...tracks.values()].map(t => t.start))
  const index = (t: { start: number, span: number }, step: number): number =>
    step < 0 ? t.start + step : t.start + (step % t.span)
  return {
    mode: 'replay',
    stepMs: options.stepMs,
    assets: series.map(s => s.asset),
    latest: () => Math.floor((now() - options.startedAt) / options.stepMs),
    earliest: () => -backlog,
    prices (asset, from, to) {
      const t = tracks.get(asset)
      if (t === undefined || !Number.isSafeInteger(from) || !Number.isSafeInteger(to) || from > to || from < -backlog || to > this.latest()) return undefined
      const out: number[] = []
      for (let step = from; step <= to; step++) out.push(t.prices[index(t, step)]!)
      return out
    }
  }
}
