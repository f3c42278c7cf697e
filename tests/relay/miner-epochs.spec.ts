/**
 * `GET /api/epochs/:netuid/miners/:hotkey` on the real relay: a validator weighs three miners,
 * and each miner's per-epoch figures must add up to what its coldkey was paid and order the
 * miners as the validator's weights do.
 */
import { afterAll, describe, expect, it } from 'vitest'
import { toAddress } from '../../src/core/address.ts'
import { chainIdOf, type GenesisSpec } from '../../src/core/genesis.ts'
import { keypairFromLabel } from '../../src/core/keys.ts'
import { weightsCommitHash } from '../../src/core/ledger/weights.ts'
import { NodeClient } from '../helpers/node-client.ts'
import { startRelayProcess, type RelayProcess } from '../helpers/relay.ts'

const TOKEN = 1_000_000_000n
const TEMPO = 10
const producer = keypairFromLabel('miner-epochs/producer')
const validator = { cold: keypairFromLabel('miner-epochs/v'), hot: keypairFromLabel('miner-epochs/v/hot') }
const miners = [0, 1, 2].map(i => ({ cold: keypairFromLabel(`miner-epochs/m${i}`), hot: keypairFromLabel(`miner-epochs/m${i}/hot`) }))
const spec: GenesisSpec = {
  chain: 'miner-epochs',
  time: 1_700_000_000_000,
  producer: producer.publicKey,
  balances: [validator.cold, ...miners.map(m => m.cold)].map(k => ({ key: k.publicKey, amount: 1_000n * TOKEN })),
  subnets: [{ name: 'folding', owner: producer.publicKey, params: { tempo: BigInt(TEMPO), maxRegistrationsPerBlock: 16n, immunityPeriod: 10_000n, commitRevealPeriod: 2n } }],
  params: {}
}
const SALT = new Uint8Array(32).fill(7)
/** Uids 1, 2, 3 (the miners), best first. */
const MINER_UIDS = [1, 2, 3]
const WEIGHTS = [50_000, 30_000, 10_000]

interface Row { height: number, uid: number, sharePpm: number, rank: number, miners: number, miner: string, validator: string, take: string, earned: string }

describe('per-epoch miner figures from the real relay', () => {
  let relay: RelayProcess | undefined
  afterAll(async () => { await relay?.dispose() })

  it('gives each miner its share, rank and earnings per epoch, matching its balance and the weights', async () => {
    relay = await startRelayProcess({ genesis: { spec, producer }, blockTimeMs: 60 })
    const client = new NodeClient(relay.url, chainIdOf(spec))
    const history = async (hotkey: string, query = ''): Promise<Response> => await fetch(`${relay!.url}/api/epochs/1/miners/${hotkey}${query}`)
    for (const { cold, hot } of [validator, ...miners]) await client.send(cold, { kind: 'register_burn', netuid: 1, hotkey: hot.publicKey, maxBurn: 10n * TOKEN })
    await client.waitFor('registrations', async () => (await client.get('/api/subnets/1')).n === 4)
    await client.send(validator.cold, { kind: 'add_stake', hotkey: validator.hot.publicKey, amount: 100n * TOKEN })
    // Before any weights, miners are paid nothing: their balances now are the baseline.
    const before = await Promise.all(miners.map(async m => BigInt((await client.get(`/api/accounts/${toAddress(m.cold.publicKey)}`)).balance)))
    await client.nextEpoch(1)
    await client.send(validator.hot, { kind: 'commit_weights', netuid: 1, commit: weightsCommitHash(1, validator.hot.publicKey, MINER_UIDS, WEIGHTS, SALT) })
    await client.nextEpoch(1)
    await client.send(validator.hot, { kind: 'reveal_weights', netuid: 1, uids: MINER_UIDS, weights: WEIGHTS, salt: SALT })
    await client.nextEpoch(1)
    await client.nextEpoch(1)
    await client.nextEpoch(1)

    const rows: Row[][] = []
    const balances: bigint[] = []
    // Figures and balances read with no epoch in between (nothing else moves the miners' balances).
    const lastEpoch = async (): Promise<number> => (await client.get('/api/subnets/1')).lastEpochBlock
    await client.waitFor('a read between two epochs', async () => {
      const epoch = await lastEpoch()
      rows.length = 0
      balances.length = 0
      for (const m of miners) {
        const res = await history(toAddress(m.hot.publicKey))
        expect(res.status).toBe(200)
        const body = await res.json()
        expect(body).toMatchObject({ netuid: 1, hotkey: toAddress(m.hot.publicKey) })
        rows.push(body.epochs)
        balances.push(BigInt((await client.get(`/api/accounts/${toAddress(m.cold.publicKey)}`)).balance))
      }
      return await lastEpoch() === epoch
    })

    const epochs = (await client.get('/api/epochs/1')).epochs.map((e: { height: number }) => e.height)
    for (const i of miners.keys()) {
      // Every epoch since the miner registered, the newest last.
      expect(rows[i]!.length).toBeGreaterThanOrEqual(5)
      expect(rows[i]!.map(r => r.height)).toEqual(epochs.slice(-rows[i]!.length))
      expect(rows[i]!.every(r => r.uid === MINER_UIDS[i])).toBe(true)
      // Every base unit the coldkey gained since registering is an epoch's `earned`.
      const earned = rows[i]!.reduce((sum, r) => sum + BigInt(r.earned), 0n)
      expect(earned).toBe(balances[i]! - before[i]!)
      expect(earned).toBeGreaterThan(0n)
      for (const r of rows[i]!) expect(BigInt(r.earned)).toBe(BigInt(r.miner) + BigInt(r.take))
    }
    // In a paid epoch the ranks follow the weights, and the shares sum to one (less rounding).
    const last = rows.map(r => r.at(-1)!)
    expect(last.map(r => r.rank)).toEqual([1, 2, 3])
    expect(last.every(r => r.miners === 3)).toBe(true)
    expect(last[0]!.sharePpm).toBeGreaterThan(last[1]!.sharePpm)
    expect(last[1]!.sharePpm).toBeGreaterThan(last[2]!.sharePpm)
    expect(last.reduce((s, r) => s + r.sharePpm, 0)).toBeGreaterThanOrEqual(999_997)
    // The share is the incentive the metagraph shows for the last epoch (a u16 fraction).
    const metagraph = await client.get('/api/subnets/1')
    for (const [i, uid] of MINER_UIDS.entries()) {
      expect(Math.abs(last[i]!.sharePpm / 1e6 - metagraph.neurons[uid].incentive / 65535)).toBeLessThan(1e-3)
    }
    // The first epochs, before the reveal, paid the miners nothing.
    expect(rows[0]![0]!).toMatchObject({ sharePpm: 0, earned: '0' })

    // The limit keeps the newest epochs; bad requests get stable codes.
    const newest = await (await history(toAddress(miners[0]!.hot.publicKey), '?limit=2')).json()
    expect(newest.epochs.map((e: Row) => e.height)).toEqual(epochs.slice(-2))
    for (const query of ['?limit=0', '?limit=17', '?limit=x']) {
      const res = await history(toAddress(miners[0]!.hot.publicKey), query)
      expect(res.status).toBe(400)
      expect((await res.json()).error).toBe('BAD_LIMIT')
    }
    expect((await (await history('nope')).json()).error).toBe('BAD_ADDRESS')
    const unknown = await fetch(`${relay.url}/api/epochs/9/miners/${toAddress(miners[0]!.hot.publicKey)}`)
    expect(unknown.status).toBe(404)
    expect((await unknown.json()).error).toBe('UNKNOWN_SUBNET')
    const stranger = await (await history(toAddress(producer.publicKey))).json()
    expect(stranger.epochs).toEqual([])
  }, 120_000)
})
