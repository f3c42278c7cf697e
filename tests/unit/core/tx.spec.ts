import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { U64_MAX, cidOf, encode } from '../../../src/core/codec.ts'
import { InvalidSignatureError } from '../../../src/core/errors.ts'
import { hash, utf8ToBytes } from '../../../src/core/hash.ts'
import { keypairFromLabel, keypairFromSecret, type Keypair } from '../../../src/core/keys.ts'
import {
  MAX_NAME_LENGTH, MAX_TX_BYTES, MAX_WEIGHTS, TX_KINDS, decodeTx, encodeBody, signTx, verifyTx, type TxBody
} from '../../../src/core/tx.ts'
import { rejection } from '../../helpers/errors.ts'

const CHAIN_A = hash(utf8ToBytes('chain A'))
const CHAIN_B = hash(utf8ToBytes('chain B'))
const alice = keypairFromLabel('alice')
const bob = keypairFromLabel('bob')

const transfer = (key: Keypair = alice, nonce = 0): TxBody =>
  ({ kind: 'transfer', from: key.publicKey, nonce, to: bob.publicKey, amount: 5n })

/** Wire bytes of `{body, sig}` for an arbitrary body, to feed the decoder what a signer never would. */
const wire = (body: Record<string, unknown>, sig: unknown = new Uint8Array(64)): Uint8Array => encode({ body, sig })
const plainTransfer = (): Record<string, unknown> => ({ ...transfer() })

// ---- arbitrary bodies of every kind ------------------------------------------------------------

const bytes32 = fc.uint8Array({ minLength: 32, maxLength: 32 })
const u64 = fc.bigInt({ min: 0n, max: U64_MAX })
const netuid = fc.integer({ min: 0, max: 65535 })
const u16s = fc.array(fc.integer({ min: 0, max: 65535 }), { maxLength: 12 })
const name = fc.string({ maxLength: MAX_NAME_LENGTH })
const fieldsOf: { [K in TxBody['kind']]: fc.Arbitrary<Omit<Extract<TxBody, { kind: K }>, 'from' | 'nonce'>> } = {
  transfer: fc.record({ kind: fc.constant('transfer'), to: bytes32, amount: u64 }),
  register_burn: fc.record({ kind: fc.constant('register_burn'), netuid, hotkey: bytes32, maxBurn: u64 }),
  register_pow: fc.record({ kind: fc.constant('register_pow'), netuid, hotkey: bytes32, block: fc.maxSafeNat(), work: u64 }),
  add_stake: fc.record({ kind: fc.constant('add_stake'), hotkey: bytes32, amount: u64 }),
  remove_stake: fc.record({ kind: fc.constant('remove_stake'), hotkey: bytes32, amount: u64 }),
  commit_weights: fc.record({ kind: fc.constant('commit_weights'), netuid, commit: bytes32 }),
  reveal_weights: fc.record({ kind: fc.constant('reveal_weights'), netuid, uids: u16s, weights: u16s, salt: bytes32 }),
  create_subnet: fc.record({ kind: fc.constant('create_subnet'), name, maxLock: u64 }),
  propose: fc.record({ kind: fc.constant('propose'), netuid, param: name, value: u64 }),
  vote: fc.record({ kind: fc.constant('vote'), proposal: fc.integer({ min: 0, max: 0xffff_ffff }), approve: fc.boolean() })
}
const signedBody = fc.tuple(
  fc.uint8Array({ minLength: 32, maxLength: 32 }),
  fc.maxSafeNat(),
  fc.oneof(...TX_KINDS.map(kind => fieldsOf[kind] as fc.Arbitrary<Record<string, unknown>>))
).map(([secret, nonce, fields]) => {
  const key = keypairFromSecret(secret)
  return { key, body: { ...fields, from: key.publicKey, nonce } as unknown as TxBody }
})

describe('signTx, decodeTx and verifyTx', () => {
  it('has an arbitrary for every kind the ledger knows', () => {
    expect(Object.keys(fieldsOf).sort()).toStrictEqual([...TX_KINDS].sort())
  })

  it('round-trips a signed transaction of any kind through its wire bytes', () => {
    fc.assert(fc.property(signedBody, ({ key, body }) => {
      const tx = signTx(body, key, CHAIN_A)
      const decoded = decodeTx(tx.bytes)
      expect(decoded.body).toStrictEqual(body)
      expect(decoded.sig).toStrictEqual(tx.sig)
      expect(decoded.id).toBe(tx.id)
      expect(encodeBody(decoded.body)).toStrictEqual(encodeBody(body))
      verifyTx(decoded, CHAIN_A)
    }), { numRuns: 150 })
  })

  it('rejects a transaction signed for chain A as BAD_SIGNATURE on chain B', () => {
    fc.assert(fc.property(signedBody, ({ key, body }) => {
      const tx = decodeTx(signTx(body, key, CHAIN_A).bytes)
      const err = rejection(() => verifyTx(tx, CHAIN_B))
      expect(err).toBeInstanceOf(InvalidSignatureError)
      expect(err.code).toBe('BAD_SIGNATURE')
    }), { numRuns: 40 })
  })

  it('rejects a transaction whose body was changed after signing as BAD_SIGNATURE', () => {
    const tx = signTx(transfer(), alice, CHAIN_A)
    const changed = decodeTx(wire({ ...tx.body, amount: 6n }, tx.sig))
    expect(rejection(() => verifyTx(changed, CHAIN_A)).code).toBe('BAD_SIGNATURE')
  })

  it('rejects a transaction signed by a key other than its sender as BAD_SIGNATURE', () => {
    const tx = signTx(transfer(alice), bob, CHAIN_A)
    expect(rejection(() => verifyTx(decodeTx(tx.bytes), CHAIN_A)).code).toBe('BAD_SIGNATURE')
  })

  it('uses the CID of the exact wire bytes as the id', () => {
    const tx = signTx(transfer(), alice, CHAIN_A)
    expect(tx.id).toBe(cidOf(tx.bytes).toString())
    expect(tx.id).not.toBe(signTx(transfer(alice, 1), alice, CHAIN_A).id)
  })
})

describe('decodeTx rejects malformed transactions', () => {
  it('rejects an unknown kind with UNKNOWN_KIND', () => {
    for (const kind of ['mint', 'Transfer', 'constructor', '__proto__', 7, null]) {
      const err = rejection(() => decodeTx(wire({ ...plainTransfer(), kind })))
      expect(err.code, String(kind)).toBe('UNKNOWN_KIND')
    }
    const { kind: _, ...noKind } = plainTransfer()
    expect(rejection(() => decodeTx(wire(noKind))).code).toBe('UNKNOWN_KIND')
  })

  it('rejects an extra field in the body or the envelope with UNKNOWN_FIELD', () => {
    expect(rejection(() => decodeTx(wire({ ...plainTransfer(), memo: 'hi' }))).code).toBe('UNKNOWN_FIELD')
    // A field of another kind is just as unknown here.
    expect(rejection(() => decodeTx(wire({ ...plainTransfer(), netuid: 1 }))).code).toBe('UNKNOWN_FIELD')
    const envelope = encode({ body: plainTransfer(), sig: new Uint8Array(64), fee: 1 })
    expect(rejection(() => decodeTx(envelope)).code).toBe('UNKNOWN_FIELD')
  })

  it('rejects a missing field with MISSING_FIELD', () => {
    const { amount: _, ...noAmount } = plainTransfer()
    expect(rejection(() => decodeTx(wire(noAmount))).code).toBe('MISSING_FIELD')
    expect(rejection(() => decodeTx(encode({ body: plainTransfer() }))).code).toBe('MISSING_FIELD')
  })

  it('rejects fields of the wrong type or range with BAD_FIELD, naming the field', () => {
    const hotkey = bob.publicKey
    const base = (kind: string, fields: Record<string, unknown>): Record<string, unknown> =>
      ({ kind, from: alice.publicKey, nonce: 0, ...fields })
    const cases: Array<[string, Record<string, unknown>]> = [
      ['amount', { ...plainTransfer(), amount: '5' }],
      ['amount', { ...plainTransfer(), amount: -1 }],
      ['to', { ...plainTransfer(), to: new Uint8Array(31) }],
      ['to', { ...plainTransfer(), to: 'tt1…' }],
      ['from', { ...plainTransfer(), from: new Uint8Array(33) }],
      ['nonce', { ...plainTransfer(), nonce: -1 }],
      ['nonce', { ...plainTransfer(), nonce: 1.5 }],
      ['netuid', base('register_burn', { netuid: 65536, hotkey, maxBurn: 1n })],
      ['block', base('register_pow', { netuid: 1, hotkey, block: -1, work: 0n })],
      ['commit', base('commit_weights', { netuid: 1, commit: new Uint8Array(16) })],
      ['uids[1]', base('reveal_weights', { netuid: 1, uids: [0, 65536], weights: [1, 1], salt: new Uint8Array(32) })],
      ['weights[0]', base('reveal_weights', { netuid: 1, uids: [0], weights: [65536], salt: new Uint8Array(32) })],
      ['weights', base('reveal_weights', { netuid: 1, uids: [0], weights: 1, salt: new Uint8Array(32) })],
      ['uids', base('reveal_weights', { netuid: 1, uids: Array(MAX_WEIGHTS + 1).fill(0), weights: [], salt: new Uint8Array(32) })],
      ['name', base('create_subnet', { name: 'x'.repeat(MAX_NAME_LENGTH + 1), maxLock: 1n })],
      ['param', base('propose', { netuid: 0, param: 7, value: 1n })],
      ['proposal', base('vote', { proposal: 2 ** 32, approve: true })],
      ['approve', base('vote', { proposal: 0, approve: 1 })]
    ]
    for (const [field, body] of cases) {
      const err = rejection(() => decodeTx(wire(body)))
      expect(err.code, `${field} in ${String(body.kind)}`).toBe('BAD_FIELD')
      expect(err.message, `${field} in ${String(body.kind)}`).toContain(`"${field}"`)
    }
    expect(rejection(() => decodeTx(wire(plainTransfer(), new Uint8Array(63)))).code).toBe('BAD_FIELD')
  })

  it('rejects a body or envelope that is not a map', () => {
    expect(rejection(() => decodeTx(encode([plainTransfer(), new Uint8Array(64)]))).code).toBe('MALFORMED')
    expect(rejection(() => decodeTx(encode({ body: [1, 2], sig: new Uint8Array(64) }))).code).toBe('UNKNOWN_KIND')
  })

  it('rejects oversized input with TOO_LARGE before reading it', () => {
    const huge = wire({ ...plainTransfer(), memo: 'x'.repeat(MAX_TX_BYTES) })
    expect(huge.length).toBeGreaterThan(MAX_TX_BYTES)
    expect(rejection(() => decodeTx(huge)).code).toBe('TOO_LARGE')
    expect(rejection(() => decodeTx(new Uint8Array(MAX_TX_BYTES + 1).fill(0xff))).code).toBe('TOO_LARGE')
  })

  it('fits a reveal of the largest weight vector under the size cap', () => {
    const uids = Array.from({ length: MAX_WEIGHTS }, (_, i) => 65535 - i)
    const body: TxBody = { kind: 'reveal_weights', from: alice.publicKey, nonce: Number.MAX_SAFE_INTEGER, netuid: 65535, uids, weights: Array(MAX_WEIGHTS).fill(65535), salt: new Uint8Array(32) }
    const tx = signTx(body, alice, CHAIN_A)
    expect(tx.bytes.length).toBeLessThanOrEqual(MAX_TX_BYTES)
    expect(decodeTx(tx.bytes).body).toStrictEqual(body)
  })

  it('rejects garbage with MALFORMED', () => {
    expect(rejection(() => decodeTx(new Uint8Array([0xff, 0x00, 0x13]))).code).toBe('MALFORMED')
  })
})
