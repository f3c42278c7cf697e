/**
 * The picture of the work on each subnet page, in real headless Chromium against the real relay:
 * the fold the page folds itself (2D and 3D, with its energy), the baseline forecast fan against
 * the feed's truth, storage validators' reports (none here) and the bytes this browser holds —
 * each with its text alternative, screenshots in light and dark at desktop and phone widths, and
 * no serious axe violations.
 */
import { mkdirSync, rmSync } from 'node:fs'
import AxeBuilder from '@axe-core/playwright'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { launchBrowser, type LaunchedBrowser } from '../helpers/browser.ts'
import { buildPage, startRelayProcess, type RelayProcess } from '../helpers/relay.ts'

const SHOTS = 'test-results/subnets'
const DESKTOP = { width: 1280, height: 900 }
const PHONE = { width: 390, height: 844 }

describe('the picture of the work on each subnet page', () => {
  let relay: RelayProcess
  let staticDir: string
  const browsers: LaunchedBrowser[] = []
  const pageErrors: string[] = []

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true })
    staticDir = buildPage()
    relay = await startRelayProcess({ staticDir, blockTimeMs: 300 })
  })
  afterAll(async () => {
    for (const b of browsers) await b.close()
    await relay?.dispose()
    rmSync(staticDir, { recursive: true, force: true })
    expect(pageErrors).toEqual([])
  })

  async function openSubnet (netuid: number, viewport: { width: number, height: number }, colorScheme: 'light' | 'dark'): Promise<Page> {
    const browser = await launchBrowser({ contextOptions: { viewport, colorScheme } })
    browsers.push(browser)
    const page = await browser.context.newPage()
    page.on('pageerror', err => { pageErrors.push(err.message) })
    await page.goto(`${relay.url}/#/subnets/${netuid}`)
    await page.getByTestId('subnet-work').waitFor({ timeout: 60_000 })
    return page
  }

  async function noSeriousViolations (page: Page, view: string): Promise<void> {
    const { violations } = await new AxeBuilder({ page }).analyze()
    const serious = violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
    expect(serious.map(v => `${view}: ${v.id} (${v.impact}) ${v.nodes.map(n => n.target.join(' ')).join(', ')}`)).toEqual([])
  }

  const labelOf = async (page: Page, testid: string): Promise<string> => (await page.getByTestId(testid).getAttribute('aria-label')) ?? ''

  for (const [viewport, scheme] of [[DESKTOP, 'light'], [PHONE, 'dark']] as const) {
    const size = viewport === DESKTOP ? 'desktop' : 'phone'

    it(`draws the page's own best fold in 2D and 3D with its energy (${size}, ${scheme})`, async () => {
      const page = await openSubnet(1, viewport, scheme)
      for (const dims of [2, 3]) {
        await page.getByTestId(`fold-${dims}d`).waitFor({ timeout: 30_000 })
        const energy = await page.getByTestId(`fold-${dims}d-energy`).innerText()
        expect(energy).toMatch(/^Energy -\d+$/)
        const label = await labelOf(page, `fold-${dims}d`)
        expect(label).toContain(`${dims}D fold of benchmark S1-4`)
        expect(label).toContain(energy.replace('Energy ', 'energy '))
        expect(await page.locator(`[data-testid="fold-${dims}d"] circle`).count()).toBe(36)
      }
      const before = await page.locator('[data-testid="fold-3d"] polyline').getAttribute('points')
      await page.getByTestId('fold-yaw').fill('120')
      expect(await page.locator('[data-testid="fold-3d"] polyline').getAttribute('points')).not.toBe(before)
      await page.getByTestId('subnet-work').scrollIntoViewIfNeeded()
      await page.screenshot({ path: `${SHOTS}/folding-${size}-${scheme}.png`, fullPage: true })
      await noSeriousViolations(page, 'folding')
    })

    it(`draws the baseline forecast fan against the truth as it arrives (${size}, ${scheme})`, async () => {
      const page = await openSubnet(2, viewport, scheme)
      await page.getByTestId('forecast-fan').waitFor({ timeout: 30_000 })
      await page.getByTestId('forecast-truth').waitFor({ timeout: 30_000 })
      const label = await labelOf(page, 'forecast-fan')
      expect(label).toMatch(/^Forecast fan for \S+ from feed step -?\d+/)
      expect(label).toMatch(/20 steps ahead, median [\d.,]+, 90 % band [\d.,]+ to [\d.,]+/)
      expect(label).toMatch(/Truth so far: \d+ of 20 steps, latest/)
      expect(await page.locator('[data-testid="forecast-fan"] polygon').count()).toBe(2)
      await page.screenshot({ path: `${SHOTS}/prices-${size}-${scheme}.png`, fullPage: true })
      await noSeriousViolations(page, 'prices')
    })

    it(`says no storage validator has reported yet, and shows the bytes this browser holds (${size}, ${scheme})`, async () => {
      const page = await openSubnet(3, viewport, scheme)
      await page.getByTestId('storage-held').waitFor({ timeout: 30_000 })
      expect(await labelOf(page, 'storage-held')).toMatch(/^Bytes held by this browser for the storage subnet: none/)
      // No validator runs here: once the tab's node is up, the page says it listens.
      await page.getByTestId('storage-reports-empty').filter({ hasText: 'No validator has reported yet' }).waitFor({ timeout: 60_000 })
      expect(await page.getByTestId('storage-report').count()).toBe(0)
      await expect(page.getByTestId('subnet-work').innerText()).resolves.not.toContain('do not report')
      await page.screenshot({ path: `${SHOTS}/storage-${size}-${scheme}.png`, fullPage: true })
      await noSeriousViolations(page, 'storage')
    })
  }

  it('draws what a storage miner\'s shard store in this browser holds', async () => {
    const page = await openSubnet(3, DESKTOP, 'light')
    // A store as tab-roles.ts names it, with two replicas and their running total.
    await page.evaluate(async () => {
      await new Promise<void>((resolve, reject) => {
        const open = indexedDB.open('tabtensor-storage-subnet-00aa11bb22cc33dd', 1)
        open.onupgradeneeded = () => { open.result.createObjectStore('replicas'); open.result.createObjectStore('meta') }
        open.onerror = () => { reject(open.error) }
        open.onsuccess = () => {
          const tx = open.result.transaction(['replicas', 'meta'], 'readwrite')
          tx.objectStore('replicas').put(new Uint8Array(2048), 'aa')
          tx.objectStore('replicas').put(new Uint8Array(1024), 'bb')
          tx.objectStore('meta').put(3072, 'bytes')
          tx.oncomplete = () => { open.result.close(); resolve() }
        }
      })
    })
    await page.reload()
    await page.getByTestId('storage-held-total').filter({ hasText: '3.0 KiB held in 2 shards' }).waitFor({ timeout: 30_000 })
    expect(await labelOf(page, 'storage-held')).toBe('Bytes held by this browser for the storage subnet: 3.0 KiB in all. hotkey 00aa11bb22cc33dd…: 2 shards, 3.0 KiB.')
    await page.screenshot({ path: `${SHOTS}/storage-held-desktop-light.png`, fullPage: true })
    await noSeriousViolations(page, 'storage with shards')
  })
})
