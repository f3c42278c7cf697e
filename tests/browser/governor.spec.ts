import { mkdirSync } from 'node:fs'
import { resolve } from 'node:path'
import { svelte } from '@sveltejs/vite-plugin-svelte'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser, type LaunchedBrowser } from '../helpers/browser.ts'
import { bundleForPage } from '../helpers/bundle.ts'
import type * as GovernorPage from './fixtures/governor-page.ts'

/** Span the busy share is measured over, in milliseconds. */
const WINDOW_MS = 2_000
/** Length of one CPU-busy unit, in milliseconds. */
const UNIT_MS = 20
/** Time before measuring, so the window holds only steady mining, in milliseconds. */
const WARM_UP_MS = 1_000
const ARTIFACTS = resolve(import.meta.dirname, '../../test-results')

type Fixture = typeof GovernorPage
type Call = { [K in keyof Fixture]: Fixture[K] extends (...args: infer A) => infer R ? (...args: A) => Promise<Awaited<R>> : never }

/** Calls the fixture's exports in the page. */
function inPage (page: Page): Call {
  return new Proxy({} as Call, {
    get: (_, name: string) => async (...args: unknown[]) => await page.evaluate(
      ([fn, a]) => (globalThis as unknown as Record<string, Record<string, (...x: unknown[]) => unknown>>)['governorPage']![fn]!(...a),
      [name, args] as const)
  })
}

async function sleep (ms: number): Promise<void> {
  await new Promise(resolve => setTimeout(resolve, ms))
}

describe('the resource governor in Chromium', () => {
  let browser: LaunchedBrowser
  let script: string
  const pageErrors: string[] = []

  beforeAll(async () => {
    script = await bundleForPage('tests/browser/fixtures/governor-page.ts', 'governorPage', [svelte({ compilerOptions: { css: 'injected' } })])
    browser = await launchBrowser()
  })
  afterAll(async () => {
    await browser?.close()
    expect(pageErrors).toEqual([])
  })

  async function openPage (): Promise<{ page: Page, call: Call }> {
    const page = await browser.context.newPage()
    page.on('pageerror', err => { pageErrors.push(err.message) })
    await page.goto('about:blank')
    await page.addScriptTag({ content: script })
    const call = inPage(page)
    await call.setup(WINDOW_MS)
    return { page, call }
  }

  it('runs nothing before consent', async () => {
    const { page, call } = await openPage()
    await call.startMining(UNIT_MS)
    await sleep(1_000)
    expect(await call.unitsRan()).toBe(0)
    expect((await call.status()).state).toBe('waiting-for-consent')
    await call.consent({ budget: 1, onlyWhenVisible: true, pauseOnBattery: false })
    await expect.poll(async () => await call.unitsRan()).toBeGreaterThan(0)
    await page.close()
  })

  // Fractions are about budget correctness, not speed: a late timer on a loaded 2-core machine
  // only lengthens a rest, so the share can fall below the budget more than it can rise above it.
  for (const [budget, low, high] of [[0.5, 0.35, 0.6], [0.25, 0.15, 0.32]] as const) {
    it(`keeps a CPU-busy loop at about ${budget * 100} % of the time over ${WINDOW_MS / 1000} s`, async () => {
      const { page, call } = await openPage()
      await call.consent({ budget, onlyWhenVisible: true, pauseOnBattery: false })
      await call.startMining(UNIT_MS)
      await sleep(WARM_UP_MS + WINDOW_MS)
      const measured = await call.busyShare(WINDOW_MS)
      const reported = (await call.status()).busyFraction
      await call.stopMining()
      console.log(`governor at ${budget * 100} %: busy ${measured.toFixed(3)} measured by the page, ${reported.toFixed(3)} reported by the governor`)
      expect(measured).toBeGreaterThanOrEqual(low)
      expect(measured).toBeLessThanOrEqual(high)
      expect(Math.abs(reported - measured)).toBeLessThan(0.05)
      await page.close()
    })
  }

  it('pauses while the tab is hidden and resumes when it is visible again', async () => {
    const { page, call } = await openPage()
    await call.consent({ budget: 1, onlyWhenVisible: true, pauseOnBattery: false })
    await call.startMining(UNIT_MS)
    await expect.poll(async () => await call.unitsRan()).toBeGreaterThan(3)
    await call.emulateVisibility('hidden')
    expect((await call.status()).state).toBe('paused-hidden')
    const atHide = await call.unitsRan()
    await sleep(1_000)
    expect(await call.unitsRan()).toBe(atHide)
    await call.emulateVisibility('visible')
    await expect.poll(async () => await call.unitsRan()).toBeGreaterThan(atHide + 3)
    expect((await call.status()).state).not.toBe('paused-hidden')
    await page.close()
  })

  it('starts from the consent form, by keyboard, and its controls pause, resume, change the budget and stop', async () => {
    const { page, call } = await openPage()
    await call.mountControls()
    await call.startMining(UNIT_MS)

    await expect.poll(async () => await page.getByRole('status').innerText()).toContain('Not started')
    await page.getByRole('radio', { name: /Balanced/ }).check()
    expect(await page.getByRole('checkbox', { name: 'Only while this tab is visible' }).isChecked()).toBe(true)
    expect(await page.getByRole('checkbox', { name: 'Not on battery' }).isChecked()).toBe(true)
    await sleep(300)
    expect(await call.unitsRan()).toBe(0)
    mkdirSync(ARTIFACTS, { recursive: true })
    await page.screenshot({ path: resolve(ARTIFACTS, 'governor-consent.png'), fullPage: true })

    await page.getByRole('button', { name: 'Start' }).focus()
    await page.keyboard.press('Enter')
    await page.getByTestId('consent').waitFor({ state: 'detached' })
    await expect.poll(async () => await page.getByRole('status').innerText()).toContain('Running')
    expect(await call.status()).toMatchObject({ budget: 0.5, onlyWhenVisible: true, pauseOnBattery: true })
    await expect.poll(async () => await call.unitsRan()).toBeGreaterThan(3)
    await page.screenshot({ path: resolve(ARTIFACTS, 'governor-controls.png'), fullPage: true })

    await page.getByRole('button', { name: 'Pause' }).click()
    await expect.poll(async () => await page.getByRole('status').innerText()).toContain('Paused')
    const atPause = await call.unitsRan()
    const shownAtPause = Number(await page.getByTestId('governor-busy').getAttribute('data-fraction'))
    await sleep(1_500)
    expect(await call.unitsRan()).toBe(atPause)
    // The share shown keeps following the clock while nothing else changes.
    expect(Number(await page.getByTestId('governor-busy').getAttribute('data-fraction'))).toBeLessThan(shownAtPause)
    await page.getByRole('button', { name: 'Resume' }).click()
    await expect.poll(async () => await call.unitsRan()).toBeGreaterThan(atPause)

    await page.getByRole('radio', { name: /Full/ }).check()
    expect((await call.status()).budget).toBe(1)

    await call.emulateVisibility('hidden')
    await expect.poll(async () => await page.getByRole('status').innerText()).toContain('hidden')
    await call.emulateVisibility('visible')

    await page.getByRole('button', { name: 'Stop mining' }).click()
    await expect.poll(async () => await page.getByRole('status').innerText()).toContain('Not started')
    await page.close()
  })
})
