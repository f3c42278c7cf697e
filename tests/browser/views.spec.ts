import { mkdirSync, readFileSync, rmSync } from 'node:fs'
import AxeBuilder from '@axe-core/playwright'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { toAddress } from '../../src/core/address.ts'
import { keypairFromLabel, type Keypair } from '../../src/core/keys.ts'
import { signTx, type TxBody } from '../../src/core/tx.ts'
import { fromHex } from '../../src/core/hash.ts'
import { launchBrowser, type LaunchedBrowser } from '../helpers/browser.ts'
import { buildPage, startRelayProcess, type RelayProcess } from '../helpers/relay.ts'

const PASSPHRASE = 'correct horse battery staple'
const TOKEN = 1_000_000_000n
const owner = keypairFromLabel('views/validator-coldkey')
const bigValidator = keypairFromLabel('views/hotkey-big')
const smallValidator = keypairFromLabel('views/hotkey-small')
const SHOTS = 'test-results/views'

type Fields = TxBody extends infer B ? B extends TxBody ? Omit<B, 'from' | 'nonce'> : never : never

describe('the views in a real browser against the real relay', () => {
  let relay: RelayProcess
  let staticDir: string
  const browsers: LaunchedBrowser[] = []
  const pageErrors: string[] = []

  const get = async (path: string) => await (await fetch(relay.url + path)).json()
  async function until (what: string, check: () => Promise<boolean>): Promise<void> {
    for (let i = 0; i < 600; i++) {
      if (await check()) return
      await new Promise(r => setTimeout(r, 100))
    }
    throw new Error(`timed out waiting for ${what}`)
  }

  /** Signs `fields` from `key`, posts them and waits until a block includes them. */
  async function send (key: Keypair, fields: Fields): Promise<void> {
    const address = toAddress(key.publicKey)
    const [{ chainId }, { pendingNonce }] = await Promise.all([get('/api/health'), get(`/api/accounts/${address}`)])
    const tx = signTx({ ...fields, from: key.publicKey, nonce: pendingNonce } as TxBody, key, fromHex(chainId))
    const res = await fetch(`${relay.url}/api/tx`, { method: 'POST', headers: { 'content-type': 'application/cbor' }, body: Buffer.from(tx.bytes) })
    expect(res.status).toBe(200)
    await until('the transaction to be included', async () => (await get(`/api/accounts/${address}`)).nonce > pendingNonce)
  }

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true })
    staticDir = buildPage()
    relay = await startRelayProcess({ staticDir, blockTimeMs: 300 })
    // Two validators on the folding subnet, with different stakes, for staking and for sorting.
    await fetch(`${relay.url}/api/faucet`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ address: toAddress(owner.publicKey) }) })
    await until('the faucet', async () => (await get(`/api/accounts/${toAddress(owner.publicKey)}`)).balance !== '0')
    await send(owner, { kind: 'register_burn', netuid: 1, hotkey: smallValidator.publicKey, maxBurn: 10n * TOKEN })
    await send(owner, { kind: 'register_burn', netuid: 1, hotkey: bigValidator.publicKey, maxBurn: 10n * TOKEN })
    await send(owner, { kind: 'add_stake', hotkey: bigValidator.publicKey, amount: 20n * TOKEN })
  })
  afterAll(async () => {
    for (const b of browsers) await b.close()
    await relay?.dispose()
    rmSync(staticDir, { recursive: true, force: true })
    expect(pageErrors).toEqual([])
  })

  async function openPage (hash = '', viewport = { width: 1280, height: 900 }): Promise<Page> {
    const browser = await launchBrowser({ contextOptions: { viewport, acceptDownloads: true } })
    browsers.push(browser)
    const page = await browser.context.newPage()
    page.on('pageerror', err => { pageErrors.push(err.message) })
    await page.goto(relay.url + '/' + hash)
    return page
  }

  async function go (page: Page, hash: string, testid: string): Promise<void> {
    await page.evaluate(h => { location.hash = h }, hash)
    await page.getByTestId(testid).waitFor({ timeout: 30_000 })
  }

  async function noSeriousViolations (page: Page, view: string): Promise<void> {
    const { violations } = await new AxeBuilder({ page }).analyze()
    const serious = violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
    expect(serious.map(v => `${view}: ${v.id} (${v.impact}) ${v.nodes.map(n => n.target.join(' ')).join(', ')}`)).toEqual([])
  }

  let address = ''
  let keyFile = ''
  let page: Page

  it('creates a wallet on the home view, and stakes and unstakes from the wallet view with inline checks', async () => {
    page = await openPage()
    await page.getByTestId('head-height').waitFor({ timeout: 60_000 })
    await page.getByTestId('passphrase').fill(PASSPHRASE)
    await page.getByTestId('passphrase-confirm').fill(PASSPHRASE)
    await page.getByTestId('create-wallet').click()
    await page.getByTestId('backup-done').click({ timeout: 60_000 })
    address = (await page.getByTestId('address').innerText()).trim()
    await page.getByTestId('faucet').click()
    await until('the faucet', async () => (await get(`/api/accounts/${address}`)).balance !== '0')
    await page.screenshot({ path: `${SHOTS}/mining.png`, fullPage: true })
    await noSeriousViolations(page, 'mining')

    await page.getByTestId('nav-wallet').click()
    await page.getByTestId('staking').waitFor()
    await page.getByTestId('balance').filter({ hasText: '100' }).waitFor({ timeout: 30_000 })
    const big = toAddress(bigValidator.publicKey)
    await page.locator(`[data-testid="stake-validator"] option[value="${big}"]`).waitFor({ state: 'attached', timeout: 30_000 })
    await page.getByTestId('stake-validator').selectOption(big)
    await expect(page.getByTestId('stake-take').innerText()).resolves.toMatch(/Take 18\.0 %/)

    // Above the balance: an inline message, nothing sent.
    const nonceBefore = (await get(`/api/accounts/${address}`)).pendingNonce
    await page.getByTestId('stake-amount').fill('1000')
    await page.getByTestId('stake-submit').click()
    await expect(page.getByTestId('stake-amount-error').innerText()).resolves.toMatch(/more than your balance/)
    expect((await get(`/api/accounts/${address}`)).pendingNonce).toBe(nonceBefore)

    await page.getByTestId('stake-amount').fill('10')
    await page.getByTestId('stake-submit').click()
    await page.getByTestId('stake-notice').waitFor({ timeout: 30_000 })
    await until('the stake', async () => (await get(`/api/accounts/${address}/stakes`)).total === String(10n * TOKEN))
    await page.locator(`[data-testid="my-stake"][data-hotkey="${big}"]`).waitFor({ timeout: 30_000 })

    await page.getByTestId('stake-mode-unstake').check()
    await page.getByTestId('stake-validator').selectOption(big)
    // The stake grows as the validator's dividends are shared with its stakers, so only its order of size is known.
    await page.getByTestId('stake-amount').fill('1000')
    await page.getByTestId('stake-submit').click()
    await expect(page.getByTestId('stake-amount-error').innerText()).resolves.toMatch(/more than your stake of \d+(\.\d+)? TT on that validator/)
    const nonce = (await get(`/api/accounts/${address}`)).pendingNonce
    await page.getByTestId('stake-amount').fill('4')
    await page.getByTestId('stake-submit').click()
    await page.getByTestId('stake-notice').waitFor({ timeout: 30_000 })
    await until('the unstake', async () => (await get(`/api/accounts/${address}`)).nonce > nonce)

    const download = page.waitForEvent('download', { timeout: 30_000 })
    await page.getByTestId('export-key').click()
    const file = await (await download).path()
    keyFile = readFileSync(file, 'utf8')
    expect(JSON.parse(keyFile).format).toBe('tabtensor-keystore')
    expect(keyFile).not.toContain(PASSPHRASE)
    await page.getByTestId('key-file-notice').waitFor()
    await page.screenshot({ path: `${SHOTS}/wallet.png`, fullPage: true })
    await noSeriousViolations(page, 'wallet')
  })

  it('proposes and votes from the governance view, and shows the vote weighed by stake', async () => {
    await go(page, '#/governance', 'governance-view')
    await page.getByTestId('governance-stake').filter({ hasText: /[1-9][\d.]* TT/ }).waitFor({ timeout: 30_000 })
    await page.getByTestId('propose-param').selectOption('proposalPeriod')
    await page.getByTestId('propose-value').fill('0')
    await page.getByTestId('propose-submit').click()
    await expect(page.getByTestId('propose-value-error').innerText()).resolves.toMatch(/between 1 and/)
    await page.getByTestId('propose-value').fill('900')
    await page.getByTestId('propose-submit').click()
    await page.getByTestId('propose-notice').waitFor({ timeout: 30_000 })
    await until('the proposal', async () => (await get('/api/proposals')).proposals.length === 1)

    const card = page.locator('[data-testid="proposal"][data-id="0"]')
    await card.getByTestId('vote-yes').click({ timeout: 30_000 })
    await card.getByTestId('vote-notice').waitFor({ timeout: 30_000 })
    await until('the vote', async () => (await get('/api/proposals')).proposals[0].votes.length === 1)
    const vote = (await get('/api/proposals')).proposals[0].votes[0]
    expect(vote).toMatchObject({ voter: address, approve: true })
    expect(BigInt(vote.stake)).toBeGreaterThan(5n * TOKEN)
    await card.getByTestId('proposal-yes').filter({ hasText: /Yes [1-9]/ }).waitFor({ timeout: 30_000 })
    await page.screenshot({ path: `${SHOTS}/governance.png`, fullPage: true })
    await noSeriousViolations(page, 'governance')
  })

  it('explores blocks, transactions and a verified account', async () => {
    await go(page, '#/explorer', 'explorer-view')
    await page.getByTestId('block-row').first().waitFor({ timeout: 30_000 })
    await send(owner, { kind: 'transfer', to: bigValidator.publicKey, amount: TOKEN })
    await page.locator('[data-testid="tx-row"][data-kind="transfer"]').first().waitFor({ timeout: 30_000 })
    await page.getByTestId('block-row').first().waitFor()
    await page.screenshot({ path: `${SHOTS}/explorer.png`, fullPage: true })
    await noSeriousViolations(page, 'explorer')

    await page.getByTestId('explorer-search').fill('not a thing')
    await page.getByTestId('explorer-search').press('Enter')
    await page.getByTestId('explorer-search-error').waitFor()

    await page.getByTestId('explorer-search').fill(address)
    await page.getByTestId('explorer-search').press('Enter')
    await page.getByTestId('account-view').waitFor()
    await page.getByTestId('account-stake').filter({ hasText: /[1-9][\d.]* TT/ }).waitFor({ timeout: 30_000 })
    await page.getByTestId('account-verified').waitFor({ timeout: 60_000 })
    await page.screenshot({ path: `${SHOTS}/account.png`, fullPage: true })

    await go(page, '#/explorer/block/1', 'block-view')
    await page.getByTestId('block-tx-count').waitFor({ timeout: 30_000 })
  })

  it('sorts a subnet\'s metagraph by any column', async () => {
    await go(page, '#/subnets', 'subnets-view')
    await page.getByTestId('subnet-card').first().waitFor({ timeout: 30_000 })
    await page.screenshot({ path: `${SHOTS}/subnets.png`, fullPage: true })
    await noSeriousViolations(page, 'subnets')

    await page.getByTestId('subnet-card').first().click()
    await page.getByTestId('metagraph').waitFor({ timeout: 30_000 })
    const uids = async () => await page.getByTestId('neuron-row').evaluateAll(rows => rows.map(r => Number(r.getAttribute('data-uid'))))
    // By stake, largest first (the default): the validator registered second holds more.
    await until('the metagraph', async () => (await uids()).length === 2)
    expect(await uids()).toEqual([1, 0])
    await page.getByTestId('sort-uid').click()
    expect(await uids()).toEqual([0, 1])
    expect(await page.locator('th[aria-sort="ascending"]').innerText()).toMatch(/uid/i)
    await page.getByTestId('sort-uid').press('Enter')
    expect(await uids()).toEqual([1, 0])
    await page.getByTestId('sort-registeredAt').click()
    expect(await uids()).toEqual([1, 0])
    await page.getByTestId('sort-registeredAt').click()
    expect(await uids()).toEqual([0, 1])
    await page.screenshot({ path: `${SHOTS}/subnet.png`, fullPage: true })
    await noSeriousViolations(page, 'subnet')
  })

  it('imports the key file in another browser: a wrong passphrase stores nothing, the right one opens the same wallet', async () => {
    const phone = await openPage('#/wallet', { width: 390, height: 844 })
    await phone.getByTestId('key-file-input').setInputFiles({ name: 'key.json', mimeType: 'application/json', buffer: Buffer.from(keyFile) })
    await phone.getByTestId('key-file-passphrase').fill('not the passphrase')
    await phone.getByTestId('import-key').click()
    await expect(phone.getByTestId('key-file-error').innerText({ timeout: 60_000 })).resolves.toMatch(/does not unlock/)
    await expect(phone.getByTestId('address').count()).resolves.toBe(0)
    await phone.screenshot({ path: `${SHOTS}/wallet-phone-import.png`, fullPage: true })

    await phone.getByTestId('key-file-passphrase').fill(PASSPHRASE)
    await phone.getByTestId('import-key').click()
    await phone.getByTestId('address').waitFor({ timeout: 60_000 })
    expect((await phone.getByTestId('address').innerText()).trim()).toBe(address)
    await phone.getByTestId('staking').waitFor()
    await phone.emulateMedia({ colorScheme: 'dark' })
    await phone.screenshot({ path: `${SHOTS}/wallet-phone-dark.png`, fullPage: true })
    await noSeriousViolations(phone, 'wallet (phone, dark)')
  })

  it('has a demo route and a page for an unknown route', async () => {
    await go(page, '#/demo', 'demo-view')
    await go(page, '#/no/such/view', 'not-found')
  })

  it('lists the demo screen in the navigation, in sight on a phone too', async () => {
    const desktop = await openPage()
    await desktop.getByTestId('nav-demo').click()
    await desktop.getByTestId('demo-view').waitFor({ timeout: 30_000 })
    expect(await desktop.getByTestId('nav-demo').getAttribute('aria-current')).toBe('page')
    await desktop.getByTestId('demo-network').waitFor({ timeout: 30_000 })
    await desktop.screenshot({ path: `${SHOTS}/demo.png`, fullPage: true })
    await noSeriousViolations(desktop, 'demo')

    const phone = await openPage('#/demo', { width: 390, height: 844 })
    await phone.getByTestId('demo-view').waitFor({ timeout: 30_000 })
    await phone.emulateMedia({ colorScheme: 'dark' })
    // Every item fits the phone's width (the nav wraps rather than scrolling items off).
    const boxes = await phone.locator('nav[aria-label="Main"] a').evaluateAll(links => links.map(a => {
      const r = a.getBoundingClientRect()
      return { left: r.left, right: r.right }
    }))
    expect(boxes).toHaveLength(6)
    for (const box of boxes) expect(box.left >= 0 && box.right <= 390).toBe(true)
    await phone.screenshot({ path: `${SHOTS}/demo-phone-dark.png`, fullPage: true })
    await noSeriousViolations(phone, 'demo (phone, dark)')
  })
})
