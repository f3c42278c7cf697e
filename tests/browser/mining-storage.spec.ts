/**
 * Mining end to end on the storage subnet, with the real relay and real headless Chromium: three
 * miner tabs pick storage with different quotas — room for all 8 assigned shards, for 4, for 2 —
 * fetch their shards from the subnet's bundle, store their replicas and register; two validators
 * (`npm run validator`, and the validator page opened by the test) assign, challenge one leaf per
 * round with a deadline, and set weights by Wilson × bytes held every epoch. After three paid
 * epochs the tab that holds everything has earned the most and every tab's light client agrees
 * with the relay; then a miner tab is closed and the epochs go on without it.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { fromAddress } from '../../src/core/address.ts'
import { chainIdOf, type GenesisSpec } from '../../src/core/genesis.ts'
import { equalBytes } from '../../src/core/hash.ts'
import { keypairFromLabel } from '../../src/core/keys.ts'
import { faucetKey } from '../../relay/identity.ts'
import { checkMinerTab, openMiner, openValidatorTab, startValidatorCli, until, type MinerTab, type ValidatorCli } from '../helpers/mining.ts'
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

describe('mining the storage subnet end to end', () => {
  let relay: RelayProcess | undefined
  const miners: MinerTab[] = []
  let second: Awaited<ReturnType<typeof openValidatorTab>> | undefined
  let cli: ValidatorCli | undefined
  const scratch = mkdtempSync(join(tmpdir(), 'tabtensor-mining-storage-'))
  afterAll(async () => {
    await cli?.stop()
    await Promise.all(miners.map(async m => { await m.browser.close() }))
    await second?.browser.close()
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
    await until('a reveal', async () => /revealed weights/.test(output()), 240_000)
    const revealedAt = (await metagraph()).lastEpochBlock
    await until('three paid epochs after the reveal', async () => (await metagraph()).lastEpochBlock >= revealedAt + 3 * TEMPO, 240_000)

    const mg = await metagraph()
    for (const hotkey of [cli.hotkey, second.hotkey]) {
      expect(mg.neurons.find((n: { hotkey: string }) => equalBytes(fromAddress(n.hotkey), hotkey)).validatorPermit).toBe(true)
    }
    expect(second.logs.some(l => /revealed weights/.test(l))).toBe(true)
    expect(second.errors).toEqual([])
    const earned = await Promise.all(miners.map(async m => BigInt((await client.get(`/api/accounts/${m.coldkey}`)).balance)))
    const incentive = miners.map(m => mg.neurons[m.uid].incentive as number)
    console.log(`[mining-storage-e2e] epochs ${revealedAt}..${mg.lastEpochBlock}; earned (base units) ${MINERS.map((m, i) => `${m.name}=${earned[i]}`).join(' ')}; incentive ${incentive.join(' ')}`)
    console.log(output().split('\n').filter(l => /round \d+ uid/.test(l)).slice(-6).join('\n'))
    expect(earned[0]).toBeGreaterThan(earned[1]!)
    expect(earned[1]).toBeGreaterThan(earned[2]!)
    expect(output()).toMatch(/\(NOT_HELD/)

    for (const m of miners) {
      await checkMinerTab(m, async height => (await client.get(`/api/blocks/${height}`)).hash)
      expect(m.errors).toEqual([])
    }
    expect(output()).toMatch(/\[validator\] head \d+ verified/)
    expect(output()).not.toMatch(/did NOT verify/)

    const gone = miners.pop()!
    await gone.browser.close()
    const lastEpoch = (await metagraph()).lastEpochBlock
    const missed = new RegExp(`uid ${gone.uid}: score 0\\.000, moving [0-9.]+ \\((UNREACHABLE|LATE)`)
    await until('a round that misses the closed miner', async () => missed.test(output()), 120_000)
    await until('the next epoch', async () => (await metagraph()).lastEpochBlock > lastEpoch, 120_000)
  }, 1_200_000)
})
