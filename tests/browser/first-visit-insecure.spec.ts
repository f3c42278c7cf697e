/**
 * A phone that scanned the demo screen's code opens the page over plain http from another
 * device: no secure context, so no WebCrypto. The one-click start must still work there (the
 * wallet kept unsealed, see src/participant/keystore.ts), and setting a passphrase says it needs
 * https. Played here by opening the page at http://0.0.0.0:PORT, which Chromium does not count
 * as a secure origin.
 */
import type { Page } from 'playwright-core'
import { afterAll, describe, expect, it } from 'vitest'
import { launchBrowser, type LaunchedBrowser } from '../helpers/browser.ts'
import { buildPage, startRelayProcess, type RelayProcess } from '../helpers/relay.ts'

describe('a first visit over plain http from another device', () => {
  let relay: RelayProcess | undefined
  let browser: LaunchedBrowser | undefined
  afterAll(async () => {
    await browser?.close()
    await relay?.dispose()
  })

  it('starts mining in one click without WebCrypto', async () => {
    relay = await startRelayProcess({ staticDir: buildPage(), blockTimeMs: 500 })
    browser = await launchBrowser({ webrtc: true, contextOptions: { viewport: { width: 390, height: 844 } } })
    const page: Page = await browser.context.newPage()
    const errors: string[] = []
    page.on('pageerror', err => { errors.push(err.message) })
    await page.goto(`http://0.0.0.0:${relay.port}/`)
    expect(await page.evaluate(() => [isSecureContext, crypto.subtle === undefined])).toEqual([false, true])
    await page.getByTestId('consent-start').click({ timeout: 60_000 })
    await page.getByTestId('wallet').and(page.locator('[data-status="unlocked"][data-guarded="false"]')).waitFor({ timeout: 60_000 })
    await page.locator('[data-testid="miner-uid"]:not([data-uid=""])').waitFor({ timeout: 180_000 })
    expect(errors).toEqual([])
  }, 300_000)
})
