/**
 * The page people see first, end to end with the real relay and real headless Chromium: a
 * newcomer's first visit (two sentences, the consent, one click) makes a key without asking for a
 * passphrase and starts mining; the mining view shows its long steps as progress bars and then a
 * validator's score; once the tab has earned something it asks, once, to back the key up and set a
 * passphrase. Meanwhile the demo screen shows a QR code that decodes to the join address and a
 * leaderboard that fills in as epochs pay. Screenshots go to test-results/first-visit/.
 */
import { mkdirSync, rmSync } from 'node:fs'
import { resolve } from 'node:path'
import AxeBuilder from '@axe-core/playwright'
import type { Page } from 'playwright-core'
import { afterAll, describe, expect, it } from 'vitest'
import { type GenesisSpec } from '../../src/core/genesis.ts'
import { keypairFromLabel, newMnemonic } from '../../src/core/keys.ts'
import { LAUNCH_BINDING } from '../../src/participant/validator-mode.ts'
import { faucetKey } from '../../relay/identity.ts'
import { launchBrowser, type LaunchedBrowser } from '../helpers/browser.ts'
import { buildPage, startRelayProcess, type RelayProcess } from '../helpers/relay.ts'

const ROOT = resolve(import.meta.dirname, '../..')
const SHOTS = resolve(ROOT, 'test-results/first-visit')
const TOKEN = 1_000_000_000n
const TEMPO = 10
const PASSPHRASE = 'a first visit, then a passphrase'
const producer = keypairFromLabel('first-visit/producer')
const spec: GenesisSpec = {
  chain: 'first-visit-e2e',
  time: Date.now(),
  producer: producer.publicKey,
  balances: [{ key: faucetKey(producer).publicKey, amount: 1_000_000n * TOKEN }],
  subnets: [{ name: 'folding', owner: producer.publicKey, params: { tempo: BigInt(TEMPO), maxRegistrationsPerBlock: 8n, immunityPeriod: 10_000n, commitRevealPeriod: 2n } }],
  params: {}
}

/** Records every progress bar the page shows, with its values, however briefly it is on screen. */
function watchProgressBars (): void {
  const seen: Record<string, { now: number, max: number, text: string }> = {}
  ;(window as unknown as { __progressSeen: typeof seen }).__progressSeen = seen
  const note = (): void => {
    for (const bar of document.querySelectorAll('[role="progressbar"][data-testid]')) {
      const id = bar.getAttribute('data-testid')!
      seen[id] = { now: Number(bar.getAttribute('aria-valuenow')), max: Number(bar.getAttribute('aria-valuemax')), text: bar.getAttribute('aria-valuetext') ?? '' }
    }
  }
  new MutationObserver(note).observe(document, { subtree: true, childList: true, attributes: true })
}

async function noSeriousViolations (page: Page, view: string): Promise<void> {
  const { violations } = await new AxeBuilder({ page }).analyze()
  const serious = violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
  expect(serious.map(v => `${view}: ${v.id} (${v.impact}) ${v.nodes.map(n => n.target.join(' ')).join(', ')}`)).toEqual([])
}

describe('a first visit, mining, the backup prompt and the demo screen', () => {
  let relay: RelayProcess | undefined
  const browsers: LaunchedBrowser[] = []
  const errors: string[] = []
  afterAll(async () => {
    for (const b of browsers) await b.close()
    await relay?.dispose()
  })

  async function open (url: string, options: { webrtc?: boolean, viewport?: { width: number, height: number }, colorScheme?: 'light' | 'dark' } = {}): Promise<Page> {
    const browser = await launchBrowser({ webrtc: options.webrtc, contextOptions: { viewport: options.viewport ?? { width: 1280, height: 900 }, colorScheme: options.colorScheme } })
    browsers.push(browser)
    const page = await browser.context.newPage()
    page.on('pageerror', err => { errors.push(err.message) })
    await page.addInitScript(watchProgressBars)
    await page.goto(url)
    return page
  }

  it('starts mining in one click, shows progress then a score, asks once for a backup, and the demo screen follows', async () => {
    mkdirSync(SHOTS, { recursive: true })
    const staticDir = buildPage()
    relay = await startRelayProcess({ genesis: { spec, producer }, staticDir, blockTimeMs: 500 })

    // The big screen, opened before anyone mines: its QR code decodes to the join address.
    const screen = await open(`${relay.url}/#/demo`, { viewport: { width: 1600, height: 900 } })
    await screen.getByTestId('join-qr').waitFor({ timeout: 60_000 })
    await screen.addScriptTag({ path: resolve(ROOT, 'node_modules/jsqr/dist/jsQR.js') })
    const decoded = await screen.evaluate(async () => {
      const svg = document.querySelector('[data-testid="join-qr"]')!
      const image = new Image()
      image.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(new XMLSerializer().serializeToString(svg))}`
      await image.decode()
      const canvas = document.createElement('canvas')
      canvas.width = canvas.height = 400
      const context = canvas.getContext('2d')!
      context.drawImage(image, 0, 0, 400, 400)
      const pixels = context.getImageData(0, 0, 400, 400)
      const jsQR = (window as unknown as { jsQR: (d: Uint8ClampedArray, w: number, h: number) => { data: string } | null }).jsQR
      return jsQR(pixels.data, 400, 400)?.data ?? null
    })
    expect(decoded).toBe(`${relay.url}/`)
    expect(await screen.getByTestId('join-url').innerText()).toBe(`${relay.url}/`)
    // The test relay listens on loopback: the screen says how to let phones in.
    await screen.getByTestId('join-local-only').waitFor()
    await screen.getByTestId('demo-board').first().waitFor({ timeout: 60_000 })
    expect(await screen.getByTestId('demo-board-row').count()).toBe(0)

    // A validator: the validator page, handed its key as `npm run validator` does.
    const validator = await launchBrowser({ webrtc: true })
    browsers.push(validator)
    await validator.context.exposeBinding(LAUNCH_BINDING, () => ({ mnemonic: newMnemonic(), hotkey: 0, subnet: 'folding' }))
    const validatorPage = await validator.context.newPage()
    validatorPage.on('pageerror', err => { errors.push(`validator: ${err.message}`) })
    await validatorPage.goto(`${relay.url}/?role=validator`)

    // The first visit: what will happen, the consent, one button; nothing asks for a passphrase.
    const page = await open(`${relay.url}/`, { webrtc: true })
    await page.getByTestId('first-visit').waitFor({ timeout: 60_000 })
    await page.getByTestId('head-height').waitFor({ timeout: 60_000 })
    await page.screenshot({ path: `${SHOTS}/first-visit.png`, fullPage: true })
    await noSeriousViolations(page, 'first visit')
    const phone = await open(`${relay.url}/`, { viewport: { width: 390, height: 844 }, colorScheme: 'dark' })
    await phone.getByTestId('first-visit').waitFor({ timeout: 60_000 })
    await phone.screenshot({ path: `${SHOTS}/first-visit-phone-dark.png`, fullPage: true })
    await noSeriousViolations(phone, 'first visit (phone, dark)')

    // By keyboard: the budget preset, then the start button.
    await page.getByTestId('consent-budget-100').focus()
    await page.keyboard.press('Space')
    expect(await page.getByTestId('consent-budget-100').isChecked()).toBe(true)
    await page.getByTestId('consent-start').focus()
    await page.keyboard.press('Enter')
    await page.getByTestId('wallet').and(page.locator('[data-status="unlocked"][data-guarded="false"]')).waitFor({ timeout: 60_000 })
    await page.getByTestId('miner').waitFor({ timeout: 60_000 })

    // Registration shows its proof of work as a progress bar, then the tab has a uid and a score.
    await page.locator('[data-testid="miner-uid"]:not([data-uid=""])').waitFor({ timeout: 180_000 })
    const seen = await page.evaluate(() => (window as unknown as { __progressSeen: Record<string, { now: number, max: number, text: string }> }).__progressSeen)
    expect(seen['miner-pow-bar']).toBeDefined()
    expect(seen['miner-pow-bar']!.max).toBeGreaterThan(0)
    expect(seen['miner-pow-bar']!.text).toMatch(/attempts/)
    await page.screenshot({ path: `${SHOTS}/mining.png`, fullPage: true })
    await page.locator('[data-testid="miner-last-score"]:not([data-score=""])').waitFor({ timeout: 240_000 })

    // Once the wallet holds what it earned, the page asks to back it up: phrase, then passphrase.
    await page.getByTestId('backup-prompt').and(page.locator('[data-step="ask"]')).waitFor({ timeout: 240_000 })
    await page.screenshot({ path: `${SHOTS}/backup-prompt.png`, fullPage: true })
    await noSeriousViolations(page, 'backup prompt')
    // The demo screen's leaderboard filled in as the epochs paid, and shows the tab that mines (before it reloads).
    await screen.locator('[data-testid="demo-board-row"]:not([data-incentive="0"])').first().waitFor({ timeout: 120_000 })
    await screen.getByTestId('demo-payout').first().waitFor({ timeout: 60_000 })
    await screen.locator('[data-testid="demo-node"][data-kind="miner"]').first().waitFor({ timeout: 60_000 })
    await screen.screenshot({ path: `${SHOTS}/demo-screen.png`, fullPage: true })
    await noSeriousViolations(screen, 'demo screen')
    await screen.emulateMedia({ colorScheme: 'dark' })
    await screen.screenshot({ path: `${SHOTS}/demo-screen-dark.png`, fullPage: true })
    await screen.setViewportSize({ width: 390, height: 844 })
    await screen.screenshot({ path: `${SHOTS}/demo-screen-phone-dark.png`, fullPage: true })
    await noSeriousViolations(screen, 'demo screen (phone, dark)')

    const address = (await page.getByTestId('address').innerText()).trim()
    await page.getByTestId('backup-start').click()
    const words = (await page.getByTestId('mnemonic').innerText()).replace(/\d+\./g, ' ').trim().split(/\s+/)
    expect(words).toHaveLength(24)
    await page.getByTestId('backup-done').click()
    await page.getByTestId('passphrase').fill(PASSPHRASE)
    await page.getByTestId('passphrase-confirm').fill(PASSPHRASE)
    await page.getByTestId('guard-wallet').click()
    await page.getByTestId('backup-complete').waitFor({ timeout: 60_000 })
    // From now on the passphrase opens it, and nothing asks again.
    await page.reload()
    await page.getByTestId('wallet').and(page.locator('[data-status="locked"]')).waitFor({ timeout: 60_000 })
    await page.getByTestId('passphrase').fill(PASSPHRASE)
    await page.getByTestId('unlock').click()
    await page.getByTestId('address').waitFor({ timeout: 60_000 })
    expect((await page.getByTestId('address').innerText()).trim()).toBe(address)
    expect(await page.getByTestId('backup-prompt').count()).toBe(0)

    expect(errors).toEqual([])
    rmSync(staticDir, { recursive: true, force: true })
  }, 900_000)
})
