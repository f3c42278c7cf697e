/**
 * The relay's price feed routes, read through the validator's feed client: the feed's state, a
 * range of steps, NOT_YET for a step to come (the client's undefined), and refusals.
 */
import Fastify from 'fastify'
import { describe, expect, it } from 'vitest'
import { subnetRoutes } from '../../../relay/subnet-api.ts'
import { httpPriceFeed } from '../../../src/participant/agent/price-feed-client.ts'
import { replayFeed } from '../../../src/subnets/prices/feed.ts'

const series = [{ asset: 'EUR', days: ['2014-12-31', '2015-01-02', '2015-01-05', '2015-01-06'], prices: [0.83, 0.831, 0.84, 0.845] }]

async function app (now: () => number): Promise<{ fetch: typeof fetch, inject: ReturnType<typeof Fastify>['inject'] }> {
  const server = Fastify()
  subnetRoutes(server as never, { bundles: {}, feed: replayFeed(series, { stepMs: 1000, heldOutFrom: '2015-01-01', startedAt: 0, now }) })
  await server.ready()
  const fetchImpl = (async (url: string) => {
    const res = await server.inject({ method: 'GET', url: new URL(url).pathname + new URL(url).search })
    return new Response(res.body, { status: res.statusCode, headers: { 'content-type': 'application/json' } })
  }) as unknown as typeof fetch
  return { fetch: fetchImpl, inject: server.inject.bind(server) }
}

describe('the price feed routes', () => {
  it('answers the feed and ranges of steps, and a step to come as not yet', async () => {
    let now = 1_500
    const { fetch } = await app(() => now)
    const feed = httpPriceFeed('http://relay.test', fetch)
    expect(await feed.info()).toEqual({ assets: ['EUR'], latest: 1, stepMs: 1000 })
    expect(await feed.prices('EUR', -1, 1)).toEqual([0.83, 0.831, 0.84])
    expect(await feed.prices('EUR', 0, 2)).toBeUndefined()
    now = 2_000
    expect(await feed.prices('EUR', 0, 2)).toEqual([0.831, 0.84, 0.845])
  })

  it('refuses unknown assets, backwards or oversized ranges, and steps before the history', async () => {
    const { inject } = await app(() => 10_000)
    expect((await inject({ url: '/api/prices/XAU' })).json().error).toBe('UNKNOWN_ASSET')
    expect((await inject({ url: '/api/prices/EUR?from=3&to=2' })).json().error).toBe('BAD_FIELD')
    expect((await inject({ url: '/api/prices/EUR?from=0&to=5000' })).json().error).toBe('BAD_FIELD')
    expect((await inject({ url: '/api/prices/EUR?from=-5&to=0' })).json().error).toBe('NOT_HELD')
    expect((await inject({ url: '/api/prices/EUR' })).json()).toMatchObject({ from: 10, to: 10, prices: [0.84] }) // step 10 is the held-out day 10 mod 3
  })
})
