import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import type { Keypair } from '../../../../src/core/keys.ts'
import { K, type Neuron, type WeightRow } from '../../../../src/core/ledger/schema.ts'
import { commitLive, maxUpscale, weightsCommitHash } from '../../../../src/core/ledger/weights.ts'
import { TOKEN, TestChain, alice, bob, expectRejected, genesisSpec, hotA, hotB, hotC } from './fixture.ts'

const SALT = new Uint8Array(32).fill(7)

/**
 * Subnet 1 with tempo 3 runs epochs at the start of blocks 2, 5, 8, 11…, so its epoch count is 1
 * in blocks 2–4, 2 in 5–7, 3 in 8–10. hotA (uid 0, staked) and hotB (uid 1) register at heights 1
 * and 2; the epoch at the start of block 2 gives hotA a validator permit; hotA commits at height 3.
 */
function committed (uids: number[], weights: number[], salt = SALT): TestChain {
  const tc = new TestChain(genesisSpec({ subnet1: { tempo: 3n } }))
  tc.submit(alice, { kind: 'register_burn', netuid: 1, hotkey: hotA.publicKey, maxBurn: 10n * TOKEN })
  tc.submit(alice, { kind: 'add_stake', hotkey: hotA.publicKey, amount: 10n * TOKEN })
  tc.block()
  tc.registerBurn(bob, hotB)
  expect(tc.state.get<Neuron>(K.neuron(1, 0))!.validatorPermit).toBe(true)
  commit(tc, hotA, uids, weights, salt)
  tc.block()
  return tc
}

function commit (tc: TestChain, hotkey: Keypair, uids: number[], weights: number[], salt = SALT): void {
  tc.submit(hotkey, { kind: 'commit_weights', netuid: 1, commit: weightsCommitHash(1, hotkey.publicKey, uids, weights, salt) })
}

const reveal = (uids: number[], weights: number[], salt = SALT) =>
  ({ kind: 'reveal_weights' as const, netuid: 1, uids, weights, salt })

describe('epochs', () => {
  it('keeps a commit revealable for commitRevealPeriod epochs after the one it was made in', () => {
    expect([1, 2, 3, 4].map(now => commitLive(1, now, 2n))).toStrictEqual([true, true, true, false])
  })

  it('counts the epochs a subnet runs, every tempo blocks', () => {
    const tc = committed([0, 1], [1, 2])
    expect(tc.subnet(1).epochs).toBe(1)
    tc.blocksUntil(4)
    expect(tc.subnet(1).epochs).toBe(2)
    expect(tc.subnet(1).lastEpochBlock).toBe(5)
  })
})

describe('commit and reveal', () => {
  it('stores max-upscaled weights when a commit made in one epoch is revealed in the next', () => {
    const tc = committed([0, 1], [1, 2])
    expect(tc.height).toBe(3)
    expect(tc.state.has(K.commit(1, hotA.publicKey))).toBe(true)
    tc.blocksUntil(5)
    tc.submit(hotA, reveal([0, 1], [1, 2]))
    tc.block()
    // round(1 · 65535 / 2) = 32768 (half away from zero); the largest weight becomes 65535.
    expect(tc.state.get<WeightRow>(K.weights(1, 0))).toStrictEqual({ uids: [0, 1], weights: [32768, 65535] })
    expect(tc.state.has(K.commit(1, hotA.publicKey))).toBe(false)
    expect(tc.state.get<Neuron>(K.neuron(1, 0))!.lastUpdate).toBe(6)
  })

  it('rejects a reveal whose weights or salt differ from the commit with REVEAL_MISMATCH', () => {
    const tc = committed([0, 1], [1, 2])
    tc.blocksUntil(5)
    expectRejected(tc, () => tc.submit(hotA, reveal([0, 1], [1, 3])), 'REVEAL_MISMATCH')
    expectRejected(tc, () => tc.submit(hotA, reveal([0, 1], [1, 2], new Uint8Array(32))), 'REVEAL_MISMATCH')
    expectRejected(tc, () => tc.submit(hotA, reveal([1, 0], [2, 1])), 'REVEAL_MISMATCH')
  })

  it("rejects revealing another hotkey's commit with REVEAL_MISMATCH or NO_COMMIT", () => {
    const tc = committed([0, 1], [1, 2])
    commit(tc, hotB, [0], [1])
    tc.blocksUntil(5)
    // hotB's own commit holds other weights, and hotB's hotkey is in the hash.
    expectRejected(tc, () => tc.submit(hotB, reveal([0, 1], [1, 2])), 'REVEAL_MISMATCH')
    const other = committed([0, 1], [1, 2])
    other.blocksUntil(5)
    expectRejected(other, () => other.submit(hotB, reveal([0, 1], [1, 2])), 'NO_COMMIT')
  })

  it('rejects a reveal in the epoch of the commit with REVEAL_TOO_EARLY', () => {
    const tc = committed([0, 1], [1, 2])
    expectRejected(tc, () => tc.submit(hotA, reveal([0, 1], [1, 2])), 'REVEAL_TOO_EARLY') // lands at 4, epoch 1
    tc.block()
    tc.submit(hotA, reveal([0, 1], [1, 2])) // lands at 5, after the epoch that started it
  })

  it('rejects a reveal after commitRevealPeriod epochs with REVEAL_EXPIRED', () => {
    const tc = committed([0, 1], [1, 2])
    tc.blocksUntil(9)
    expectRejected(tc, () => tc.submit(hotA, reveal([0, 1], [1, 2])), 'REVEAL_EXPIRED') // lands at 10, two epochs on
  })

  it('rejects a reveal without a commit with NO_COMMIT', () => {
    const tc = committed([0, 1], [1, 2])
    tc.blocksUntil(5)
    tc.submit(hotA, reveal([0, 1], [1, 2]))
    expectRejected(tc, () => tc.submit(hotA, reveal([0, 1], [1, 2])), 'NO_COMMIT')
  })

  it('rejects commits and reveals from a hotkey not registered on the subnet with NOT_REGISTERED', () => {
    const tc = committed([0, 1], [1, 2])
    expectRejected(tc, () => commit(tc, hotC, [0], [1]), 'NOT_REGISTERED')
    expectRejected(tc, () => tc.submit(hotC, reveal([0], [1])), 'NOT_REGISTERED')
    // The coldkey is not the hotkey.
    expectRejected(tc, () => commit(tc, alice, [0], [1]), 'NOT_REGISTERED')
  })

  it('rejects commits on an unknown subnet with UNKNOWN_SUBNET', () => {
    const tc = committed([0, 1], [1, 2])
    expectRejected(tc, () => tc.submit(hotA, { kind: 'commit_weights', netuid: 7, commit: new Uint8Array(32) }), 'UNKNOWN_SUBNET')
  })

  it('lets a later commit replace an earlier one', () => {
    const tc = committed([0, 1], [1, 2])
    commit(tc, hotA, [1], [9])
    tc.blocksUntil(5)
    expectRejected(tc, () => tc.submit(hotA, reveal([0, 1], [1, 2])), 'REVEAL_MISMATCH')
    tc.submit(hotA, reveal([1], [9]))
    expect(tc.state.get<WeightRow>(K.weights(1, 0))).toStrictEqual({ uids: [1], weights: [65535] })
  })
})

describe('validator permits', () => {
  it('let a hotkey without a permit set weight only on itself, with NO_PERMIT otherwise', () => {
    const tc = committed([0, 1], [1, 2])
    commit(tc, hotB, [0, 1], [1, 1])
    tc.block()
    commit(tc, hotB, [1], [5]) // lands at 5, epoch count 2
    tc.blocksUntil(7)
    expect(tc.state.get<Neuron>(K.neuron(1, 1))!.validatorPermit).toBe(false)
    tc.submit(hotB, reveal([1], [5]))
    expect(tc.state.get<WeightRow>(K.weights(1, 1))).toStrictEqual({ uids: [1], weights: [65535] })
    const other = committed([0, 1], [1, 2])
    commit(other, hotB, [0, 1], [1, 1])
    other.blocksUntil(6)
    expectRejected(other, () => other.submit(hotB, reveal([0, 1], [1, 1])), 'NO_PERMIT')
  })
})

describe('weight vectors', () => {
  const cases: Array<[string, number[], number[], string]> = [
    ['a uid named twice', [0, 0], [1, 1], 'DUPLICATE_UID'],
    ['a uid the subnet does not have', [0, 2], [1, 1], 'UID_OUT_OF_RANGE'],
    ['more uids than weights', [0, 1], [1], 'WEIGHTS_LENGTH_MISMATCH'],
    ['more weights than uids', [0], [1, 1], 'WEIGHTS_LENGTH_MISMATCH']
  ]
  for (const [what, uids, weights, code] of cases) {
    it(`rejects a revealed vector with ${what} with ${code}`, () => {
      const tc = committed(uids, weights)
      tc.blocksUntil(5)
      expectRejected(tc, () => tc.submit(hotA, reveal(uids, weights)), code)
      expect(tc.state.has(K.weights(1, 0))).toBe(false)
      expect(tc.state.has(K.commit(1, hotA.publicKey))).toBe(true)
    })
  }

  it('accepts an empty vector and an all-zero vector', () => {
    const tc = committed([0, 1], [0, 0])
    tc.blocksUntil(5)
    tc.submit(hotA, reveal([0, 1], [0, 0]))
    expect(tc.state.get<WeightRow>(K.weights(1, 0))).toStrictEqual({ uids: [0, 1], weights: [0, 0] })
  })
})

describe('maxUpscale', () => {
  it('scales the largest weight to 65535 and rounds half away from zero', () => {
    expect(maxUpscale([1, 2])).toStrictEqual([32768, 65535])
    expect(maxUpscale([3, 1])).toStrictEqual([65535, 21845])
    expect(maxUpscale([65535, 0])).toStrictEqual([65535, 0])
    expect(maxUpscale([0, 0])).toStrictEqual([0, 0])
    expect(maxUpscale([])).toStrictEqual([])
    expect(maxUpscale([1, 65535])).toStrictEqual([1, 65535])
    expect(maxUpscale([2, 3])).toStrictEqual([43690, 65535])
    // yuma.md §3.5's examples: a max above 32768 scales by (65535 / max) first.
    expect(maxUpscale([43690, 21845])).toStrictEqual([65535, 32768])
    expect(maxUpscale([32767, 32767])).toStrictEqual([65535, 65535])
  })

  it('keeps the order of weights, stays within u16 and reaches 65535 at the maximum', () => {
    fc.assert(fc.property(fc.array(fc.integer({ min: 0, max: 65535 }), { minLength: 1, maxLength: 30 }), weights => {
      const scaled = maxUpscale(weights)
      const max = Math.max(...weights)
      for (let i = 0; i < weights.length; i++) {
        expect(scaled[i]).toBeGreaterThanOrEqual(0)
        expect(scaled[i]).toBeLessThanOrEqual(65535)
        if (max > 0) expect(Math.abs(scaled[i]! - weights[i]! * 65535 / max)).toBeLessThanOrEqual(0.5)
        for (let j = 0; j < weights.length; j++) if (weights[i]! <= weights[j]!) expect(scaled[i]).toBeLessThanOrEqual(scaled[j]!)
      }
      if (max > 0) expect(Math.max(...scaled)).toBe(65535)
    }), { numRuns: 200 })
  })
})
