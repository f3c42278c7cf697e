import { rmSync } from 'node:fs'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser, type LaunchedBrowser } from '../helpers/browser.ts'
import { bundleForPage } from '../helpers/bundle.ts'
import { buildInferencePage, openInferencePage } from '../helpers/inference-page.ts'
import { startRelayProcess, type RelayProcess } from '../helpers/relay.ts'
import type * as GovernorGate from './fixtures/governor-gate.ts'
import type { InferencePage } from './fixtures/inference-page/main.ts'

/** Span the worker's busy share is measured over, in milliseconds. */
const WINDOW_MS = 2_000
/** Steady mining before the window, in milliseconds (the first runs warm ONNX Runtime up). */
const WARM_UP_MS = 1_500
/** An MLP wide enough that one batch keeps a WASM thread busy for tens of milliseconds. */
const MODEL = { inputs: 256, hidden: 1024, layers: 4, outputs: 64 }
const BATCH = 32

type PageWindow = Window & {
  inference: InferencePage
  governorGate: typeof GovernorGate
  mining: { ran: Array<{ start: number, end: number }>, loaded: boolean, stop: boolean }
  governor: InstanceType<typeof GovernorGate.Governor>
}

/**
 * Sets up, in the page, a governor (not yet consented) as the engine's gate, with every unit the
 * gate lets through recorded by the page; starts loading the model and then runs it in a loop.
 */
async function startEngineMining (page: Page): Promise<void> {
  await page.evaluate(({ model, batch, windowMs }) => {
    const w = window as unknown as PageWindow
    w.governor = new w.governorGate.Governor(w.governorGate.browserGovernorComponents(), { windowMs })
    w.mining = { ran: [], loaded: false, stop: false }
    const gate = {
      threads: 1,
      schedule: async <T>(work: () => Promise<T>): Promise<T> => await w.governor.schedule(async () => {
        const start = performance.now()
        try {
          return await work()
        } finally {
          w.mining.ran.push({ start, end: performance.now() })
        }
      })
    }
    const engine = new w.inference.InferenceEngine({ gate, threads: 1 })
    const x = { type: 'float32' as const, dims: [batch, model.inputs], data: new Float32Array(batch * model.inputs).fill(0.5) }
    void (async () => {
      const loaded = await engine.loadModel({ bytes: w.inference.mlpModel(model) }, { backend: 'wasm' })
      w.mining.loaded = true
      while (!w.mining.stop) await engine.run(loaded, { x })
    })()
  }, { model: MODEL, batch: BATCH, windowMs: WINDOW_MS })
}

/** Share of the last `spanMs` the worker spent on units, as the page saw them. */
async function busyShare (page: Page, spanMs: number): Promise<{ share: number, units: number, meanUnitMs: number }> {
  return await page.evaluate(spanMs => {
    const w = window as unknown as PageWindow
    const to = performance.now()
    const from = to - spanMs
    let busy = 0
    let units = 0
    for (const { start, end } of w.mining.ran) {
      const overlap = Math.max(0, Math.min(end, to) - Math.max(start, from))
      busy += overlap
      if (overlap > 0) units++
    }
    const all = w.mining.ran.reduce((sum, r) => sum + r.end - r.start, 0)
    return { share: busy / spanMs, units, meanUnitMs: all / Math.max(1, w.mining.ran.length) }
  }, spanMs)
}

async function sleep (ms: number): Promise<void> {
  await new Promise(resolve => setTimeout(resolve, ms))
}

describe('the resource governor as the inference engine\'s gate', () => {
  let relay: RelayProcess
  let staticDir: string
  let browser: LaunchedBrowser
  let gateScript: string
  const errors: string[] = []

  beforeAll(async () => {
    staticDir = await buildInferencePage()
    gateScript = await bundleForPage('tests/browser/fixtures/governor-gate.ts', 'governorGate')
    relay = await startRelayProcess({ staticDir })
    browser = await launchBrowser()
  })
  afterAll(async () => {
    await browser?.close()
    await relay?.dispose()
    if (staticDir !== undefined) rmSync(staticDir, { recursive: true, force: true })
    expect(errors).toEqual([])
  })

  it('loads nothing into the worker before consent, then keeps the worker busy about half the time at 50 %', async () => {
    const page = await browser.context.newPage()
    page.on('pageerror', err => { errors.push(err.message) })
    await openInferencePage(page, relay.url)
    await page.addScriptTag({ content: gateScript })
    await startEngineMining(page)

    await sleep(1_000)
    expect(await page.evaluate(() => (window as unknown as PageWindow).mining.ran.length)).toBe(0)
    expect(await page.evaluate(() => (window as unknown as PageWindow).mining.loaded)).toBe(false)

    await page.evaluate(() => { (window as unknown as PageWindow).governor.consent({ budget: 0.5, threads: 1, onlyWhenVisible: true, pauseOnBattery: false }) })
    await page.waitForFunction(() => (window as unknown as PageWindow).mining.loaded, undefined, { timeout: 60_000 })
    await sleep(WARM_UP_MS + WINDOW_MS)
    const { share, units, meanUnitMs } = await busyShare(page, WINDOW_MS)
    const reported = await page.evaluate(() => (window as unknown as PageWindow).governor.status.busyFraction)
    await page.evaluate(() => { (window as unknown as PageWindow).mining.stop = true })
    console.log(`engine behind the governor at 50 %: worker busy ${share.toFixed(3)} of ${WINDOW_MS} ms (${units} runs, ${meanUnitMs.toFixed(1)} ms each on average), governor reports ${reported.toFixed(3)}`)
    // As in governor.spec.ts: a late timer on a loaded machine lengthens a rest, never a run, so
    // the share falls below half only when the CPU is starved (0.31 was seen with the 2 cores at a
    // load of 20); what must hold is that it never runs over the budget and the report is honest.
    expect(share).toBeGreaterThanOrEqual(0.25)
    expect(share).toBeLessThanOrEqual(0.6)
    expect(Math.abs(reported - share)).toBeLessThan(0.05)
    await page.close()
  })
})
