/**
 * HTTP routes the subnets' roles read from the relay. `GET /api/bundles/subnets` lists each
 * subnet's bundle (its index CID and files). `GET /api/prices` describes the price feed (mode,
 * step length, assets, latest step) and `GET /api/prices/:asset?from=A&to=B` answers the prices
 * of steps A…B, which validators make tasks from and, once the steps have come, score them with.
 * The feed is the relay's word: validators trust the relay for prices as they do for the
 * metagraph (see the README's security section).
 */
import type { PriceFeed } from '../src/subnets/prices/feed.ts'
import type { createHttp } from './http.ts'
import type { PublishedSubnetBundle } from './subnet-bundles.ts'

type App = Awaited<ReturnType<typeof createHttp>>

/** Most steps one `/api/prices/:asset` request answers. */
export const MAX_PRICE_STEPS = 1024

export interface SubnetApiOptions {
  bundles: Record<string, PublishedSubnetBundle>
  feed: PriceFeed
}

export function subnetRoutes (app: App, { bundles, feed }: SubnetApiOptions): void {
  app.get('/api/bundles/subnets', async () => ({ subnets: bundles }))

  app.get('/api/prices', async () => ({
    mode: feed.mode, stepMs: feed.stepMs, assets: feed.assets, latest: feed.latest(), earliest: feed.earliest()
  }))

  app.get<{ Params: { asset: string }, Querystring: { from?: string, to?: string } }>('/api/prices/:asset', async (req, reply) => {
    const { asset } = req.params
    if (!feed.assets.includes(asset)) return reply.status(404).send({ error: 'UNKNOWN_ASSET', message: `The feed has no ${asset.slice(0, 16)}; it has ${feed.assets.join(', ')}.` })
    const latest = feed.latest()
    const to = req.query.to === undefined ? latest : Number(req.query.to)
    const from = req.query.from === undefined ? to : Number(req.query.from)
    if (!Number.isSafeInteger(from) || !Number.isSafeInteger(to) || from > to || to - from >= MAX_PRICE_STEPS) {
      return reply.status(400).send({ error: 'BAD_FIELD', message: `from and to must be whole steps, from ≤ to, at most ${MAX_PRICE_STEPS} apart.` })
    }
    if (to > latest) return reply.status(404).send({ error: 'NOT_YET', message: `Step ${to} has not come yet; the latest is ${latest}.`, latest })
    const prices = feed.prices(asset, from, to)
    if (prices === undefined) return reply.status(404).send({ error: 'NOT_HELD', message: `The feed holds steps from ${feed.earliest()} on.`, latest })
    return { asset, from, to, latest, prices }
  })
}
