import { describe, expect, it } from 'vitest'
import { defaultSubnetParams } from '../../../../src/core/params.ts'
import { TOKEN, TestChain, alice, bob, expectRejected, genesisSpec } from './fixture.ts'

describe('create_subnet', () => {
  it('locks the lock cost from the creator and leaves issuance alone', () => {
    const tc = new TestChain(genesisSpec({ params: { subnetLockCost: 100n * TOKEN } }))
    tc.block()
    const issuance = tc.globals.issuance
    tc.submit(alice, { kind: 'create_subnet', name: 'three', maxLock: 100n * TOKEN })
    tc.block()
    const subnet = tc.subnet(3)
    expect(subnet.locked).toBe(100n * TOKEN)
    expect(subnet.owner).toStrictEqual(alice.publicKey)
    expect(subnet.name).toBe('three')
    expect(subnet.createdAt).toBe(2)
    expect(subnet.n).toBe(0)
    expect(subnet.params).toStrictEqual(defaultSubnetParams())
    expect(tc.balance(alice)).toBe(900n * TOKEN)
    expect(tc.globals.netuids).toStrictEqual([1, 2, 3])
    // Only the block reward moved issuance; the lock is not burned.
    expect(tc.globals.issuance).toBe(issuance + TOKEN)
  })

  it('rejects a lock cost above maxLock with LOCK_TOO_HIGH', () => {
    const tc = new TestChain(genesisSpec({ params: { subnetLockCost: 100n * TOKEN } }))
    expectRejected(tc, () => tc.submit(alice, { kind: 'create_subnet', name: 'three', maxLock: 100n * TOKEN - 1n }), 'LOCK_TOO_HIGH')
  })

  it('rejects a creator who cannot pay the lock with INSUFFICIENT_BALANCE', () => {
    const tc = new TestChain(genesisSpec({ params: { subnetLockCost: 1_001n * TOKEN } }))
    expectRejected(tc, () => tc.submit(bob, { kind: 'create_subnet', name: 'three', maxLock: 2_000n * TOKEN }), 'INSUFFICIENT_BALANCE')
  })

  it('rejects a subnet beyond maxSubnets with SUBNET_LIMIT', () => {
    const tc = new TestChain(genesisSpec({ params: { maxSubnets: 3n, subnetLockCost: TOKEN } }))
    tc.submit(alice, { kind: 'create_subnet', name: 'three', maxLock: TOKEN })
    expectRejected(tc, () => tc.submit(bob, { kind: 'create_subnet', name: 'four', maxLock: TOKEN }), 'SUBNET_LIMIT')
  })

  it('rejects a blank name with BAD_FIELD', () => {
    const tc = new TestChain()
    expectRejected(tc, () => tc.submit(alice, { kind: 'create_subnet', name: '   ', maxLock: 1_000n * TOKEN }), 'BAD_FIELD')
  })

  it('gives two subnets created in one block different netuids', () => {
    const tc = new TestChain(genesisSpec({ params: { subnetLockCost: TOKEN } }))
    tc.submit(alice, { kind: 'create_subnet', name: 'three', maxLock: TOKEN })
    tc.submit(bob, { kind: 'create_subnet', name: 'four', maxLock: TOKEN })
    tc.block()
    expect(tc.subnet(3).owner).toStrictEqual(alice.publicKey)
    expect(tc.subnet(4).owner).toStrictEqual(bob.publicKey)
  })
})
