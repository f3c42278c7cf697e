import { describe, expect, it } from 'vitest'
import { encode } from '../../../../src/core/codec.ts'
import { hash, utf8ToBytes } from '../../../../src/core/hash.ts'
import { TREASURY } from '../../../../src/core/ledger/apply.ts'
import { blockReward } from '../../../../src/core/supply.ts'
import { MAX_TX_BYTES, signTx, type TxBody } from '../../../../src/core/tx.ts'
import { TOKEN, TestChain, alice, bob, carol, expectRejected, genesisSpec } from './fixture.ts'

const pay = (amount = 5n * TOKEN) => ({ kind: 'transfer' as const, to: bob.publicKey, amount })

describe('signatures', () => {
  it('rejects a transaction signed by another key as BAD_SIGNATURE and changes nothing', () => {
    const tc = new TestChain()
    const body: TxBody = { ...pay(), from: alice.publicKey, nonce: 0 }
    expectRejected(tc, () => tc.chain.submit(signTx(body, carol, tc.chain.chainId).bytes), 'BAD_SIGNATURE')
    expect(tc.nonce(alice)).toBe(0)
  })

  it('rejects a transaction signed for another chain as BAD_SIGNATURE', () => {
    const tc = new TestChain()
    const body: TxBody = { ...pay(), from: alice.publicKey, nonce: 0 }
    const otherChain = hash(utf8ToBytes('another network'))
    expectRejected(tc, () => tc.chain.submit(signTx(body, alice, otherChain).bytes), 'BAD_SIGNATURE')
  })

  it('rejects a transaction whose signature was altered as BAD_SIGNATURE', () => {
    const tc = new TestChain()
    const tx = tc.tx(alice, pay())
    const sig = tx.sig.slice()
    sig[10]! ^= 0x40
    expectRejected(tc, () => tc.chain.submit(encode({ body: tx.body, sig })), 'BAD_SIGNATURE')
  })

  it('rejects a transaction whose amount was raised after signing as BAD_SIGNATURE', () => {
    const tc = new TestChain()
    const tx = tc.tx(alice, pay(1n))
    expectRejected(tc, () => tc.chain.submit(encode({ body: { ...tx.body, amount: 500n * TOKEN }, sig: tx.sig })), 'BAD_SIGNATURE')
  })
})

describe('wire bytes', () => {
  it('rejects bytes that do not decode to a transaction before touching the state', () => {
    const tc = new TestChain()
    const tx = tc.tx(alice, pay())
    expectRejected(tc, () => tc.chain.submit(new Uint8Array([0xff, 0x00])), 'MALFORMED')
    expectRejected(tc, () => tc.chain.submit(encode({ body: { ...tx.body, kind: 'mint' }, sig: tx.sig })), 'UNKNOWN_KIND')
    expectRejected(tc, () => tc.chain.submit(encode({ body: { ...tx.body, memo: 'x' }, sig: tx.sig })), 'UNKNOWN_FIELD')
    expectRejected(tc, () => tc.chain.submit(new Uint8Array(MAX_TX_BYTES + 1)), 'TOO_LARGE')
    tc.chain.submit(tx.bytes)
    expect(tc.chain.pending).toHaveLength(1)
  })
})

describe('nonces', () => {
  it('rejects a replayed transaction in the same block as BAD_NONCE', () => {
    const tc = new TestChain()
    const tx = tc.tx(alice, pay())
    tc.chain.submit(tx.bytes)
    expectRejected(tc, () => tc.chain.submit(tx.bytes), 'BAD_NONCE')
    expect(tc.balance(bob)).toBe(1_005n * TOKEN)
  })

  it('rejects a transaction replayed in a later block as BAD_NONCE', () => {
    const tc = new TestChain()
    const tx = tc.tx(alice, pay())
    tc.chain.submit(tx.bytes)
    tc.block()
    tc.block()
    expectRejected(tc, () => tc.chain.submit(tx.bytes), 'BAD_NONCE')
  })

  it('rejects a nonce from the future (out of order) as BAD_NONCE, then takes both in order', () => {
    const tc = new TestChain()
    const second = tc.tx(alice, pay(), 1)
    const err = expectRejected(tc, () => tc.chain.submit(second.bytes), 'BAD_NONCE')
    expect(err.message).toMatch(/nonce is 1 .* next nonce is 0/)
    tc.submit(alice, pay())
    tc.chain.submit(second.bytes)
    expect(tc.nonce(alice)).toBe(2)
    expect(tc.balance(bob)).toBe(1_010n * TOKEN)
  })

  it('does not consume the nonce of a transaction that fails for another reason', () => {
    const tc = new TestChain()
    expectRejected(tc, () => tc.submit(alice, pay(2_000n * TOKEN)), 'INSUFFICIENT_BALANCE')
    expect(tc.nonce(alice)).toBe(0)
    tc.submit(alice, pay(), 0)
    expect(tc.nonce(alice)).toBe(1)
  })

  it('keeps separate nonces per account', () => {
    const tc = new TestChain()
    tc.submit(alice, pay())
    tc.submit(carol, pay(), 0)
    tc.submit(alice, pay(), 1)
    expect([tc.nonce(alice), tc.nonce(carol), tc.nonce(bob)]).toStrictEqual([2, 1, 0])
  })
})

describe('finalizeBlock', () => {
  it('mints the block reward once per block, at its start, and routes it to the subnets', () => {
    const tc = new TestChain()
    const genesis = 3_000n * TOKEN
    // Block 1 has started as the chain was built: its reward exists already.
    expect(tc.globals.issuance).toBe(genesis + blockReward(genesis))
    tc.block()
    tc.block()
    expect(tc.globals.issuance).toBe(genesis + 3n * TOKEN)
    // Neither subnet has uids, so their epochs pay nothing and all of it is still pending.
    expect(tc.subnet(1).pendingEmission + tc.subnet(2).pendingEmission).toBe(3n * TOKEN)
    expect(tc.balance(TREASURY)).toBe(0n)
  })

  it('mints less once issuance is past the first halving', () => {
    const start = 10_500_000n * TOKEN
    const tc = new TestChain(genesisSpec({ balances: [{ key: alice.publicKey, amount: start }] }))
    expect(tc.globals.issuance - start).toBe(TOKEN / 2n)
  })
})
