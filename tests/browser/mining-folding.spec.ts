/**
 * Mining end to end on the folding subnet, with the real relay and real headless Chromium: three
 * miner tabs of different quality (the default solver; a capped pull-move solver; a weak one with
 * local moves only) each create a wallet, agree to mine and register by proof of work; two
 * validators — one started with `npm run validator`, one the same page opened by the test — each
 * register, stake from the faucet, send folding tasks to the miners over direct WebRTC streams,
 * score them and commit, then reveal, weights every epoch. After three paid epochs the better
 * miners have earned more on the ledger and every tab's light client agrees with the relay; then a
 * miner tab is closed and the epochs go on without it.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { chainIdOf, type GenesisSpec } from '../../src/core/genesis.ts'
import { keypairFromLabel } from '../../src/core/keys.ts'
import type { FoldingSolverOptions } from '../../src/participant/agent/folding-solver.ts'
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
const producer = keypairFromLabel('mining-e2e/producer')
const spec: GenesisSpec = {
  chain: 'mining-e2e',
  time: Date.now(),
  producer: producer.publicKey,
  balances: [{ key: faucetKey(producer).publicKey, amount: 1_000_000n * TOKEN }],
  subnets: [{ name: 'folding', owner: producer.publicKey, params: { tempo: BigInt(TEMPO), maxRegistrationsPerBlock: 8n, immunityPeriod: 10_000n, commitRevealPeriod: 2n } }],
  params: {}
}

/** Miners from best to worst: the default solver, a capped one, and local moves only. */
const MINERS: Array<{ name: string, solver?: FoldingSolverOptions }> = [
  { name: 'strong' },
  { name: 'medium', solver: { maxStepsPerUnit: 400_000 } },
  { name: 'weak', solver: { moveSet: 'local', maxStepsPerUnit: 100_000 } }
]

describe('mining the folding subnet end to end', () => {
  let relay: RelayProcess | undefined
  const miners: MinerTab[] = []
  let second: Awaited<ReturnType<typeof openValidatorTab>> | undefined
  let cli: ValidatorCli | undefined
  const scratch = mkdtempSync(join(tmpdir(), 'tabtensor-mining-'))
  afterAll(async () => {
    await cli?.stop()
    await Promise.all(miners.map(async m => { await m.browser.close() }))
    await second?.browser.close()
    await relay?.dispose()
    rmSync(scratch, { recursive: true, force: true })
  })

  it('pays better folders more, and every tab agrees with the relay', async () => {
    relay = await startRelayProcess({ genesis: { spec, producer }, staticDir: buildPage(), blockTimeMs: BLOCK_MS })
    const client = new NodeClient(relay.url, chainIdOf(spec))

    for (const m of MINERS) miners.push(await openMiner(`${relay.url}/`, m.name, { subnet: 'folding', hook: m.solver }))
    expect(new Set(miners.map(m => m.uid)).size).toBe(3)

    cli = startValidatorCli(relay.url, 'folding', scratch)
    second = await openValidatorTab(relay.url, 'folding')

    // The validator scores every miner, then its weights are revealed on the ledger.
    await until('a scored round', async () => /round 1 uid \d+: score/.test(cli!.output()), 240_000)
    const run: MiningRun = { label: 'mining-e2e', client, tempo: TEMPO, cli, second, miners }
    const earned = await earnedOverThreeEpochs(run)
    expect(earned[0]).toBeGreaterThan(earned[2]!)
    expect(earned[1]).toBeGreaterThan(earned[2]!)
    expect(earned[0]).toBeGreaterThan(0n)

    // Every miner tab saw a score, and its light client verified the relay's head.
    await everyTabAgrees(run)

    // A miner tab that goes away mid-epoch scores zero for its missed tasks; the epochs go on.
    await epochsGoOnWithoutOne(run)
  }, 900_000)
})
