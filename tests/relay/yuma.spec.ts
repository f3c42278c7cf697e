import { afterAll, describe, expect, it } from 'vitest'
import { toAddress } from '../../src/core/address.ts'
import { auditEpoch } from '../../src/core/audit.ts'
import { decodeBlock } from '../../src/core/block.ts'
import { Chain } from '../../src/core/chain.ts'
import { chainIdOf, type GenesisSpec } from '../../src/core/genesis.ts'
import { toHex } from '../../src/core/hash.ts'
import { keypairFromLabel, type Keypair } from '../../src/core/keys.ts'
import { K, account, amountAt } from '../../src/core/ledger/schema.ts'
import { weightsCommitHash } from '../../src/core/ledger/weights.ts'
import { decodeStateProof } from '../../src/core/light-client.ts'
import { NodeClient } from '../helpers/node-client.ts'
import { startRelayProcess, type RelayProcess } from '../helpers/relay.ts'

const TOKEN = 1_000_000_000n
const TEMPO = 12
const producer = keypairFromLabel('yuma-e2e/producer')
const owner = keypairFromLabel('yuma-e2e/owner')
const validators = [0, 1, 2].map(i => ({ cold: keypairFromLabel(`yuma-e2e/v${i}`), hot: keypairFromLabel(`yuma-e2e/v${i}/hot`) }))
const miners = [0, 1, 2, 3, 4].map(i => ({ cold: keypairFromLabel(`yuma-e2e/m${i}`), hot: keypairFromLabel(`yuma-e2e/m${i}/hot`) }))
const everyone = [owner, ...validators.flatMap(v => [v.cold, v.hot]), ...miners.flatMap(m => [m.cold, m.hot])]
const spec: GenesisSpec = {
  chain: 'yuma-e2e',
  time: 1_700_000_000_000,
  producer: producer.publicKey,
  balances: [owner, ...validators.map(v => v.cold), ...miners.map(m => m.cold)].map(k => ({ key: k.publicKey, amount: 1_000n * TOKEN })),
  subnets: [{ name: 'folding', owner: owner.publicKey, params: { tempo: BigInt(TEMPO), maxRegistrationsPerBlock: 16n, immunityPeriod: 10_000n, commitRevealPeriod: 2n } }],
  params: {}
}
const chainId = chainIdOf(spec)
const SALT = new Uint8Array(32).fill(9)
/** Each validator's view of the five miners: they agree that miners 0 and 1 are best. */
const OPINIONS = [[60_000, 40_000, 10_000, 5_000, 1], [55_000, 45_000, 8_000, 8_000, 1], [65_000, 30_000, 20_000, 1, 1]]
const MINER_UIDS = [3, 4, 5, 6, 7]

describe('Yuma epochs on the real relay', () => {
  let relay: RelayProcess
  afterAll(async () => { await relay?.dispose() })

  let client: NodeClient
  const get = async (path: string) => await client.get(path)
  const height = async (): Promise<number> => (await get('/api/health')).height
  const send = async (key: Keypair, fields: Record<string, unknown>) => await client.send(key, fields)
  const waitFor = async (what: string, done: () => Promise<boolean>) => await client.waitFor(what, done)
  const nextEpoch = async () => await client.nextEpoch(1)

  it('pays 3 validators and 5 miners over 3 tempos exactly as an independent replay of the blocks computes', async () => {
    relay = await startRelayProcess({ genesis: { spec, producer }, blockTimeMs: 60 })
    client = new NodeClient(relay.url, chainId)
    for (const { cold, hot } of [...validators, ...miners]) await send(cold, { kind: 'register_burn', netuid: 1, hotkey: hot.publicKey, maxBurn: 10n * TOKEN })
    await waitFor('registrations', async () => (await get('/api/subnets/1')).n === 8)
    for (const [i, { cold, hot }] of validators.entries()) await send(cold, { kind: 'add_stake', hotkey: hot.publicKey, amount: BigInt(100 + 50 * i) * TOKEN })
    await nextEpoch()
    const permits = (await get('/api/subnets/1')).neurons.map((n: { validatorPermit: boolean }) => n.validatorPermit)
    expect(permits).toEqual([true, true, true, false, false, false, false, false])

    for (const [i, { hot }] of validators.entries()) {
      await send(hot, { kind: 'commit_weights', netuid: 1, commit: weightsCommitHash(1, hot.publicKey, MINER_UIDS, OPINIONS[i]!, SALT) })
    }
    await nextEpoch()
    for (const [i, { hot }] of validators.entries()) {
      await send(hot, { kind: 'reveal_weights', netuid: 1, uids: MINER_UIDS, weights: OPINIONS[i]!, salt: SALT })
    }
    const paid: number[] = []
    for (let t = 0; t < 3; t++) paid.push(await nextEpoch())
    await waitFor('a block after the last epoch', async () => (await height()) > paid[2]!)

    // Replay every block in this process, from genesis, with no help from the relay's state.
    const head = await height()
    const replica = new Chain(spec)
    const syncReplica = async (to: number): Promise<void> => {
      for (let h = replica.height + 1; h <= to; h++) {
        const res = await fetch(`${relay.url}/api/blocks/${h}`, { headers: { accept: 'application/cbor' } })
        replica.applyBlock(decodeBlock(new Uint8Array(await res.arrayBuffer())))
      }
    }
    await syncReplica(head)
    expect(toHex(replica.state.root)).toBe((await get(`/api/blocks/${head}`)).stateRoot)
    for (const key of everyone) {
      const reported = await get(`/api/accounts/${toAddress(key.publicKey)}`)
      if (reported.height !== head) continue
      expect(reported.balance).toBe(account(replica.state, key.publicKey).balance.toString())
      expect(reported.stake).toBe(amountAt(replica.state, K.coldkeyStake(key.publicKey)).toString())
    }

    // The better miners earned more, and each epoch's record adds up to what it had to pay.
    const metagraph = await get('/api/subnets/1')
    const incentive = MINER_UIDS.map(uid => metagraph.neurons[uid].incentive)
    expect(incentive[0]).toBeGreaterThan(incentive[2])
    expect(incentive[1]).toBeGreaterThan(incentive[3])
    const epochs = (await get('/api/epochs/1')).epochs
    for (const h of paid) {
      const e = epochs.find((x: { height: number }) => x.height === h)
      expect(BigInt(e.emission)).toBeGreaterThan(0n)

      // And a tab's audit, from the relay's proofs against headers it checks itself, agrees.
      const evidence = await get(`/api/epochs/1/${h}`)
      await syncReplica(evidence.recordHeight)
      expect(auditEpoch({
        netuid: 1, height: h,
        inputs: evidence.inputs.map(decodeStateProof),
        preRoot: replica.header(evidence.preHeight)!.header.stateRoot,
        record: decodeStateProof(evidence.record),
        recordRoot: replica.header(evidence.recordHeight)!.header.stateRoot
      })).toEqual({ ok: true })
    }
  })
})
