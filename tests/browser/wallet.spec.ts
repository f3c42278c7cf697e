import { mkdirSync, rmSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { toAddress } from '../../src/core/address.ts'
import { keypairFromLabel } from '../../src/core/keys.ts'
import { launchBrowser, type LaunchedBrowser } from '../helpers/browser.ts'
import { buildPage, startRelayProcess, type RelayProcess } from '../helpers/relay.ts'

const PASSPHRASE = 'correct horse battery staple'
const TOKEN = 1_000_000_000n

async function relayBalance (relay: RelayProcess, address: string): Promise<bigint> {
  const res = await fetch(`${relay.url}/api/accounts/${address}`)
  return BigInt((await res.json()).balance)
}

/** The balance the page shows, in base units, once it shows one the light client verified. */
async function verifiedBalance (page: Page, expected: bigint): Promise<void> {
  const whole = (expected / TOKEN).toString()
  await page.getByTestId('balance').filter({ hasText: whole }).waitFor({ timeout: 30_000 })
  await page.getByTestId('balance-verified').waitFor({ timeout: 30_000 })
}

/** Presses the faucet button and waits for the relay's and then the page's verified balance; returns it. */
async function fundFromFaucet (page: Page, relay: RelayProcess, address: string): Promise<bigint> {
  await page.getByTestId('faucet').click()
  await page.getByTestId('faucet-notice').waitFor()
  for (let i = 0; i < 100 && await relayBalance(relay, address) === 0n; i++) await new Promise(r => setTimeout(r, 100))
  const funded = await relayBalance(relay, address)
  expect(funded).toBeGreaterThan(0n)
  await verifiedBalance(page, funded)
  return funded
}

describe('the wallet in a real browser against the real relay', () => {
  let relay: RelayProcess
  let staticDir: string
  const browsers: LaunchedBrowser[] = []
  const pageErrors: string[] = []

  beforeAll(async () => {
    staticDir = buildPage()
    relay = await startRelayProcess({ staticDir, blockTimeMs: 300 })
  })
  afterAll(async () => {
    expect(pageErrors).toEqual([])
    for (const b of browsers) await b.close()
    await relay?.dispose()
    rmSync(staticDir, { recursive: true, force: true })
  })

  async function openPage (): Promise<Page> {
    const browser = await launchBrowser()
    browsers.push(browser)
    const page = await browser.context.newPage()
    page.on('pageerror', err => { pageErrors.push(err.message) })
    await page.goto(relay.url)
    return page
  }

  it('creates a key, restores it from its mnemonic after storage is cleared, and shows the verified balance', async () => {
    let page = await openPage()
    await page.getByTestId('head-height').waitFor()
    await page.getByTestId('verified').waitFor({ timeout: 30_000 })

    await page.getByTestId('passphrase').fill(PASSPHRASE)
    await page.getByTestId('passphrase-confirm').fill(PASSPHRASE)
    await page.getByTestId('create-wallet').click()
    const mnemonic = (await page.getByTestId('mnemonic').innerText()).replace(/\d+/g, ' ').trim().split(/\s+/).join(' ')
    expect(mnemonic.split(' ')).toHaveLength(24)
    await page.getByTestId('backup-done').click()

    const address = (await page.getByTestId('address').innerText()).trim()
    expect(address).toMatch(/^tt1[0-9a-z]+$/)
    const funded = await fundFromFaucet(page, relay, address)
    // Once the tab's node is online, the account is read over libp2p (ledger sync with the relay), still proven by the light client.
    await page.locator('[data-testid="balance"][data-via="libp2p"]').waitFor({ timeout: 60_000 })
    await verifiedBalance(page, funded)

    // A new profile: nothing of the first one's storage is left.
    page = await openPage()
    await page.getByTestId('show-restore').click()
    await page.getByTestId('restore-phrase').fill(mnemonic)
    await page.getByTestId('passphrase').fill(PASSPHRASE)
    await page.getByTestId('passphrase-confirm').fill(PASSPHRASE)
    await page.getByTestId('restore').click()
    expect((await page.getByTestId('address').innerText()).trim()).toBe(address)
    await verifiedBalance(page, await relayBalance(relay, address))

    // And the restored wallet can send.
    const recipient = toAddress(keypairFromLabel('browser/recipient').publicKey)
    await page.getByTestId('send-to').fill(recipient)
    await page.getByTestId('send-amount').fill('1.5')
    await page.getByTestId('send').click()
    await page.getByTestId('send-notice').waitFor()
    for (let i = 0; i < 100 && await relayBalance(relay, recipient) === 0n; i++) await new Promise(r => setTimeout(r, 100))
    expect(await relayBalance(relay, recipient)).toBe(1_500_000_000n)
    await verifiedBalance(page, await relayBalance(relay, address))
    mkdirSync('test-results', { recursive: true })
    await page.screenshot({ path: 'test-results/wallet.png', fullPage: true })
  })

  it('backs up a first visit\'s funded wallet through the backup prompt, and after the site\'s storage is cleared the phrase restores the same address and balance', async () => {
    const page = await openPage()
    await page.getByTestId('first-visit').waitFor({ timeout: 60_000 })
    await page.getByTestId('consent-start').click()
    await page.getByTestId('wallet').and(page.locator('[data-status="unlocked"][data-guarded="false"]')).waitFor({ timeout: 60_000 })
    const address = (await page.getByTestId('address').innerText()).trim()
    const funded = await fundFromFaucet(page, relay, address)
    const shown = await page.getByTestId('balance').innerText()

    // The prompt a funded first-visit wallet shows: the phrase, then a passphrase.
    await page.getByTestId('backup-prompt').and(page.locator('[data-step="ask"]')).waitFor({ timeout: 30_000 })
    await page.getByTestId('backup-start').click()
    const mnemonic = (await page.getByTestId('mnemonic').innerText()).replace(/\d+\./g, ' ').trim().split(/\s+/).join(' ')
    expect(mnemonic.split(' ')).toHaveLength(24)
    await page.getByTestId('backup-done').click()
    await page.getByTestId('passphrase').fill(PASSPHRASE)
    await page.getByTestId('passphrase-confirm').fill(PASSPHRASE)
    await page.getByTestId('guard-wallet').click()
    await page.getByTestId('backup-complete').waitFor({ timeout: 60_000 })

    // Everything the site stored goes, in the same browser: the page then knows no wallet.
    const origin = new URL(relay.url).origin
    await page.goto('about:blank')
    const cdp = await page.context().newCDPSession(page)
    await cdp.send('Storage.clearDataForOrigin', { origin, storageTypes: 'all' })
    await page.goto(relay.url)
    await page.getByTestId('first-visit').waitFor({ timeout: 60_000 })
    await page.getByTestId('wallet').and(page.locator('[data-status="empty"]')).waitFor({ timeout: 30_000 })

    await page.getByTestId('show-restore').click()
    await page.getByTestId('restore-phrase').fill(mnemonic)
    await page.getByTestId('passphrase').fill(PASSPHRASE)
    await page.getByTestId('passphrase-confirm').fill(PASSPHRASE)
    await page.getByTestId('restore').click()
    await page.getByTestId('address').waitFor({ timeout: 60_000 })
    expect((await page.getByTestId('address').innerText()).trim()).toBe(address)
    // Nothing spent or earned meanwhile (no validator pays here): the same verified balance as before.
    expect(await relayBalance(relay, address)).toBe(funded)
    await verifiedBalance(page, funded)
    expect(await page.getByTestId('balance').innerText()).toBe(shown)
  })

  it('says a wrong recovery phrase is wrong and keeps no wallet', async () => {
    const page = await openPage()
    await page.getByTestId('show-restore').click()
    await page.getByTestId('restore-phrase').fill('abandon '.repeat(23) + 'wrong')
    await page.getByTestId('passphrase').fill(PASSPHRASE)
    await page.getByTestId('passphrase-confirm').fill(PASSPHRASE)
    await page.getByTestId('restore').click()
    await expect(page.getByTestId('wallet-error').innerText()).resolves.toMatch(/word|phrase/i)
    await expect(page.getByTestId('address').count()).resolves.toBe(0)
    // Nothing was stored: after a reload the page still knows no wallet.
    await page.reload()
    await page.getByTestId('first-visit').waitFor({ timeout: 60_000 })
    await page.getByTestId('wallet').and(page.locator('[data-status="empty"]')).waitFor({ timeout: 30_000 })
  })
})
