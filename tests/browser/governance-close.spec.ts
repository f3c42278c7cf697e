/**
 * A proposal that closes while the governance view is on screen: with a short voting period on the
 * real relay, the open proposal's vote buttons go away and the card says voting closed, without a
 * reload of the page.
 */
import { mkdirSync, rmSync } from 'node:fs'
import AxeBuilder from '@axe-core/playwright'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { toAddress } from '../../src/core/address.ts'
import type { GenesisSpec } from '../../src/core/genesis.ts'
import { fromHex } from '../../src/core/hash.ts'
import { keypairFromLabel } from '../../src/core/keys.ts'
import { signTx } from '../../src/core/tx.ts'
import { launchBrowser, type LaunchedBrowser } from '../helpers/browser.ts'
import { buildPage, startRelayProcess, type RelayProcess } from '../helpers/relay.ts'

const TOKEN = 1_000_000_000n
const PASSPHRASE = 'a proposal closes while we look'
/** Blocks a proposal stays open: at 300 ms blocks, about 15 s. */
const PERIOD = 50
const SHOTS = 'test-results/governance-close'
const producer = keypairFromLabel('governance-close/producer')
const proposer = keypairFromLabel('governance-close/proposer')
const spec: GenesisSpec = {
  chain: 'governance-close-e2e',
  time: Date.now(),
  producer: producer.publicKey,
  balances: [{ key: proposer.publicKey, amount: 10n * TOKEN }],
  subnets: [{ name: 'folding', owner: producer.publicKey, params: {} }],
  // No stake needed to propose, so the test's own key can make one at once.
  params: { proposalPeriod: BigInt(PERIOD), proposeMinStake: 0n }
}

describe('a proposal closing while the governance view is on screen', () => {
  let relay: RelayProcess
  let staticDir: string
  let browser: LaunchedBrowser | undefined
  const pageErrors: string[] = []
  const get = async (path: string) => await (await fetch(relay.url + path)).json()

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true })
    staticDir = buildPage()
    relay = await startRelayProcess({ genesis: { spec, producer }, staticDir, blockTimeMs: 300 })
  })
  afterAll(async () => {
    await browser?.close()
    await relay?.dispose()
    rmSync(staticDir, { recursive: true, force: true })
    expect(pageErrors).toEqual([])
  })

  it('takes the vote buttons away and says voting closed, without a reload', async () => {
    browser = await launchBrowser({ contextOptions: { viewport: { width: 1280, height: 900 } } })
    const page = await browser.context.newPage()
    page.on('pageerror', err => { pageErrors.push(err.message) })
    await page.goto(relay.url)
    await page.getByTestId('passphrase').fill(PASSPHRASE)
    await page.getByTestId('passphrase-confirm').fill(PASSPHRASE)
    await page.getByTestId('create-wallet').click()
    await page.getByTestId('backup-done').click({ timeout: 60_000 })
    await page.getByTestId('address').waitFor()
    await page.evaluate(() => { location.hash = '#/governance' })
    await page.getByTestId('governance-view').waitFor()
    // A fresh subnet has had no epoch yet: the view still reads it (its last epoch block is negative then).
    await page.getByTestId('propose-scope').locator('option[value="1"]').waitFor({ state: 'attached', timeout: 30_000 })
    expect(await page.getByTestId('governance-load-error').count()).toBe(0)
    // Set on this document only: a reload would lose it.
    await page.evaluate(() => { (window as unknown as { notReloaded: boolean }).notReloaded = true })

    const [{ chainId }, { pendingNonce }] = await Promise.all([get('/api/health'), get(`/api/accounts/${toAddress(proposer.publicKey)}`)])
    const tx = signTx({ kind: 'propose', from: proposer.publicKey, nonce: pendingNonce, netuid: 1, param: 'tempo', value: 30n }, proposer, fromHex(chainId))
    const res = await fetch(`${relay.url}/api/tx`, { method: 'POST', headers: { 'content-type': 'application/cbor' }, body: Buffer.from(tx.bytes) })
    expect(res.status).toBe(200)

    const card = page.locator('[data-testid="proposal"][data-id="0"]')
    await card.getByTestId('vote-yes').waitFor({ timeout: 30_000 })
    const { proposals: [open] } = await get('/api/proposals')
    expect(open.status).toBe('open')
    expect(await card.getByTestId('proposal-closed').count()).toBe(0)

    // The ledger closes it at block closesAt; the view notices within a poll.
    await card.getByTestId('proposal-closed').waitFor({ timeout: PERIOD * 300 + 30_000 })
    expect((await get('/api/proposals')).proposals[0].status).not.toBe('open')
    expect(await card.getByTestId('proposal-closed').innerText()).toBe(`Voting closed at block ${open.closesAt} while this page was open; votes are no longer counted.`)
    expect(await card.getByTestId('vote-yes').count()).toBe(0)
    expect(await card.getByTestId('vote-no').count()).toBe(0)
    expect(await card.getByTestId('proposal-status').innerText()).toMatch(/rejected/)
    expect(await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true)
    await page.screenshot({ path: `${SHOTS}/closed.png`, fullPage: true })
    const { violations } = await new AxeBuilder({ page }).analyze()
    expect(violations.filter(v => v.impact === 'serious' || v.impact === 'critical').map(v => v.id)).toEqual([])
  }, 180_000)
})
