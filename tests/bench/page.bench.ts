/**
 * The page people see, measured in real headless Chromium against the real relay:
 *
 * - JavaScript a first visit downloads (the page's and its workers' scripts, until the page is
 *   interactive and its network node has started), each script gzipped at zlib's default level as
 *   a server would send it, without ONNX Runtime's binaries (`/ort/`). Baseline: Svelte's hello
 *   world (one component with a `$state` counter) built by the same Vite and plugin in this run.
 * - Navigation to interactive: from the navigation's start to the first visit's Start button in
 *   the document (the app mounted and can take the click), a fresh browser context each time, so
 *   nothing is cached. Baseline: navigation to the load event of an empty HTML page from the same
 *   relay.
 * - First visit to first signed result: navigation, Start pressed as soon as it is there, the key
 *   made, registration by proof of work, and the first task a validator page sends answered and
 *   signed (the miner's "tasks answered" counter). The page mines folding, whose solver ships in
 *   the page, so there is no bundle to fetch: the "cached bundle" condition holds trivially.
 *   Baseline: navigation to the uid shown (registered), in the same runs — the rest is waiting for
 *   the validator's next round and solving within its budget.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { gzipSync } from 'node:zlib'
import { svelte } from '@sveltejs/vite-plugin-svelte'
import { chromium, type Browser, type Page } from 'playwright-core'
import { build } from 'vite'
import type { GenesisSpec } from '../../src/core/genesis.ts'
import { keypairFromLabel, newMnemonic } from '../../src/core/keys.ts'
import { LAUNCH_BINDING } from '../../src/participant/validator-mode.ts'
import { faucetKey } from '../../relay/identity.ts'
import { BASE_CHROMIUM_ARGS, WEBRTC_CHROMIUM_ARGS, WEBRTC_PERMISSIONS, chromiumPath } from '../../scripts/chromium.ts'
import { buildPage, startRelayProcess } from '../helpers/relay.ts'
import { figure, median, type Figure } from './figure.ts'

const ROOT = resolve(import.meta.dirname, '../..')
/** Runs of each timing; the median is reported. */
const RUNS = Number(process.env.PAGE_BENCH_RUNS ?? 5)
/** Miner visits for the first-signed-result figure (each registers a new hotkey). */
const MINER_RUNS = Number(process.env.PAGE_BENCH_MINER_RUNS ?? 3)
/** How long after interactive the first visit's scripts are still counted (the network node starts then). */
const SETTLE_MS = 5_000
const TOKEN = 1_000_000_000n

/** Gzipped bytes of every script `page` loads (workers' too), leaving out ONNX Runtime's binaries. */
async function scriptsOfFirstVisit (browser: Browser, url: string): Promise<{ gzip: number, raw: number, files: number }> {
  const context = await browser.newContext()
  const bodies: Array<Promise<Buffer>> = []
  context.on('response', response => {
    const path = new URL(response.url()).pathname
    if (path.startsWith('/ort/') || !/\.(m?js)$/.test(path) || response.status() !== 200) return
    bodies.push(response.body())
  })
  const page = await context.newPage()
  await page.goto(url)
  await page.getByTestId('consent-start').waitFor({ timeout: 60_000 })
  await page.waitForTimeout(SETTLE_MS)
  const all = await Promise.all(bodies)
  await context.close()
  return { gzip: all.reduce((n, b) => n + gzipSync(b).length, 0), raw: all.reduce((n, b) => n + b.length, 0), files: all.length }
}

/** Svelte's hello world, built with this project's Vite and Svelte plugin; its gzipped JavaScript. */
async function helloWorldScripts (): Promise<number> {
  // Inside the project, so `svelte` resolves from its node_modules.
  const dir = join(ROOT, 'node_modules/.cache/tabtensor-bench-hello')
  rmSync(dir, { recursive: true, force: true })
  mkdirSync(dir, { recursive: true })
  writeFileSync(join(dir, 'index.html'), '<!doctype html><html><body><div id="app"></div><script type="module" src="./main.js"></script></body></html>')
  writeFileSync(join(dir, 'main.js'), "import { mount } from 'svelte'\nimport App from './App.svelte'\nmount(App, { target: document.getElementById('app') })\n")
  writeFileSync(join(dir, 'App.svelte'), '<script>\n  let count = $state(0)\n</script>\n\n<h1>Hello world</h1>\n<button onclick={() => count++}>Clicked {count} times</button>\n')
  await build({ root: dir, configFile: false, logLevel: 'silent', plugins: [svelte()], build: { outDir: join(dir, 'dist') } })
  const assets = join(dir, 'dist/assets')
  const total = readdirSync(assets).filter(f => f.endsWith('.js')).reduce((n, f) => n + gzipSync(readFileSync(join(assets, f))).length, 0)
  rmSync(dir, { recursive: true, force: true })
  return total
}

/** Milliseconds from the navigation's start to `selector` in the document (checked every frame), in a fresh context; null: to the load event. */
async function timeTo (browser: Browser, url: string, selector: string | null): Promise<number> {
  const context = await browser.newContext()
  const page = await context.newPage()
  await page.goto(url, { waitUntil: selector === null ? 'load' : 'commit' })
  const ms = selector === null
    ? await page.evaluate(() => (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming).loadEventEnd)
    : await (await page.waitForFunction(sel => document.querySelector(sel) !== null && performance.now(), selector, { polling: 'raf', timeout: 60_000 })).jsonValue() as number
  await context.close()
  return ms
}

/** A browser of its own, as another device would be (tabs of one browser process did not always reach each other here). */
async function launch (): Promise<Browser> {
  return await chromium.launch({ executablePath: chromiumPath(), args: [...BASE_CHROMIUM_ARGS, ...WEBRTC_CHROMIUM_ARGS] })
}

async function firstSignedResult (url: string): Promise<{ result: number, registered: number }> {
  const browser = await launch()
  const context = await browser.newContext({ permissions: [...WEBRTC_PERMISSIONS] })
  const page: Page = await context.newPage()
  await page.addInitScript(() => {
    const scope = window as unknown as { __benchRegisteredAt?: number, __benchResultAt?: number }
    new MutationObserver(() => {
      if (scope.__benchRegisteredAt === undefined && document.querySelector('[data-testid="miner-uid"]:not([data-uid=""])') !== null) scope.__benchRegisteredAt = performance.now()
      if (scope.__benchResultAt === undefined && document.querySelector('[data-testid="miner-tasks-done"]:not([data-count="0"])') !== null) scope.__benchResultAt = performance.now()
    }).observe(document, { subtree: true, childList: true, attributes: true })
  })
  await page.goto(url)
  await page.getByTestId('consent-start').click({ timeout: 60_000 })
  await page.locator('[data-testid="miner-tasks-done"]:not([data-count="0"])').waitFor({ timeout: 300_000 }).catch(async (err: Error) => {
    throw new Error(`the miner answered no task: ${err.message}\n${await page.locator('main').innerText().catch(() => '')}`)
  })
  const times = await page.evaluate(() => {
    const scope = window as unknown as { __benchRegisteredAt: number, __benchResultAt: number }
    return { result: scope.__benchResultAt, registered: scope.__benchRegisteredAt }
  })
  await browser.close()
  return times
}

export async function pageFigures (): Promise<Figure[]> {
  const staticDir = buildPage()
  writeFileSync(join(staticDir, 'empty.html'), '<!doctype html><html><head><title>empty</title></head><body></body></html>')
  const producer = keypairFromLabel('page-bench/producer')
  const spec: GenesisSpec = {
    chain: 'page-bench',
    time: Date.now(),
    producer: producer.publicKey,
    balances: [{ key: faucetKey(producer).publicKey, amount: 1_000_000n * TOKEN }],
    subnets: [{ name: 'folding', owner: producer.publicKey, params: { tempo: 10n, maxRegistrationsPerBlock: 8n, immunityPeriod: 10_000n } }],
    params: {}
  }
  const relay = await startRelayProcess({ genesis: { spec, producer }, staticDir, blockTimeMs: 500 })
  const browser = await launch()
  const validatorBrowser = await launch()
  const figures: Figure[] = []
  try {
    const shipped = await scriptsOfFirstVisit(browser, `${relay.url}/`)
    const hello = await helloWorldScripts()
    console.error(`[page] first visit: ${shipped.files} scripts, ${Math.round(shipped.raw / 1000)} kB raw, ${Math.round(shipped.gzip / 1000)} kB gzip; Svelte hello world ${(hello / 1000).toFixed(1)} kB gzip`)
    figures.push(figure('page: JavaScript a first visit downloads, gzip, without ONNX Runtime binaries', shipped.gzip / 1000, hello / 1000, 'kB',
      'Svelte hello world ($state counter), same Vite build, gzip', '≤ 300 kB'))

    const interactive = await median(RUNS, async () => await timeTo(browser, `${relay.url}/`, '[data-testid="consent-start"]'))
    const empty = await median(RUNS, async () => await timeTo(browser, `${relay.url}/empty.html`, null))
    console.error(`[page] navigation to interactive: median ${Math.round(interactive)} ms; empty page ${Math.round(empty)} ms`)
    figures.push(figure('page: navigation to interactive (first visit, nothing cached), median', interactive, empty, 'ms',
      'an empty HTML page from the same relay, navigation to load event', '≤ 1.5 s'))

    const validator = await validatorBrowser.newContext({ permissions: [...WEBRTC_PERMISSIONS] })
    await validator.exposeBinding(LAUNCH_BINDING, () => ({ mnemonic: newMnemonic(), hotkey: 0, subnet: 'folding' }))
    const validatorPage = await validator.newPage()
    const validatorLog: string[] = []
    validatorPage.on('console', message => { validatorLog.push(message.text()) })
    await validatorPage.goto(`${relay.url}/?role=validator`)
    const runs: Array<{ result: number, registered: number }> = []
    for (let i = 0; i < MINER_RUNS; i++) {
      runs.push(await firstSignedResult(`${relay.url}/`).catch((err: Error) => {
        throw new Error(`${err.message}\nvalidator:\n${validatorLog.slice(-15).join('\n')}`)
      }))
    }
    console.error(`[page] first signed result (ms): ${runs.map(r => `${Math.round(r.result)} (registered ${Math.round(r.registered)})`).join(', ')}`)
    const mid = (xs: number[]): number => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
    figures.push(figure('page: first visit to first signed result (folding: no bundle to fetch), median', mid(runs.map(r => r.result)), mid(runs.map(r => r.registered)), 'ms',
      'the same visits, navigation to registered (uid shown)', '≤ 10 s'))
  } finally {
    await validatorBrowser.close()
    await browser.close()
    await relay.dispose()
    rmSync(staticDir, { recursive: true, force: true })
  }
  return figures
}
