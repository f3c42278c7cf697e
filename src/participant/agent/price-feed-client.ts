/**
 * The relay's price feed as a validator reads it (`GET /api/prices`, relay/subnet-api.ts): what
 * it holds, and the prices of a range of steps — undefined while the last of them has not come.
 */
import { AgentError } from './errors.ts'

export interface FeedInfo {
  assets: string[]
  latest: number
  stepMs: number
}

export interface PriceFeedClient {
  info (): Promise<FeedInfo>
  /** Prices of `asset` at steps from…to, or undefined when `to` has not come yet. */
  prices (asset: string, from: number, to: number): Promise<number[] | undefined>
}

function bad (what: string): AgentError {
  return new AgentError('BAD_RESPONSE', `The relay's price feed gave a bad ${what}; reload the page to get the matching version.`)
}

export function httpPriceFeed (baseUrl: string, fetchImpl: typeof fetch = globalThis.fetch.bind(globalThis)): PriceFeedClient {
  const root = baseUrl.replace(/\/+$/, '')
  return {
    async info () {
      const res = await fetchImpl(`${root}/api/prices`)
      if (!res.ok) throw new AgentError('BAD_RESPONSE', `The relay has no price feed (HTTP ${res.status}).`)
      const json = await res.json() as Record<string, unknown>
      if (!Array.isArray(json.assets) || json.assets.some(a => typeof a !== 'string') || json.assets.length === 0) throw bad('asset list')
      if (!Number.isSafeInteger(json.latest) || !Number.isSafeInteger(json.stepMs)) throw bad('step')
      return { assets: json.assets as string[], latest: json.latest as number, stepMs: json.stepMs as number }
    },
    async prices (asset, from, to) {
      const res = await fetchImpl(`${root}/api/prices/${encodeURIComponent(asset)}?from=${from}&to=${to}`)
      if (res.status === 404) {
        const body = await res.json().catch(() => ({})) as { error?: string }
        if (body.error === 'NOT_YET') return undefined
      }
      if (!res.ok) throw new AgentError('BAD_RESPONSE', `The relay's price feed refused steps ${from}–${to} of ${asset} (HTTP ${res.status}).`)
      const json = await res.json() as { prices?: unknown }
      const prices = json.prices
      if (!Array.isArray(prices) || prices.length !== to - from + 1 || prices.some(p => typeof p !== 'number' || !(p > 0) || !Number.isFinite(p))) throw bad('price list')
      return prices as number[]
    }
  }
}
