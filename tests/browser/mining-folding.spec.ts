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
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { fromAddress, toAddress } from '../../src/core/address.ts'
import { chainIdOf, type GenesisSpec } from '../../src/core/genesis.ts'
import { keypairFromLabel, newMnemonic, walletFromMnemonic } from '../../src/core/keys.ts'
import { equalBytes } from '../../src/core/hash.ts'
import type { FoldingSolverOptions } from '../../src/participant/agent/folding-solver.ts'
import { faucetKey } from '../../relay/identity.ts'
import { openMiner, openValidatorTab, until, type MinerTab } from '../helpers/mining.ts'
import { NodeClient } from '../helpers/node-client.ts'
import { buildPage, startRelayProcess, type RelayProcess } from '../helpers/relay.ts'

const ROOT = resolve(import.meta.dirname, '../..')
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
  let cli: ChildProcess | undefined
  let output = ''
  const scratch = mkdtempSync(join(tmpdir(), 'tabtensor-mining-'))
  afterAll(async () => {
    if (cli !== undefined && cli.exitCode === null) {
      cli.kill('SIGINT')
      await new Promise(r => setTimeout(r, 3_000))
      if (cli.exitCode === null) cli.kill('SIGKILL')
    }
    await Promise.all(miners.map(async m => { await m.browser.close() }))
    await second?.browser.close()
    await relay?.dispose()
    rmSync(scratch, { recursive: true, force: true })
  })

  it('pays better folders more, and every tab agrees with the relay', async () => {
    relay = await startRelayProcess({ genesis: { spec, producer }, staticDir: buildPage(), blockTimeMs: BLOCK_MS })
    const client = new NodeClient(relay.url, chainIdOf(spec))
    const metagraph = async (): Promise<any> => await client.get('/api/subnets/1')

    for (const m of MINERS) miners.push(await openMiner(`${relay.url}/`, m.name, { subnet: 'folding', hook: m.solver }))
    expect(new Set(miners.map(m => m.uid)).size).toBe(3)

    const mnemonic = newMnemonic()
    const validatorHotkey = walletFromMnemonic(mnemonic).hotkey(0).publicKey
    const keyFile = join(scratch, 'validator.key')
    writeFileSync(keyFile, JSON.stringify({ mnemonic, hotkey: 0 }), { mode: 0o600 })
    cli = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts/validator.ts'), '--key', keyFile, '--relay', relay.url, '--subnet', 'folding'], {
      cwd: ROOT, env: { ...process.env, TABTENSOR_HOME: join(scratch, 'home') }, stdio: ['ignore', 'pipe', 'pipe']
    })
    cli.stdout!.on('data', (d: Buffer) => { output += d.toString() })
    cli.stderr!.on('data', (d: Buffer) => { output += d.toString() })
    second = await openValidatorTab(relay.url, 'folding')

    // The validator scores every miner, then its weights are revealed on the ledger.
    await until('a scored round', async () => /round 1 uid \d+: score/.test(output), 240_000)
    await until('a reveal', async () => /revealed weights/.test(output), 240_000)
    const revealedAt = (await metagraph()).lastEpochBlock
    await until('three paid epochs after the reveal', async () => (await metagraph()).lastEpochBlock >= revealedAt + 3 * TEMPO, 240_000)

    const mg = await metagraph()
    const v = mg.neurons.find((n: { hotkey: string }) => equalBytes(fromAddress(n.hotkey), validatorHotkey))
    const v2 = mg.neurons.find((n: { hotkey: string }) => equalBytes(fromAddress(n.hotkey), second!.hotkey))
    expect(v.validatorPermit).toBe(true)
    expect(v2.validatorPermit).toBe(true)
    expect(second.logs.some(l => /revealed weights/.test(l))).toBe(true)
    expect(second.errors).toEqual([])
    const earned = await Promise.all(miners.map(async m => BigInt((await client.get(`/api/accounts/${m.coldkey}`)).balance)))
    const incentive = miners.map(m => mg.neurons[m.uid].incentive as number)
    console.log(`[mining-e2e] epochs ${revealedAt}..${mg.lastEpochBlock}; earned (base units) ${MINERS.map((m, i) => `${m.name}=${earned[i]}`).join(' ')}; incentive ${incentive.join(' ')}`)
    console.log(output.split('\n').filter(l => /round \d+ uid/.test(l)).slice(-6).join('\n'))
    expect(earned[0]).toBeGreaterThan(earned[2]!)
    expect(earned[1]).toBeGreaterThan(earned[2]!)
    expect(earned[0]).toBeGreaterThan(0n)

    // Every miner tab saw a score, and its light client verified the relay's head.
    for (const m of miners) {
      await m.page.locator('[data-testid="miner-last-score"]:not([data-score=""])').waitFor({ timeout: 60_000 })
      await m.page.getByTestId('verified').waitFor({ timeout: 60_000 })
      const height = Number(await m.page.getByTestId('head-height').getAttribute('data-height'))
      const hash = await m.page.getByTestId('head-hash').getAttribute('title')
      expect(hash).toBe((await client.get(`/api/blocks/${height}`)).hash)
      await m.page.getByTestId('balance-verified').waitFor({ timeout: 60_000 })
      expect(m.errors).toEqual([])
    }
    expect(output).toMatch(/\[validator\] head \d+ verified/)
    expect(output).not.toMatch(/did NOT verify/)
    expect(toAddress(validatorHotkey)).toBe(v.hotkey)

    // A miner tab that goes away mid-epoch scores zero for its missed tasks; the epochs go on.
    const weak = miners.pop()!
    await weak.browser.close()
    const lastEpoch = (await metagraph()).lastEpochBlock
    const missed = new RegExp(`uid ${weak.uid}: score 0\\.000, moving [0-9.]+ \\((UNREACHABLE|LATE)`)
    await until('a round that misses the closed miner', async () => missed.test(output), 120_000)
    await until('the next epoch', async () => (await metagraph()).lastEpochBlock > lastEpoch, 120_000)
  }, 900_000)
})
