/**
 * Live mode of the relay's price feed: polls a price source every `stepMs` and records each
 * poll as one step, so validators make tasks from the latest window and score them once the
 * steps their horizons name have come — as in replay, but with prices nobody knows in advance.
 *
 * The source is any HTTP endpoint answering JSON `{"EUR": 0.92, "JPY": 155.3, …}` (units of
 * each asset per US dollar, the bundled history's convention): an exchange or oracle adapter
 * behind a URL. A poll that fails, is too large, or holds a price that is not a positive finite
 * number leaves its step unknown for that asset — never a guessed price, which would be a false
 * zero return in someone's score — and windows across it are not served.
 */
import type { Logger } from 'pino'
import type { PriceFeed } from '../src/subnets/prices/feed.ts'

/** Steps kept: a task's window (64) and horizon (20) with ample room. */
export const LIVE_STEPS_KEPT = 1024
/** Largest answer read from the source, in bytes. */
export const MAX_SOURCE_BYTES = 64 * 1024
/** How long one poll may take, in ms, before its step is left unknown. */
const POLL_TIMEOUT_MS = 5_000

/** The recorded steps of a live feed: what PriceFeed serves; `record` adds the next step. */
export class LiveSteps implements PriceFeed {
  readonly mode = 'live' as const
  readonly #steps: Array<Map<string, number>> = []
  #first = 0

  constructor (readonly assets: readonly string[], readonly stepMs: number) {}

  /** Adds the next step; assets missing from `prices` are unknown at that step. */
  record (prices: ReadonlyMap<string, number>): number {
    this.#steps.push(new Map([...prices].filter(([asset]) => this.assets.includes(asset))))
    if (this.#steps.length > LIVE_STEPS_KEPT) {
      this.#steps.shift()
      this.#first++
    }
    return this.latest()
  }

  latest (): number {
    return this.#first + this.#steps.length - 1
  }

  earliest (): number {
    return this.#first
  }

  prices (asset: string, from: number, to: number): number[] | undefined {
    if (!Number.isSafeInteger(from) || !Number.isSafeInteger(to) || from > to || from < this.#first || to > this.latest()) return undefined
    const out: number[] = []
    for (let step = from; step <= to; step++) {
      const price = this.#steps[step - this.#first]!.get(asset)
      if (price === undefined) return undefined
      out.push(price)
    }
    return out
  }
}

/** The prices in one answer of the source; invalid entries are left out with a reason. */
export function parseSourceAnswer (text: string, assets: readonly string[]): { prices: Map<string, number>, problems: string[] } {
  const prices = new Map<string, number>()
  const problems: string[] = []
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    return { prices, problems: ['the answer is not JSON'] }
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) return { prices, problems: ['the answer is not a JSON object of prices'] }
  for (const asset of assets) {
    const value = (json as Record<string, unknown>)[asset]
    if (typeof value === 'number' && Number.isFinite(value) && value > 0) prices.set(asset, value)
    else problems.push(`${asset} is ${value === undefined ? 'missing' : `not a positive price (${JSON.stringify(value)})`}`)
  }
  return { prices, problems }
}

async function poll (url: string, assets: readonly string[]): Promise<{ prices: Map<string, number>, problems: string[] }> {
  const response = await fetch(url, { signal: AbortSignal.timeout(POLL_TIMEOUT_MS) })
  if (!response.ok) return { prices: new Map(), problems: [`the source answered ${response.status}`] }
  const length = Number(response.headers.get('content-length') ?? 0)
  if (length > MAX_SOURCE_BYTES) return { prices: new Map(), problems: [`the answer is ${length} bytes, over ${MAX_SOURCE_BYTES}`] }
  const text = await response.text()
  if (text.length > MAX_SOURCE_BYTES) return { prices: new Map(), problems: [`the answer is over ${MAX_SOURCE_BYTES} bytes`] }
  return parseSourceAnswer(text, assets)
}

export interface LivePriceFeed extends PriceFeed {
  stop: () => void
}

/**
 * Polls `url` into a LiveSteps: every `stepMs` one step is recorded, holding what the poll of the
 * interval before brought (unknown when it failed or had not answered yet), and the next poll starts.
 */
export function startLivePriceFeed (url: string, assets: readonly string[], stepMs: number, log: Pick<Logger, 'warn'>): LivePriceFeed {
  const steps = new LiveSteps(assets, stepMs)
  let fresh: Map<string, number> | null = null
  const startPoll = (): void => {
    poll(url, assets).then(({ prices, problems }) => {
      fresh = prices
      if (problems.length > 0) log.warn({ step: steps.latest() + 1, problems }, 'price feed: some prices of this step are unknown')
    }, (err: unknown) => {
      log.warn({ step: steps.latest() + 1, err: (err as Error).message }, 'price feed: the source could not be read; this step is unknown')
    })
  }
  const timer = setInterval(() => {
    steps.record(fresh ?? new Map())
    fresh = null
    startPoll()
  }, stepMs)
  timer.unref() // the feed never keeps the relay's process alive on its own
  startPoll()
  return Object.assign(steps, { stop: () => { clearInterval(timer) } })
}
