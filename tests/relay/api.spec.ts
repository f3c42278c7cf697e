import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { toAddress } from '../../src/core/address.ts'
import { encode } from '../../src/core/codec.ts'
import { chainIdOf, type GenesisSpec } from '../../src/core/genesis.ts'
import { keypairFromLabel } from '../../src/core/keys.ts'
import { MAX_TX_BYTES, signTx, type TxBody } from '../../src/core/tx.ts'
import { startRelayProcess, type RelayProcess } from '../helpers/relay.ts'

const producer = keypairFromLabel('api/producer')
const alice = keypairFromLabel('api/alice')
const bob = keypairFromLabel('api/bob')
const spec: GenesisSpec = {
  chain: 'api-test',
  time: 1_700_000_000_000,
  producer: producer.publicKey,
  balances: [{ key: alice.publicKey, amount: 1_000_000_000_000n }],
  subnets: [{ name: 'folding', owner: producer.publicKey, params: {} }],
  params: {}
}
const chainId = chainIdOf(spec)

describe('the relay API', () => {
  let relay: RelayProcess
  beforeAll(async () => { relay = await startRelayProcess({ genesis: { spec, producer }, blockTimeMs: 100 }) })
  afterAll(async () => { await relay.dispose() })

  const post = async (body: Uint8Array | string, type = 'application/cbor') =>
    await fetch(`${relay.url}/api/tx`, { method: 'POST', headers: { 'content-type': type }, body: typeof body === 'string' ? body : Buffer.from(body) })
  const accountOf = async (key: Uint8Array) => await (await fetch(`${relay.url}/api/accounts/${toAddress(key)}`)).json()

  it('answers health, genesis, subnets and a metagraph', async () => {
    const health = await (await fetch(`${relay.url}/api/health`)).json()
    expect(health.ok).toBe(true)
    expect(health.height).toBeGreaterThanOrEqual(0)
    const genesis = await (await fetch(`${relay.url}/api/genesis`)).json()
    expect(genesis.genesis.producer).toBe(toAddress(producer.publicKey))
    const subnets = await (await fetch(`${relay.url}/api/subnets`)).json()
    expect(subnets.subnets.map((s: { name: string }) => s.name)).toEqual(['folding'])
    const metagraph = await (await fetch(`${relay.url}/api/subnets/1`)).json()
    expect(metagraph.neurons).toEqual([])
    expect((await fetch(`${relay.url}/api/subnets/9`)).status).toBe(404)
  })

  it('sends the cross-origin isolation headers', async () => {
    const res = await fetch(`${relay.url}/api/health`)
    expect(res.headers.get('cross-origin-opener-policy')).toBe('same-origin')
    expect(res.headers.get('cross-origin-embedder-policy')).toBe('require-corp')
  })

  it('rejects every kind of bad transaction with a stable code, a sentence, and no change', async () => {
    const before = await accountOf(alice.publicKey)
    const body = (over: Partial<TxBody> = {}): TxBody =>
      ({ kind: 'transfer', from: alice.publicKey, nonce: before.pendingNonce, to: bob.publicKey, amount: 5n, ...over }) as TxBody
    const good = signTx(body(), alice, chainId)
    const tampered = good.bytes.slice()
    tampered[tampered.length - 1]! ^= 1
    const cases: Array<[string, Response, string, number]> = [
      ['garbage', await post(new Uint8Array([0xff, 0x00, 0x13])), 'MALFORMED', 400],
      ['oversized', await post(new Uint8Array(MAX_TX_BYTES + 10)), 'TOO_LARGE', 413],
      ['non-canonical', await post(new Uint8Array([0xa2, 0x61, 0x62, 0x01, 0x61, 0x61, 0x02])), 'NON_CANONICAL', 400],
      ['unknown kind', await post(encode({ body: { ...body(), kind: 'mint' }, sig: new Uint8Array(64) })), 'UNKNOWN_KIND', 400],
      ['unknown field', await post(encode({ body: { ...body(), memo: 'x' }, sig: new Uint8Array(64) })), 'UNKNOWN_FIELD', 400],
      ['bad signature', await post(tampered), 'BAD_SIGNATURE', 400],
      ['wrong chain', await post(signTx(body(), alice, new Uint8Array(32)).bytes), 'BAD_SIGNATURE', 400],
      ['future nonce', await post(signTx(body({ nonce: before.pendingNonce + 5 }), alice, chainId).bytes), 'BAD_NONCE', 400],
      ['too much', await post(signTx(body({ amount: 10n ** 18n }), alice, chainId).bytes), 'INSUFFICIENT_BALANCE', 400],
      ['json body', await post('{"a":1}', 'application/json'), 'UNSUPPORTED_MEDIA_TYPE', 415]
    ]
    for (const [name, res, code, status] of cases) {
      const json = await res.json()
      expect({ name, status: res.status, error: json.error }).toEqual({ name, status, error: code })
      expect(json.message.length).toBeGreaterThan(10)
    }
    const after = await accountOf(alice.publicKey)
    expect(after.pendingNonce).toBe(before.pendingNonce)
    expect((await fetch(`${relay.url}/api/health`)).ok).toBe(true)
  })

  it('acknowledges a good transfer with its id, refuses its replay, and shows it in a block', async () => {
    const { pendingNonce } = await accountOf(alice.publicKey)
    const tx = signTx({ kind: 'transfer', from: alice.publicKey, nonce: pendingNonce, to: bob.publicKey, amount: 5n }, alice, chainId)
    const res = await post(tx.bytes)
    expect(res.status).toBe(200)
    expect((await res.json()).id).toBe(tx.id)
    const replay = await post(tx.bytes)
    expect((await replay.json()).error).toBe('BAD_NONCE')
    for (let i = 0; i < 50 && (await accountOf(bob.publicKey)).balance !== '5'; i++) await new Promise(r => setTimeout(r, 100))
    expect((await accountOf(bob.publicKey)).balance).toBe('5')
  })

  it('never crashes on random or mutated bytes, and they change nothing', async () => {
    const before = await accountOf(alice.publicKey)
    const good = signTx({ kind: 'transfer', from: alice.publicKey, nonce: before.pendingNonce, to: bob.publicKey, amount: 1n }, alice, chainId).bytes
    const inputs: Uint8Array[] = []
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), bytes => { inputs.push(bytes) }), { numRuns: 150, seed: 7 })
    fc.assert(fc.property(fc.nat({ max: good.length - 1 }), fc.integer({ min: 1, max: 255 }), (at, flip) => {
      const mutated = good.slice()
      mutated[at]! ^= flip
      inputs.push(mutated)
    }), { numRuns: 150, seed: 11 })
    for (const bytes of inputs) {
      const res = await post(bytes)
      expect(res.status, `input ${Buffer.from(bytes).toString('hex')}`).toBeGreaterThanOrEqual(400)
      expect(res.status).toBeLessThan(500)
      const json = await res.json()
      expect(typeof json.error).toBe('string')
    }
    for (const path of ['/api/accounts/not-an-address', '/api/blocks/-1', '/api/blocks/abc', '/api/subnets/x', '/api/headers?from=-5']) {
      const res = await fetch(relay.url + path)
      expect(res.status, path).toBeGreaterThanOrEqual(400)
      expect(res.status, path).toBeLessThan(500)
    }
    expect((await accountOf(alice.publicKey)).pendingNonce).toBe(before.pendingNonce)
    expect((await fetch(`${relay.url}/api/health`)).ok).toBe(true)
  })

  it('serves Prometheus metrics', async () => {
    const text = await (await fetch(`${relay.url}/metrics`)).text()
    expect(text).toMatch(/tabtensor_chain_height \d+/)
    expect(text).toMatch(/tabtensor_transactions_total\{result="BAD_SIGNATURE"\} [1-9]/)
  })
})
