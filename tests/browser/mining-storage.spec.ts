/**
 * Mining end to end on the storage subnet, with the real relay and real headless Chromium: three
 * miner tabs pick storage with different quotas — room for all 8 assigned shards, for 4, for 2 —
 * fetch their shards from the subnet's bundle, store their replicas and register; two validators
 * (`npm run validator`, and the validator page opened by the test) assign, challenge one leaf per
 * round with a deadline, and set weights by Wilson × bytes held every epoch. A fifth tab, only
 * browsing, shows on the storage subnet's page each validator's gossiped report — every miner's
 * bytes held and challenges passed, the figures the validator's book logged for that round. After
 * three paid epochs the tab that holds everything has earned the most and every tab's light client
 * agrees with the relay; then a miner tab is closed and the epochs go on without it.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import AxeBuilder from '@axe-core/playwright'
import type { Page } from 'playwright-core'
import { afterAll, describe, expect, it } from 'vitest'
import { toAddress } from '../../src/core/address.ts'
import { chainIdOf, type GenesisSpec } from '../../src/core/genesis.ts'
import { keypairFromLabel } from '../../src/core/keys.ts'
import { faucetKey } from '../../relay/identity.ts'
import { formatBytes } from '../../src/participant/format.ts'
import { launchBrowser, type LaunchedBrowser } from '../helpers/browser.ts'
import {
  earnedOverThreeEpochs, epochsGoOnWithoutOne, everyTabAgrees, openMiner, openValidatorTab, startValidatorCli, until,
  type MinerTab, type MiningRun, type ValidatorCli
} from '../helpers/mining.ts'
import { NodeClient } from '../helpers/node-client.ts'
import { buildPage, startRelayProcess, type RelayProcess } from '../helpers/relay.ts'

const TOKEN = 1_000_000_000n
const TEMPO = 20
const BLOCK_MS = 500
const producer = keypairFromLabel('mining-storage-e2e/producer')
const spec: GenesisSpec = {
  chain: 'mining-storage-e2e',
  time: Date.now(),
  producer: producer.publicKey,
  balances: [{ key: faucetKey(producer).publicKey, amount: 1_000_000n * TOKEN }],
  subnets: [{ name: 'storage', owner: producer.publicKey, params: { tempo: BigInt(TEMPO), maxRegistrationsPerBlock: 8n, immunityPeriod: 10_000n, commitRevealPeriod: 2n } }],
  params: {}
}

/** Quotas in MiB: each miner is assigned 8 shards of 256 KiB (2 MiB). */
const MINERS = [
  { name: 'all', quotaMiB: 4 },
  { name: 'half', quotaMiB: 1 },
  { name: 'quarter', quotaMiB: 0.5 }
]
const SHOTS = 'test-results/mining-storage'

interface Holding { uid: number, bytes: number, passes: number, trials: number }

/** The figures a validator logged for `round` ("uid 1 2097152 B held, 5/6 passed; …"), or undefined before it did. */
function loggedReport (log: string, round: number): Holding[] | undefined {
  const line = log.split('\n').find(l => l.includes(`[validator] round ${round} storage: `))
  return line?.split(' storage: ')[1]!.split('; ').map(part => {
    const [, uid, bytes, passes, trials] = part.match(/^uid (\d+) (\d+) B held, (\d+)\/(\d+) passed$/)!.map(Number)
    return { uid: uid!, bytes: bytes!, passes: passes!, trials: trials! }
  })
}

/** One validator's report as the page shows it, read in one turn of the page. */
async function shownReport (page: Page, validator: Uint8Array): Promise<{ round: number, rows: Holding[], text: string }> {
  return await page.locator(`[data-testid="storage-report"][data-validator="${toAddress(validator)}"]`).evaluate(table => ({
    round: Number(table.getAttribute('data-round')),
    rows: [...table.querySelectorAll<HTMLElement>('[data-testid="storage-report-row"]')].map(r => ({
      uid: Number(r.dataset.uid), bytes: Number(r.dataset.bytes), passes: Number(r.dataset.passes), trials: Number(r.dataset.trials)
    })),
    text: (table as HTMLElement).innerText
  }))
}

describe('mining the storage subnet end to end', () => {
  let relay: RelayProcess | undefined
  const miners: MinerTab[] = []
  let second: Awaited<ReturnType<typeof openValidatorTab>> | undefined
  let cli: ValidatorCli | undefined
  let viewer: LaunchedBrowser | undefined
  const scratch = mkdtempSync(join(tmpdir(), 'tabtensor-mining-storage-'))
  afterAll(async () => {
    await cli?.stop()
    await Promise.all(miners.map(async m => { await m.browser.close() }))
    await second?.browser.close()
    await viewer?.close()
    await relay?.dispose()
    rmSync(scratch, { recursive: true, force: true })
  })

  it('pays the tab that holds all its shards more than those that dropped some, and every tab agrees with the relay', async () => {
    relay = await startRelayProcess({ genesis: { spec, producer }, staticDir: buildPage(), blockTimeMs: BLOCK_MS })
    const client = new NodeClient(relay.url, chainIdOf(spec))
    const metagraph = async (): Promise<any> => await client.get('/api/subnets/1')

    for (const m of MINERS) miners.push(await openMiner(`${relay.url}/`, m.name, { subnet: 'storage', quotaMiB: m.quotaMiB }))
    expect(new Set(miners.map(m => m.uid)).size).toBe(3)
    const held = await Promise.all(miners.map(async m => {
      const holding = m.page.getByTestId('miner-holding')
      await holding.waitFor({ timeout: 120_000 })
      return await holding.innerText()
    }))
    expect(held.map(h => h.split(' ')[0])).toEqual(['8', '4', '2'])

    cli = startValidatorCli(relay.url, 'storage', scratch)
    second = await openValidatorTab(relay.url, 'storage')
    const output = cli.output

    await until('a passed challenge', async () => /uid \d+: score 1\.000/.test(output()), 300_000)

    // Someone only browsing: the storage subnet's page hears both validators' reports on gossip.
    mkdirSync(SHOTS, { recursive: true })
    viewer = await launchBrowser({ webrtc: true, contextOptions: { viewport: { width: 1280, height: 900 } } })
    const page = await viewer.context.newPage()
    const viewerErrors: string[] = []
    page.on('pageerror', err => { viewerErrors.push(err.message) })
    await page.goto(`${relay.url}/#/subnets/1`)
    const validators = [{ hotkey: cli.hotkey, log: output }, { hotkey: second.hotkey, log: () => second!.logs.join('\n') }]
    const uids = miners.map(m => m.uid).sort((a, b) => a - b)
    for (const v of validators) {
      // Until the epoch gives the other validator its permit, it is challenged (and reported) like
      // a miner. The report is read once, in one turn, and that reading is checked: a newer one
      // can replace it on the page at any time.
      let reading: Awaited<ReturnType<typeof shownReport>> | undefined
      await until('a report of exactly the three miners on the page', async () => {
        if ((await page.locator(`[data-testid="storage-report"][data-validator="${toAddress(v.hotkey)}"]`).count()) === 0) return false
        reading = await shownReport(page, v.hotkey)
        return JSON.stringify(reading.rows.map(r => r.uid)) === JSON.stringify(uids)
      }, 180_000)
      if (reading === undefined) throw new Error('no report was read')
      const shown = reading
      await until(`the validator's log of round ${shown.round}`, async () => loggedReport(v.log(), shown.round) !== undefined, 10_000)
      expect(shown.rows).toEqual(loggedReport(v.log(), shown.round))
      expect(shown.rows.map(r => r.uid)).toEqual(uids)
      for (const r of shown.rows) {
        expect(shown.text).toContain(formatBytes(r.bytes))
        if (r.trials > 0) expect(shown.text).toContain(`${r.passes} of ${r.trials} (${Math.round(100 * r.passes / r.trials)} %)`)
      }
    }
    const uidOf = new Map((await metagraph()).neurons.map((n: { hotkey: string, uid: number }) => [n.hotkey, n.uid]))
    await expect(page.locator(`[data-testid="storage-report"][data-validator="${toAddress(cli.hotkey)}"] caption`).innerText())
      .resolves.toContain(`validator uid ${uidOf.get(toAddress(cli.hotkey))}`)
    expect(await page.getByTestId('storage-reports-empty').count()).toBe(0)
    await page.getByTestId('subnet-work').scrollIntoViewIfNeeded()
    await page.screenshot({ path: `${SHOTS}/subnet-reports-desktop-light.png`, fullPage: true })
    const { violations } = await new AxeBuilder({ page }).analyze()
    expect(violations.filter(v => v.impact === 'serious' || v.impact === 'critical').map(v => `${v.id}: ${v.nodes.map(n => n.target.join(' ')).join(', ')}`)).toEqual([])
    await page.setViewportSize({ width: 390, height: 844 })
    await page.emulateMedia({ colorScheme: 'dark' })
    await page.getByTestId('subnet-work').scrollIntoViewIfNeeded()
    await page.screenshot({ path: `${SHOTS}/subnet-reports-phone-dark.png`, fullPage: true })
    const dark = await new AxeBuilder({ page }).analyze()
    expect(dark.violations.filter(v => v.impact === 'serious' || v.impact === 'critical').map(v => v.id)).toEqual([])
    expect(viewerErrors).toEqual([])
    const run: MiningRun = { label: 'mining-storage-e2e', client, tempo: TEMPO, cli, second, miners }
    const earned = await earnedOverThreeEpochs(run)
    expect(earned[0]).toBeGreaterThan(earned[1]!)
    expect(earned[1]).toBeGreaterThan(earned[2]!)
    expect(output()).toMatch(/\(NOT_HELD/)

    await everyTabAgrees(run)

    // A miner tab that goes away mid-epoch scores zero for the tasks it misses; the epochs go on.
    await epochsGoOnWithoutOne(run)
  }, 1_200_000)
})
