import { describe, expect, it } from 'vitest'
import { auditEpoch, epochInputKeys } from '../../../../src/core/audit.ts'
import { subnetEpochInputs } from '../../../../src/core/ledger/epoch-inputs.ts'
import { K, type EpochRecord, type Neuron } from '../../../../src/core/ledger/schema.ts'
import { runEpoch } from '../../../../src/core/yuma/epoch.ts'
import { unpackRows } from '../../../../src/core/yuma/packed.ts'
import type { PackedRows } from '../../../../src/core/yuma/types.ts'
import { weightsCommitHash } from '../../../../src/core/ledger/weights.ts'
import { TREASURY } from '../../../../src/core/ledger/treasury.ts'
import { blockReward } from '../../../../src/core/supply.ts'
import type { Keypair } from '../../../../src/core/keys.ts'
import { TOKEN, TestChain, alice, bob, carol, genesisSpec, hotA, hotA2, hotB, hotC } from './fixture.ts'

const SALT = new Uint8Array(32).fill(5)

/** Subnet 1 with two staked validators (uids 0, 1) and two miners (uids 2, 3); subnet 2 takes no emission. */
function network (): TestChain {
  const tc = new TestChain(genesisSpec({
    subnet1: { tempo: 6n, immunityPeriod: 1000n, commitRevealPeriod: 2n },
    subnet2: { emissionShare: 0n }
  }))
  tc.registerAndStake(alice, hotA, 100n * TOKEN)
  tc.registerAndStake(bob, hotB, 50n * TOKEN)
  tc.registerBurn(alice, hotA2)
  tc.registerBurn(carol, hotC)
  return tc
}

/** Runs blocks until subnet 1's next epoch has run; returns its height. */
function nextEpoch (tc: TestChain): number {
  const last = tc.subnet(1).lastEpochBlock
  while (tc.subnet(1).lastEpochBlock === last) tc.block()
  return tc.subnet(1).lastEpochBlock
}

/** Both validators commit weights on the miners, then reveal them once the commit epoch is over. */
function setWeights (tc: TestChain, rows: Array<[Keypair, number[]]>): void {
  for (const [hotkey, weights] of rows) {
    tc.submit(hotkey, { kind: 'commit_weights', netuid: 1, commit: weightsCommitHash(1, hotkey.publicKey, [2, 3], weights, SALT) })
  }
  tc.block()
  nextEpoch(tc)
  for (const [hotkey, weights] of rows) tc.submit(hotkey, { kind: 'reveal_weights', netuid: 1, uids: [2, 3], weights, salt: SALT })
  tc.block()
}

describe('emission routing', () => {
  it('splits each block reward among subnets by their share, losing nothing', () => {
    const tc = new TestChain(genesisSpec())
    const genesis = 3_000n * TOKEN
    const reward = blockReward(genesis)
    // Block 1 has started: its reward is minted and routed, half to each subnet.
    expect(tc.globals.issuance).toBe(genesis + reward)
    expect(tc.subnet(1).pendingEmission + tc.subnet(2).pendingEmission).toBe(reward)
    expect(tc.subnet(1).pendingEmission).toBe(reward / 2n)
  })

  it('pays the treasury while no subnet takes emission', () => {
    const tc = new TestChain(genesisSpec({ subnet1: { emissionShare: 0n }, subnet2: { emissionShare: 0n } }))
    // Genesis issuance is the three 1,000-token balances; block 1's reward goes to the treasury.
    expect(tc.balance(TREASURY)).toBe(blockReward(3_000n * TOKEN))
  })
})

describe('an epoch on the ledger', () => {
  it('gives validators permits, then pays miners by the weights, the owner its cut, and records it all', () => {
    const tc = network()
    nextEpoch(tc)
    const permits = [0, 1, 2, 3].map(uid => tc.state.get<Neuron>(K.neuron(1, uid))!.validatorPermit)
    expect(permits).toEqual([true, true, false, false])

    setWeights(tc, [[hotA, [60_000, 20_000]], [hotB, [50_000, 30_000]]])
    const carolBefore = tc.balance(carol)
    const height = nextEpoch(tc)
    const record = tc.state.get<EpochRecord>(K.epoch(1, height))!
    const paid = record.payouts.reduce((sum, [, miner, validator]) => sum + miner + validator, 0n)
    expect(record.ownerCut + paid + record.carried).toBe(record.emission)
    expect(record.ownerCut).toBe(record.emission * 11_796n / 65_535n)
    // What the epoch left stays pending, with the reward of the block the epoch started.
    expect(tc.subnet(1).pendingEmission).toBe(record.carried + TOKEN)

    const [, minerA2] = record.payouts[2]!
    const [, minerC] = record.payouts[3]!
    expect(minerA2).toBeGreaterThan(minerC)
    expect(minerC).toBeGreaterThan(0n)
    expect(tc.balance(carol) - carolBefore).toBe(minerC)
    // Validators are paid by dividends; the incentive terms are stored on the neurons.
    expect(record.payouts[0]![2] + record.payouts[1]![2]).toBeGreaterThan(0n)
    expect(tc.state.get<Neuron>(K.neuron(1, 2))!.incentive).toBeGreaterThan(tc.state.get<Neuron>(K.neuron(1, 3))!.incentive)
  })

  it('shares a validator\'s dividends with its stakers, pro rata, as stake', () => {
    const tc = network()
    // Carol stakes on bob's validator hotkey too.
    tc.submit(carol, { kind: 'add_stake', hotkey: hotB.publicKey, amount: 50n * TOKEN })
    tc.block()
    nextEpoch(tc)
    setWeights(tc, [[hotA, [60_000, 20_000]], [hotB, [50_000, 30_000]]])
    const bobStake = tc.stake(hotB, bob)
    const carolStake = tc.stake(hotB, carol)
    const height = nextEpoch(tc)
    const [, , validator, take] = tc.state.get<EpochRecord>(K.epoch(1, height))!.payouts[1]!
    const shared = validator - take
    expect(shared).toBeGreaterThan(0n)
    expect(tc.stake(hotB, bob) - bobStake).toBe(shared * bobStake / (bobStake + carolStake))
    expect(tc.stake(hotB, carol) - carolStake).toBe(shared * carolStake / (bobStake + carolStake))
  })
})

describe('the epoch inputs the ledger builds', () => {
  function weighted (): TestChain {
    const tc = network()
    nextEpoch(tc)
    setWeights(tc, [[hotA, [60_000, 20_000]], [hotB, [50_000, 30_000]]])
    return tc
  }

  it('packs the stored weight and bond rows, uid by uid', () => {
    const tc = weighted()
    const { inputs } = subnetEpochInputs(key => tc.state.get(key), 1, tc.chain.height)!
    const weights = inputs.weights as PackedRows
    expect(weights.uids).toBeInstanceOf(Uint16Array)
    // Each row max-upscaled as stored: validators 0 and 1 weight miners 2 and 3.
    expect(unpackRows(weights)).toEqual([[[2, 65535], [3, 21845]], [[2, 65535], [3, 39321]], [], []])
    expect(unpackRows(inputs.bonds as PackedRows)).toEqual([[], [], [], []])
    // After an epoch the validators hold bonds on both miners, and the next inputs carry them.
    nextEpoch(tc)
    const next = subnetEpochInputs(key => tc.state.get(key), 1, tc.chain.height)!.inputs
    const bonds = unpackRows(next.bonds as PackedRows)
    expect(bonds.map(row => row.map(([uid]) => uid))).toEqual([[2, 3], [2, 3], [], []])
    expect(bonds.flat().every(([, value]) => value > 0)).toBe(true)
  })

  it('passes a stored row that is not u16 pairs on as pairs, so the epoch refuses it by row', () => {
    const tc = weighted()
    const read = (key: string): unknown => (key === K.weights(1, 1) ? { uids: [2, 3], weights: [70_000, 1] } : tc.state.get(key))
    const { params, inputs } = subnetEpochInputs(read, 1, tc.chain.height)!
    expect(Array.isArray(inputs.weights)).toBe(true)
    expect(() => runEpoch(params, inputs)).toThrow(/weights\[1\] value must be an integer from 0 to 65535, not 70000/)
  })
})

describe('auditing an epoch from proofs', () => {
  function evidence (tc: TestChain, height: number) {
    const before = tc.chain.stateBeforeEpochs(height)!
    return {
      netuid: 1,
      height,
      inputs: epochInputKeys(before, 1, height).map(key => before.prove(key)),
      preRoot: tc.chain.header(height - 1)!.header.stateRoot,
      record: tc.state.prove(K.epoch(1, height)),
      recordRoot: tc.state.root
    }
  }

  function auditedNetwork (): { tc: TestChain, height: number } {
    const tc = network()
    nextEpoch(tc)
    setWeights(tc, [[hotA, [60_000, 20_000]], [hotB, [50_000, 30_000]]])
    const height = nextEpoch(tc)
    tc.block()
    return { tc, height }
  }

  it('verifies an honest epoch', () => {
    const { tc, height } = auditedNetwork()
    expect(auditEpoch(evidence(tc, height))).toEqual({ ok: true })
  })

  it('catches an input value that is not what the state held', () => {
    const { tc, height } = auditedNetwork()
    const e = evidence(tc, height)
    const at = e.inputs.findIndex(p => p.key === K.hotkeyStake(hotA.publicKey))
    const forged = { ...e.inputs[at]!, value: new Uint8Array([0x1a, 0, 0, 0, 1]) } as typeof e.inputs[number]
    e.inputs[at] = forged
    const result = auditEpoch(e)
    expect(result.ok).toBe(false)
  })

  it('catches a relay that recorded other payouts than the epoch gives', () => {
    const { tc, height } = auditedNetwork()
    const record = tc.state.get<EpochRecord>(K.epoch(1, height))!
    const payouts = record.payouts.map(([h, m, v, t], uid) => [h, uid === 3 ? m + 1n : m, v, t] as typeof record.payouts[number])
    tc.state.set(K.epoch(1, height), { ...record, payouts })
    tc.state.commit()
    const result = auditEpoch(evidence(tc, height))
    expect(result).toMatchObject({ ok: false })
    expect((result as { reason: string }).reason).toMatch(/uid 3/)
  })

  it('refuses evidence that leaves out a key the epoch reads', () => {
    const { tc, height } = auditedNetwork()
    const e = evidence(tc, height)
    e.inputs = e.inputs.filter(p => p.key !== K.weights(1, 0))
    expect(auditEpoch(e)).toMatchObject({ ok: false, reason: expect.stringMatching(/no proof/) })
  })
})
