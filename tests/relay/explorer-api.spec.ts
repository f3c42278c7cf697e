import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { toAddress } from '../../src/core/address.ts'
import { chainIdOf, type GenesisSpec } from '../../src/core/genesis.ts'
import { keypairFromLabel, type Keypair } from '../../src/core/keys.ts'
import { signTx, type TxBody } from '../../src/core/tx.ts'
import { startRelayProcess, type RelayProcess } from '../helpers/relay.ts'

const TOKEN = 1_000_000_000n
const producer = keypairFromLabel('explorer-api/producer')
const alice = keypairFromLabel('explorer-api/alice')
const bob = keypairFromLabel('explorer-api/bob')
const validator = keypairFromLabel('explorer-api/validator-hotkey')
const spec: GenesisSpec = {
  chain: 'explorer-api-test',
  time: 1_700_000_000_000,
  producer: producer.publicKey,
  balances: [{ key: alice.publicKey, amount: 1000n * TOKEN }, { key: bob.publicKey, amount: 1000n * TOKEN }],
  subnets: [{ name: 'folding', owner: producer.publicKey, params: {} }, { name: 'prices', owner: producer.publicKey, params: {} }],
  params: { proposalPeriod: 1000n }
}
const chainId = chainIdOf(spec)

type Fields = TxBody extends infer B ? B extends TxBody ? Omit<B, 'from' | 'nonce'> : never : never

describe('the relay API for the explorer and governance pages', () => {
  let relay: RelayProcess
  beforeAll(async () => { relay = await startRelayProcess({ genesis: { spec, producer }, blockTimeMs: 100 }) })
  afterAll(async () => { await relay.dispose() })

  const get = async (path: string) => await (await fetch(relay.url + path)).json()

  /** Signs and posts `fields` from `key`, then waits until a block includes it. */
  async function send (key: Keypair, fields: Fields): Promise<void> {
    const address = toAddress(key.publicKey)
    const { pendingNonce } = await get(`/api/accounts/${address}`)
    const tx = signTx({ ...fields, from: key.publicKey, nonce: pendingNonce } as TxBody, key, chainId)
    const res = await fetch(`${relay.url}/api/tx`, { method: 'POST', headers: { 'content-type': 'application/cbor' }, body: Buffer.from(tx.bytes) })
    expect(res.status, JSON.stringify(await res.clone().json())).toBe(200)
    for (let i = 0; i < 100 && (await get(`/api/accounts/${address}`)).nonce <= pendingNonce; i++) await new Promise(r => setTimeout(r, 50))
  }

  it('lists where a coldkey staked: hotkey, amount and the subnets it serves', async () => {
    await send(alice, { kind: 'register_burn', netuid: 1, hotkey: validator.publicKey, maxBurn: 10n * TOKEN })
    await send(alice, { kind: 'register_burn', netuid: 2, hotkey: validator.publicKey, maxBurn: 10n * TOKEN })
    await send(bob, { kind: 'add_stake', hotkey: validator.publicKey, amount: 5n * TOKEN })

    const stakes = await get(`/api/accounts/${toAddress(bob.publicKey)}/stakes`)
    expect(stakes.total).toBe(String(5n * TOKEN))
    expect(stakes.stakes).toEqual([{
      hotkey: toAddress(validator.publicKey),
      amount: String(5n * TOKEN),
      subnets: [{ netuid: 1, uid: 0 }, { netuid: 2, uid: 0 }]
    }])
    const none = await get(`/api/accounts/${toAddress(producer.publicKey)}/stakes`)
    expect(none).toMatchObject({ total: '0', stakes: [] })
    expect((await fetch(`${relay.url}/api/accounts/nope/stakes`)).status).toBe(400)
  })

  it('shows each vote of an open proposal with its voter\'s stake, and the rules that decide it', async () => {
    await send(bob, { kind: 'propose', netuid: 1, param: 'tempo', value: 50n })
    await send(bob, { kind: 'vote', proposal: 0, approve: true })

    const view = await get('/api/proposals')
    expect(view.totalStake).toBe(String(5n * TOKEN))
    expect(view.params).toEqual({ proposalPeriod: '1000', enactmentDelay: '100', quorumPpm: '100000', proposeMinStake: String(TOKEN) })
    expect(view.proposals).toHaveLength(1)
    expect(view.proposals[0]).toMatchObject({
      id: 0, netuid: 1, param: 'tempo', value: '50', status: 'open', enactAt: null,
      proposer: toAddress(bob.publicKey),
      votes: [{ voter: toAddress(bob.publicKey), approve: true, stake: String(5n * TOKEN) }]
    })
  })
})
