import { createServer, type Server } from 'node:http'
import { afterEach, describe, expect, it } from 'vitest'
import { LIVE_STEPS_KEPT, LiveSteps, MAX_SOURCE_BYTES, parseSourceAnswer, startLivePriceFeed, type LivePriceFeed } from '../../../relay/live-price-feed.ts'

const ASSETS = ['EUR', 'JPY']

describe('a live price feed\'s steps', () => {
  it('serve windows of recorded prices and nothing across an unknown step or outside what is kept', () => {
    const steps = new LiveSteps(ASSETS, 1000)
    steps.record(new Map([['EUR', 0.9], ['JPY', 150]]))
    steps.record(new Map([['EUR', 0.91], ['JPY', 151]]))
    steps.record(new Map([['JPY', 152]])) // EUR unknown at step 2
    steps.record(new Map([['EUR', 0.93], ['JPY', 153], ['XYZ', 1]]))
    expect(steps.latest()).toBe(3)
    expect(steps.prices('EUR', 0, 1)).toEqual([0.9, 0.91])
    expect(steps.prices('JPY', 0, 3)).toEqual([150, 151, 152, 153])
    expect(steps.prices('EUR', 1, 3)).toBeUndefined()
    expect(steps.prices('EUR', 3, 4)).toBeUndefined()
    expect(steps.prices('XYZ', 3, 3)).toBeUndefined()
    for (let i = 0; i < LIVE_STEPS_KEPT; i++) steps.record(new Map([['EUR', 1]]))
    expect(steps.earliest()).toBe(4)
    expect(steps.prices('JPY', 3, 3)).toBeUndefined()
    expect(steps.prices('EUR', steps.latest() - 1, steps.latest())).toEqual([1, 1])
  })

  it('take only positive finite prices from the source and say what was wrong with the rest', () => {
    expect(parseSourceAnswer('{"EUR": 0.92, "JPY": -1}', ASSETS)).toEqual({ prices: new Map([['EUR', 0.92]]), problems: ['JPY is not a positive price (-1)'] })
    expect(parseSourceAnswer('{"EUR": "0.9"}', ASSETS).problems).toEqual(['EUR is not a positive price ("0.9")', 'JPY is missing'])
    expect(parseSourceAnswer('[1, 2]', ASSETS).problems).toEqual(['the answer is not a JSON object of prices'])
    expect(parseSourceAnswer('<html>', ASSETS).problems).toEqual(['the answer is not JSON'])
  })
})

describe('polling a live source', () => {
  let server: Server | undefined
  let feed: LivePriceFeed | undefined
  afterEach(() => {
    feed?.stop()
    server?.close()
  })

  it('records one step per interval from what the source answered, unknown when it failed', async () => {
    let polls = 0
    server = createServer((_, res) => {
      polls++
      if (polls === 3) { res.writeHead(500).end(); return }
      if (polls === 4) { res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ EUR: 1, pad: 'x'.repeat(MAX_SOURCE_BYTES) })); return }
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ EUR: 0.9 + polls / 100, JPY: 150 + polls }))
    })
    await new Promise<void>(resolve => server!.listen(0, '127.0.0.1', resolve))
    const address = server.address() as { port: number }
    const warnings: string[] = []
    feed = startLivePriceFeed(`http://127.0.0.1:${address.port}/prices`, ASSETS, 200, { warn: (fields: { problems?: string[], err?: string }, message: string) => { warnings.push(`${message} ${JSON.stringify(fields)}`) } } as never)
    while (polls < 7 || feed.latest() < 6) await new Promise(r => setTimeout(r, 50))
    // Each answer's JPY tells which poll it was (150 + poll): a step holds one poll's prices, in
    // order, never those of the failed polls 3 (HTTP 500) and 4 (too large). A poll slower than a
    // step (a loaded machine) leaves its step unknown, which is what the feed must do.
    const jpy = Array.from({ length: feed.latest() + 1 }, (_, step) => feed!.prices('JPY', step, step)?.[0]).filter(p => p !== undefined)
    expect(jpy.length).toBeGreaterThanOrEqual(2)
    expect(jpy.every((p, i) => i === 0 || p > jpy[i - 1]!)).toBe(true)
    expect(jpy).not.toContain(153)
    expect(jpy).not.toContain(154)
    expect(warnings.some(w => w.includes('answered 500'))).toBe(true)
    expect(warnings.some(w => w.includes(`over ${MAX_SOURCE_BYTES}`))).toBe(true)
  })
})
