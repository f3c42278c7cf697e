import { describe, expect, it } from 'vitest'
import { K, amountAt } from '../../../../src/core/ledger/schema.ts'
import { TOKEN, TestChain, alice, bob, carol, expectRejected, hotA, hotB } from './fixture.ts'

describe('transfers', () => {
  it('moves base units from the sender to the recipient', () => {
    const tc = new TestChain()
    tc.submit(alice, { kind: 'transfer', to: bob.publicKey, amount: 250n * TOKEN })
    tc.block()
    expect(tc.balance(alice)).toBe(750n * TOKEN)
    expect(tc.balance(bob)).toBe(1_250n * TOKEN)
  })

  it('credits a key that had no account yet', () => {
    const tc = new TestChain()
    tc.submit(alice, { kind: 'transfer', to: hotA.publicKey, amount: 1n })
    expect(tc.balance(hotA)).toBe(1n)
  })

  it('lets an account send its whole balance, and not one base unit more (INSUFFICIENT_BALANCE)', () => {
    const tc = new TestChain()
    expectRejected(tc, () => tc.submit(alice, { kind: 'transfer', to: bob.publicKey, amount: 1_000n * TOKEN + 1n }), 'INSUFFICIENT_BALANCE')
    tc.submit(alice, { kind: 'transfer', to: bob.publicKey, amount: 1_000n * TOKEN })
    expect(tc.balance(alice)).toBe(0n)
  })

  it('rejects an empty account sending anything with INSUFFICIENT_BALANCE', () => {
    const tc = new TestChain()
    expectRejected(tc, () => tc.submit(hotA, { kind: 'transfer', to: bob.publicKey, amount: 1n }), 'INSUFFICIENT_BALANCE')
  })

  it('rejects a zero amount with ZERO_AMOUNT', () => {
    const tc = new TestChain()
    expectRejected(tc, () => tc.submit(alice, { kind: 'transfer', to: bob.publicKey, amount: 0n }), 'ZERO_AMOUNT')
  })

  it('leaves a transfer to oneself with the same balance', () => {
    const tc = new TestChain()
    tc.submit(alice, { kind: 'transfer', to: alice.publicKey, amount: 10n })
    expect(tc.balance(alice)).toBe(1_000n * TOKEN)
    expect(tc.nonce(alice)).toBe(1)
  })
})

describe('staking', () => {
  it('moves balance into stake and keeps the hotkey, coldkey and network totals', () => {
    const tc = new TestChain()
    tc.registerBurn(alice, hotA)
    const balance = tc.balance(alice)
    tc.submit(alice, { kind: 'add_stake', hotkey: hotA.publicKey, amount: 40n * TOKEN })
    tc.submit(bob, { kind: 'add_stake', hotkey: hotA.publicKey, amount: 2n * TOKEN })
    tc.block()
    expect(tc.balance(alice)).toBe(balance - 40n * TOKEN)
    expect(tc.stake(hotA, alice)).toBe(40n * TOKEN)
    expect(tc.stake(hotA, bob)).toBe(2n * TOKEN)
    expect(amountAt(tc.state, K.hotkeyStake(hotA.publicKey))).toBe(42n * TOKEN)
    expect(amountAt(tc.state, K.coldkeyStake(alice.publicKey))).toBe(40n * TOKEN)
    expect(tc.globals.totalStake).toBe(42n * TOKEN)
  })

  it('moves stake back into the balance and clears emptied stake entries', () => {
    const tc = new TestChain()
    tc.registerAndStake(alice, hotA, 40n * TOKEN)
    const balance = tc.balance(alice)
    tc.submit(alice, { kind: 'remove_stake', hotkey: hotA.publicKey, amount: 40n * TOKEN })
    expect(tc.balance(alice)).toBe(balance + 40n * TOKEN)
    expect(tc.state.has(K.stake(hotA.publicKey, alice.publicKey))).toBe(false)
    expect(tc.state.has(K.hotkeyStake(hotA.publicKey))).toBe(false)
    expect(tc.globals.totalStake).toBe(0n)
  })

  it('rejects removing more stake than the coldkey has on that hotkey with INSUFFICIENT_STAKE', () => {
    const tc = new TestChain()
    tc.registerAndStake(alice, hotA, 40n * TOKEN)
    expectRejected(tc, () => tc.submit(alice, { kind: 'remove_stake', hotkey: hotA.publicKey, amount: 40n * TOKEN + 1n }), 'INSUFFICIENT_STAKE')
    // Bob has no stake on alice's hotkey, however much alice has there.
    expectRejected(tc, () => tc.submit(bob, { kind: 'remove_stake', hotkey: hotA.publicKey, amount: 1n }), 'INSUFFICIENT_STAKE')
  })

  it('rejects staking on a hotkey that is not registered anywhere with UNKNOWN_HOTKEY', () => {
    const tc = new TestChain()
    expectRejected(tc, () => tc.submit(alice, { kind: 'add_stake', hotkey: hotB.publicKey, amount: TOKEN }), 'UNKNOWN_HOTKEY')
  })

  it('rejects staking more than the balance with INSUFFICIENT_BALANCE', () => {
    const tc = new TestChain()
    tc.registerBurn(alice, hotA)
    expectRejected(tc, () => tc.submit(carol, { kind: 'add_stake', hotkey: hotA.publicKey, amount: 1_000n * TOKEN + 1n }), 'INSUFFICIENT_BALANCE')
  })

  it('rejects zero stake changes with ZERO_AMOUNT', () => {
    const tc = new TestChain()
    tc.registerAndStake(alice, hotA, TOKEN)
    expectRejected(tc, () => tc.submit(alice, { kind: 'add_stake', hotkey: hotA.publicKey, amount: 0n }), 'ZERO_AMOUNT')
    expectRejected(tc, () => tc.submit(alice, { kind: 'remove_stake', hotkey: hotA.publicKey, amount: 0n }), 'ZERO_AMOUNT')
  })
})
