/**
 * Mining end to end on the prices subnet, with the real relay (its replay feed walking one day a
 * second) and real headless Chromium: three miner tabs — the baseline model from the subnet's
 * bundle, and two test-only forecasters with a constant σ, far too wide and far too narrow — pick
 * prices, agree and register; two validators (`npm run validator`, and the validator page opened
 * by the test) send the feed's latest window, keep the forecasts until the feed reaches their
 * 20-day horizon, score them by CRPS, and commit and reveal weights every epoch. After three paid
 * epochs the baseline has earned the most and every tab's light client agrees with the relay; then
 * a miner tab is closed and the epochs go on without it.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { chainIdOf, type GenesisSpec } from '../../src/core/genesis.ts'
import { keypairFromLabel } from '../../src/core/keys.ts'
import { faucetKey } from '../../relay/identity.ts'
import {
  earnedOverThreeEpochs, epochsGoOnWithoutOne, everyTabAgrees, openMiner, openValidatorTab, startValidatorCli, until,
  type MinerTab, type MiningRun, type ValidatorCli
} from '../helpers/mining.ts'
import { NodeClient } from '../helpers/node-client.ts'
import { buildPage, startRelayProcess, type RelayProcess } from '../helpers/relay.ts'

const TOKEN = 1_000_000_000n
const TEMPO = 20
const BLOCK_MS = 500
const producer = keypairFromLabel('mining-prices-e2e/producer')
const spec: GenesisSpec = {
  chain: 'mining-prices-e2e',
  time: Date.now(),
  producer: producer.publicKey,
  balances: [{ key: faucetKey(producer).publicKey, amount: 1_000_000n * TOKEN }],
  subnets: [{ name: 'prices', owner: producer.publicKey, params: { tempo: BigInt(TEMPO), maxRegistrationsPerBlock: 8n, immunityPeriod: 10_000n, commitRevealPeriod: 2n } }],
  params: {}
}

/** The baseline first; the others forecast N(0, σ²h) with a σ that ignores the window. */
const MINERS = [
  { name: 'baseline' },
  { name: 'wide', hook: { constantSigma: 0.03 } },
  { name: 'narrow', hook: { constantSigma: 0.0003 } }
]

describe('mining the prices subnet end to end', () => {
  let relay: RelayProcess | undefined
  const miners: MinerTab[] = []
  let second: Awaited<ReturnType<typeof openValidatorTab>> | undefined
  let cli: ValidatorCli | undefined
  const scratch = mkdtempSync(join(tmpdir(), 'tabtensor-mining-prices-'))
  afterAll(async () => {
    await cli?.stop()
    await Promise.all(miners.map(async m => { await m.browser.close() }))
    await second?.browser.close()
    await relay?.dispose()
    rmSync(scratch, { recursive: true, force: true })
  })

  it('pays the baseline model more than worse forecasters, and every tab agrees with the relay', async () => {
    const step = process.env.PRICE_STEP_MS
    process.env.PRICE_STEP_MS = '1000'
    try {
      relay = await startRelayProcess({ genesis: { spec, producer }, staticDir: buildPage(), blockTimeMs: BLOCK_MS })
    } finally {
      if (step === undefined) delete process.env.PRICE_STEP_MS
      else process.env.PRICE_STEP_MS = step
    }
    const client = new NodeClient(relay.url, chainIdOf(spec))

    for (const m of MINERS) miners.push(await openMiner(`${relay.url}/`, m.name, { subnet: 'prices', hook: m.hook }))
    expect(new Set(miners.map(m => m.uid)).size).toBe(3)
    await miners[0]!.page.getByTestId('miner-holding').filter({ hasText: 'baseline model' }).waitFor({ timeout: 120_000 })

    cli = startValidatorCli(relay.url, 'prices', scratch)
    second = await openValidatorTab(relay.url, 'prices')
    const output = cli.output

    // Forecasts are scored once the feed has walked past their horizon, then weights are revealed.
    await until('a scored forecast', async () => /uid \d+: score 0\.\d*[1-9]/.test(output()) || /uid \d+: score 1\.000/.test(output()), 300_000)
    const run: MiningRun = { label: 'mining-prices-e2e', client, tempo: TEMPO, cli, second, miners }
    const earned = await earnedOverThreeEpochs(run)
    expect(earned[0]).toBeGreaterThan(earned[1]!)
    expect(earned[0]).toBeGreaterThan(earned[2]!)

    await everyTabAgrees(run)

    // A miner tab that goes away mid-epoch scores zero for the tasks it misses; the epochs go on.
    await epochsGoOnWithoutOne(run)
  }, 1_200_000)
})
