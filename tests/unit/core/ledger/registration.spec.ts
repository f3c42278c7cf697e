import { describe, expect, it } from 'vitest'
import { headerHash } from '../../../../src/core/block.ts'
import type { Keypair } from '../../../../src/core/keys.ts'
import {
  adjustRegistrationTerms, adjustedValue, meetsDifficulty, powSeal, solvePow, uidToPrune
} from '../../../../src/core/ledger/registration.ts'
import { K, type Neuron, type Subnet } from '../../../../src/core/ledger/schema.ts'
import { newSubnet } from '../../../../src/core/ledger/subnets.ts'
import { State } from '../../../../src/core/state.ts'
import { TOKEN, TestChain, alice, bob, carol, expectRejected, genesisSpec, hotA, hotA2, hotB, hotC } from './fixture.ts'

const U64_MAX = (1n << 64n) - 1n

function blockHashAt (tc: TestChain, height: number): Uint8Array {
  return headerHash(tc.chain.header(height)!.header)
}

/** A work value that meets `difficulty` for this registration on the block at `block`. */
function solve (tc: TestChain, block: number, netuid: number, hotkey: Keypair, coldkey: Keypair, difficulty: bigint): bigint {
  const work = solvePow(tc.chain.chainId, blockHashAt(tc, block), netuid, hotkey.publicKey, coldkey.publicKey, difficulty, 0n, 1_000_000n)
  if (work === null) throw new Error('no proof of work found')
  return work
}

const burnReg = (hotkey: Keypair, netuid = 1, maxBurn = 1_000n * TOKEN) =>
  ({ kind: 'register_burn' as const, netuid, hotkey: hotkey.publicKey, maxBurn })

describe('registration by burning', () => {
  it('burns the cost from the coldkey and from issuance, and gives the hotkey the next uid', () => {
    const tc = new TestChain()
    tc.block()
    const issuance = tc.globals.issuance
    tc.submit(alice, burnReg(hotA))
    tc.submit(bob, burnReg(hotB))
    expect(tc.balance(alice)).toBe(999n * TOKEN)
    expect(tc.globals.issuance).toBe(issuance - 2n * TOKEN)
    expect(tc.uidOf(1, hotA)).toBe(0)
    expect(tc.uidOf(1, hotB)).toBe(1)
    const neuron = tc.state.get<Neuron>(K.neuron(1, 1))!
    expect(neuron).toStrictEqual({
      hotkey: hotB.publicKey, registeredAt: 2, lastUpdate: 2, validatorPermit: false, emission: 0n,
      consensus: 0, incentive: 0, dividends: 0, validatorTrust: 0, stakeWeight: 0, active: true
    })
    expect(tc.state.get<Uint8Array>(K.owner(hotA.publicKey))).toStrictEqual(alice.publicKey)
    expect(tc.subnet(1).n).toBe(2)
    expect(tc.subnet(1).burnRegistrationsThisInterval).toBe(2)
  })

  it('rejects a burn above maxBurn with BURN_TOO_HIGH', () => {
    const tc = new TestChain()
    const err = expectRejected(tc, () => tc.submit(alice, burnReg(hotA, 1, TOKEN - 1n)), 'BURN_TOO_HIGH')
    expect(err.message).toContain(String(TOKEN))
    tc.submit(alice, burnReg(hotA, 1, TOKEN))
  })

  it('rejects a coldkey that cannot pay the burn with INSUFFICIENT_BALANCE', () => {
    const tc = new TestChain(genesisSpec({ subnet1: { burn: 1_001n * TOKEN } }))
    expectRejected(tc, () => tc.submit(alice, burnReg(hotA, 1, 2_000n * TOKEN)), 'INSUFFICIENT_BALANCE')
  })

  it('rejects an unknown subnet with UNKNOWN_SUBNET', () => {
    const tc = new TestChain()
    expectRejected(tc, () => tc.submit(alice, burnReg(hotA, 9)), 'UNKNOWN_SUBNET')
    expectRejected(tc, () => tc.submit(alice, burnReg(hotA, 0)), 'UNKNOWN_SUBNET')
  })

  it('rejects registering a hotkey twice on one subnet with DUPLICATE_REGISTRATION', () => {
    const tc = new TestChain()
    tc.registerBurn(alice, hotA)
    expectRejected(tc, () => tc.submit(alice, burnReg(hotA)), 'DUPLICATE_REGISTRATION')
    expectRejected(tc, () => tc.submit(bob, burnReg(hotA)), 'DUPLICATE_REGISTRATION')
  })

  it("rejects registering another coldkey's hotkey on a second subnet with HOTKEY_OWNED_BY_OTHER", () => {
    const tc = new TestChain()
    tc.registerBurn(alice, hotA, 1)
    expectRejected(tc, () => tc.submit(bob, burnReg(hotA, 2)), 'HOTKEY_OWNED_BY_OTHER')
    // Its owner may register it there.
    tc.submit(alice, burnReg(hotA, 2))
    expect(tc.uidOf(2, hotA)).toBe(0)
  })

  it('rejects registrations beyond maxRegistrationsPerBlock with RATE_LIMITED until the next block', () => {
    const tc = new TestChain(genesisSpec({ subnet1: { maxRegistrationsPerBlock: 1n } }))
    tc.submit(alice, burnReg(hotA))
    expectRejected(tc, () => tc.submit(bob, burnReg(hotB)), 'RATE_LIMITED')
    tc.block()
    tc.submit(bob, burnReg(hotB))
    expect(tc.uidOf(1, hotB)).toBe(1)
  })

  it('rejects registration on a closed subnet with REGISTRATION_CLOSED', () => {
    const tc = new TestChain(genesisSpec({ subnet1: { registrationAllowed: 0n } }))
    expectRejected(tc, () => tc.submit(alice, burnReg(hotA)), 'REGISTRATION_CLOSED')
  })
})

describe('registration by proof of work', () => {
  const spec = () => genesisSpec({ subnet2: { difficulty: 100n, minDifficulty: 1n, powMaxAge: 3n } })

  it('registers a hotkey whose proof of work over a recent block meets the difficulty, without burning', () => {
    const tc = new TestChain(spec())
    tc.block()
    const work = solve(tc, 1, 2, hotB, bob, 100n)
    const issuance = tc.globals.issuance
    tc.submit(bob, { kind: 'register_pow', netuid: 2, hotkey: hotB.publicKey, block: 1, work })
    tc.block()
    expect(tc.uidOf(2, hotB)).toBe(0)
    expect(tc.balance(bob)).toBe(1_000n * TOKEN)
    expect(tc.globals.issuance).toBe(issuance + TOKEN)
  })

  it('rejects a proof of work on the block it lands in, a future block or an unknown height with POW_STALE', () => {
    const tc = new TestChain(spec())
    tc.blocksUntil(2)
    for (const block of [3, 4, 1_000]) {
      expectRejected(tc, () => tc.submit(bob, { kind: 'register_pow', netuid: 2, hotkey: hotB.publicKey, block, work: 0n }), 'POW_STALE')
    }
  })

  it('rejects a proof of work older than powMaxAge with POW_STALE', () => {
    const tc = new TestChain(spec())
    tc.block()
    const work = solve(tc, 1, 2, hotB, bob, 100n)
    tc.blocksUntil(4)
    // Landing at height 5, block 1 is 4 blocks old; powMaxAge is 3.
    expectRejected(tc, () => tc.submit(bob, { kind: 'register_pow', netuid: 2, hotkey: hotB.publicKey, block: 1, work }), 'POW_STALE')
    // The same work was good while block 1 was recent (landing at height 4, three blocks old).
    const fresh = new TestChain(spec())
    fresh.blocksUntil(3)
    fresh.submit(bob, { kind: 'register_pow', netuid: 2, hotkey: hotB.publicKey, block: 1, work })
  })

  it('rejects a proof of work that does not meet the difficulty with POW_INSUFFICIENT', () => {
    const tc = new TestChain(spec())
    tc.block()
    const hash = blockHashAt(tc, 1)
    let weak = 0n
    while (meetsDifficulty(powSeal(tc.chain.chainId, hash, 2, hotB.publicKey, bob.publicKey, weak), 100n)) weak++
    expectRejected(tc, () => tc.submit(bob, { kind: 'register_pow', netuid: 2, hotkey: hotB.publicKey, block: 1, work: weak }), 'POW_INSUFFICIENT')
  })

  it('rejects a proof of work solved for another coldkey with POW_INSUFFICIENT', () => {
    const tc = new TestChain(spec())
    tc.block()
    const work = solve(tc, 1, 2, hotB, bob, 100n)
    // The seal binds the coldkey: carol cannot reuse bob's work for the same hotkey.
    expect(meetsDifficulty(powSeal(tc.chain.chainId, blockHashAt(tc, 1), 2, hotB.publicKey, carol.publicKey, work), 100n)).toBe(false)
    expectRejected(tc, () => tc.submit(carol, { kind: 'register_pow', netuid: 2, hotkey: hotB.publicKey, block: 1, work }), 'POW_INSUFFICIENT')
  })

  it('checks difficulty as seal × difficulty < 2^256', () => {
    const seal = new Uint8Array(32)
    seal[0] = 0x80 // 2^255
    expect(meetsDifficulty(seal, 1n)).toBe(true)
    expect(meetsDifficulty(seal, 2n)).toBe(false)
    expect(meetsDifficulty(new Uint8Array(32).fill(0xff), 1n)).toBe(true)
  })
})

describe('full subnets', () => {
  it('replace the non-immune uid registered earliest, and forget its hotkey, weights and commit', () => {
    const tc = new TestChain(genesisSpec({ subnet1: { maxUids: 2n, immunityPeriod: 2n } }))
    tc.registerBurn(alice, hotA) // uid 0 at height 1
    tc.registerBurn(bob, hotB) // uid 1 at height 2
    // Weights and a pending commit of uid 0, as if hotA had validated.
    tc.state.set(K.weights(1, 0), { uids: [1], weights: [65535] })
    tc.state.set(K.commit(1, hotA.publicKey), { hash: new Uint8Array(32), block: 2, epoch: 0 })
    tc.blocksUntil(4)
    const uid = tc.registerBurn(carol, hotC) // height 5: neither is immune any more
    expect(uid).toBe(0)
    expect(tc.uidOf(1, hotA)).toBeUndefined()
    expect(tc.uidOf(1, hotB)).toBe(1)
    expect(tc.state.get<Neuron>(K.neuron(1, 0))!.hotkey).toStrictEqual(hotC.publicKey)
    expect(tc.state.has(K.weights(1, 0))).toBe(false)
    expect(tc.state.has(K.commit(1, hotA.publicKey))).toBe(false)
    expect(tc.subnet(1).n).toBe(2)
    // The pruned hotkey stays its coldkey's, so it may register again.
    expect(tc.state.get<Uint8Array>(K.owner(hotA.publicKey))).toStrictEqual(alice.publicKey)
  })

  it('replace the earliest uid when all of them are still immune', () => {
    const tc = new TestChain(genesisSpec({ subnet1: { maxUids: 2n, immunityPeriod: 100n } }))
    tc.registerBurn(alice, hotA)
    tc.registerBurn(bob, hotB)
    expect(tc.registerBurn(carol, hotC)).toBe(0)
  })
})

describe('uidToPrune', () => {
  function subnetWith (neurons: Array<{ registeredAt: number, emission: bigint }>, immunityPeriod: bigint): { state: State, subnet: Subnet } {
    const state = new State()
    const subnet: Subnet = { ...newSubnet(1, 'one', alice.publicKey, 0n, 0, { immunityPeriod }), n: neurons.length }
    neurons.forEach((n, uid) => {
      const neuron: Neuron = { hotkey: new Uint8Array(32).fill(uid), registeredAt: n.registeredAt, lastUpdate: n.registeredAt, validatorPermit: false, emission: n.emission,
        consensus: 0, incentive: 0, dividends: 0, validatorTrust: 0, stakeWeight: 0, active: true }
      state.set(K.neuron(1, uid), neuron)
    })
    return { state, subnet }
  }

  it('spares an immune uid even when its emission is the lowest', () => {
    const { state, subnet } = subnetWith([
      { registeredAt: 100, emission: 0n }, // immune at 105
      { registeredAt: 2, emission: 50n },
      { registeredAt: 1, emission: 50n },
      { registeredAt: 3, emission: 70n }
    ], 10n)
    expect(uidToPrune(state, subnet, 105)).toBe(2)
    // Once the immunity is over, the lowest emission goes first.
    expect(uidToPrune(state, subnet, 110)).toBe(0)
  })

  it('prefers the lowest emission, then the earliest registration, then the lowest uid', () => {
    expect(uidToPrune(...args(subnetWith([{ registeredAt: 1, emission: 9n }, { registeredAt: 5, emission: 3n }], 0n)), 50)).toBe(1)
    expect(uidToPrune(...args(subnetWith([{ registeredAt: 5, emission: 3n }, { registeredAt: 4, emission: 3n }], 0n)), 50)).toBe(1)
    expect(uidToPrune(...args(subnetWith([{ registeredAt: 4, emission: 3n }, { registeredAt: 4, emission: 3n }], 0n)), 50)).toBe(0)
  })

  it('chooses among all uids, by emission, when every uid is immune', () => {
    const { state, subnet } = subnetWith([{ registeredAt: 48, emission: 9n }, { registeredAt: 49, emission: 3n }], 10n)
    expect(uidToPrune(state, subnet, 50)).toBe(1)
  })

  const args = (x: { state: State, subnet: Subnet }): [State, Subnet] => [x.state, x.subnet]
})

describe('adjusting burn and difficulty', () => {
  it('computes current × (regs + target) / (2 · target): 10000 with 4 registrations for a target of 2 becomes 15000', () => {
    expect(adjustedValue(10_000n, 4, 2n, 0n, 1_000n, 1n << 40n)).toBe(15_000n)
  })

  it('halves the value when nobody registered, and keeps it when registrations met the target', () => {
    expect(adjustedValue(10_000n, 0, 2n, 0n, 1n, 1n << 40n)).toBe(5_000n)
    expect(adjustedValue(10_000n, 2, 2n, 0n, 1n, 1n << 40n)).toBe(10_000n)
    expect(adjustedValue(TOKEN, 3, 2n, 0n, 0n, 100n * TOKEN)).toBe(1_250_000_000n)
  })

  it('keeps the old value when alpha is 1, and moves halfway when alpha is ½', () => {
    expect(adjustedValue(10_000n, 4, 2n, U64_MAX, 1n, 1n << 40n)).toBe(10_000n)
    expect(adjustedValue(10_000n, 4, 2n, U64_MAX / 2n, 1n, 1n << 40n)).toBe(12_500n)
  })

  it('clamps to the minimum and the maximum', () => {
    expect(adjustedValue(10_000n, 0, 2n, 0n, 8_000n, 1n << 40n)).toBe(8_000n)
    expect(adjustedValue(10_000n, 40, 2n, 0n, 1n, 20_000n)).toBe(20_000n)
  })

  it('raises the difficulty, not the burn, when proof-of-work registrations exceed the target', () => {
    const tc = new TestChain(genesisSpec({
      subnet2: { difficulty: 100n, minDifficulty: 1n, adjustmentInterval: 5n, targetRegistrationsPerInterval: 2n }
    }))
    tc.block()
    const regs: Array<[Keypair, Keypair]> = [[alice, hotA], [alice, hotA2], [bob, hotB], [carol, hotC]]
    for (const [coldkey, hotkey] of regs) {
      tc.submit(coldkey, { kind: 'register_pow', netuid: 2, hotkey: hotkey.publicKey, block: 1, work: solve(tc, 1, 2, hotkey, coldkey, 100n) })
    }
    tc.blocksUntil(4)
    expect(tc.subnet(2).params.difficulty).toBe(100n)
    expect(tc.subnet(2).powRegistrationsThisInterval).toBe(4)
    tc.block()
    const subnet = tc.subnet(2)
    expect(subnet.params.difficulty).toBe(150n)
    expect(subnet.params.burn).toBe(TOKEN)
    expect(subnet.lastAdjustment).toBe(5)
    expect([subnet.registrationsThisInterval, subnet.powRegistrationsThisInterval, subnet.burnRegistrationsThisInterval]).toStrictEqual([0, 0, 0])
  })

  it('raises the burn, not the difficulty, when burn registrations exceed the target', () => {
    const tc = new TestChain(genesisSpec({ subnet1: { adjustmentInterval: 5n, targetRegistrationsPerInterval: 2n } }))
    for (const [coldkey, hotkey] of [[alice, hotA], [bob, hotB], [carol, hotC]] as const) tc.submit(coldkey, burnReg(hotkey))
    tc.blocksUntil(5)
    expect(tc.subnet(1).params.burn).toBe(1_250_000_000n)
    expect(tc.subnet(1).params.difficulty).toBe(10_000n)
  })

  it('lowers both burn and difficulty after an interval without registrations, down to their minimums', () => {
    const tc = new TestChain(genesisSpec({ subnet1: { adjustmentInterval: 5n } }))
    tc.blocksUntil(5)
    expect(tc.subnet(1).params.burn).toBe(TOKEN / 2n)
    expect(tc.subnet(1).params.difficulty).toBe(5_000n)
    tc.blocksUntil(9)
    expect(tc.subnet(1).params.burn).toBe(TOKEN / 2n)
    tc.blocksUntil(60)
    expect(tc.subnet(1).params.burn).toBe(500_000n)
    expect(tc.subnet(1).params.difficulty).toBe(1_000n)
  })

  it('only resets the per-block counter between adjustments', () => {
    const subnet: Subnet = { ...newSubnet(1, 'one', alice.publicKey, 0n, 0, { adjustmentInterval: 10n }), registrationsThisBlock: 1, registrationsThisInterval: 3 }
    const next = adjustRegistrationTerms(subnet, 5)
    expect(next.registrationsThisBlock).toBe(0)
    expect(next.registrationsThisInterval).toBe(3)
    expect(next.params).toStrictEqual(subnet.params)
    const quiet = { ...subnet, registrationsThisBlock: 0 }
    expect(adjustRegistrationTerms(quiet, 5)).toBe(quiet)
  })
})
