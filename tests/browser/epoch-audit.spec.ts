import { mkdirSync, rmSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { chainIdOf, type GenesisSpec } from '../../src/core/genesis.ts'
import { keypairFromLabel } from '../../src/core/keys.ts'
import { weightsCommitHash } from '../../src/core/ledger/weights.ts'
import { launchBrowser, type LaunchedBrowser } from '../helpers/browser.ts'
import { NodeClient } from '../helpers/node-client.ts'
import { buildPage, startRelayProcess, type RelayProcess } from '../helpers/relay.ts'

const TOKEN = 1_000_000_000n
const producer = keypairFromLabel('audit-page/producer')
const validator = { cold: keypairFromLabel('audit-page/v'), hot: keypairFromLabel('audit-page/v/hot') }
const miners = [0, 1].map(i => ({ cold: keypairFromLabel(`audit-page/m${i}`), hot: keypairFromLabel(`audit-page/m${i}/hot`) }))
const spec: GenesisSpec = {
  chain: 'audit-page',
  time: 1_700_000_000_000,
  producer: producer.publicKey,
  balances: [validator.cold, ...miners.map(m => m.cold)].map(k => ({ key: k.publicKey, amount: 100n * TOKEN })),
  subnets: [{ name: 'folding', owner: producer.publicKey, params: { tempo: 8n, maxRegistrationsPerBlock: 8n, commitRevealPeriod: 2n } }],
  params: {}
}
const SALT = new Uint8Array(32).fill(3)

describe('the page audits epochs itself', () => {
  let relay: RelayProcess
  let staticDir: string
  let browser: LaunchedBrowser
  beforeAll(async () => {
    staticDir = buildPage()
    relay = await startRelayProcess({ staticDir, genesis: { spec, producer }, blockTimeMs: 100 })
    browser = await launchBrowser()
  })
  afterAll(async () => {
    await browser?.close()
    await relay?.dispose()
    rmSync(staticDir, { recursive: true, force: true })
  })

  it('shows each paying epoch as verified by its own recomputation', async () => {
    const client = new NodeClient(relay.url, chainIdOf(spec))
    for (const { cold, hot } of [validator, ...miners]) await client.send(cold, { kind: 'register_burn', netuid: 1, hotkey: hot.publicKey, maxBurn: 10n * TOKEN })
    await client.send(validator.cold, { kind: 'add_stake', hotkey: validator.hot.publicKey, amount: 50n * TOKEN })
    await client.nextEpoch(1)
    await client.send(validator.hot, { kind: 'commit_weights', netuid: 1, commit: weightsCommitHash(1, validator.hot.publicKey, [1, 2], [3, 1], SALT) })
    await client.nextEpoch(1)
    await client.send(validator.hot, { kind: 'reveal_weights', netuid: 1, uids: [1, 2], weights: [3, 1], salt: SALT })
    const paying = await client.nextEpoch(1)

    const page = await browser.context.newPage()
    const errors: string[] = []
    page.on('pageerror', err => errors.push(err.message))
    await page.goto(relay.url)
    const verified = page.locator(`[data-testid="epoch-verdict"][data-netuid="1"][data-height="${paying}"]`)
    await verified.waitFor({ timeout: 60_000 })
    await expect(verified.getAttribute('data-status')).resolves.toBe('verified')
    await expect(page.locator('[data-testid="epoch-verdict"][data-status="mismatch"]').count()).resolves.toBe(0)
    mkdirSync('test-results', { recursive: true })
    await page.screenshot({ path: 'test-results/epoch-audits.png', fullPage: true })
    expect(errors).toEqual([])
  })
})
