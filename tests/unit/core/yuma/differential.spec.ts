/**
 * The optimised epoch against the oracle (./oracle/, the frozen bigint implementation): random
 * subnets of every shape the input checks accept must give identical outputs and identical
 * fixed-point terms, bit for bit (`toStrictEqual` tells −0 from 0 and a typed array from a list).
 * Seeded, so a failure reproduces; fast-check prints the shrunk counterexample.
 */
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { epochTerms, runEpoch } from '../../../../src/core/yuma/epoch.ts'
import { unpackRows } from '../../../../src/core/yuma/packed.ts'
import type { EpochParams, SparseRow } from '../../../../src/core/yuma/types.ts'
import type { OracleInputs as EpochInputs } from './oracle/check.ts'
import * as oracle from './oracle/epoch.ts'
import { packedInputs } from './packed-inputs.ts'

const SEED = 0x5eed
/** The oracle computes in bigint: hundreds of epochs take seconds, more on a busy machine. */
const SLOW_MS = 120_000
const U64_MAX = (1n << 64n) - 1n

const u16 = fc.integer({ min: 0, max: 65535 })
/** Weight and bond values: zeros and maxima often, anything else too. */
const value = fc.oneof(fc.constant(0), fc.constant(65535), u16, fc.integer({ min: 0, max: 16 }))
const block = fc.integer({ min: 0, max: 2000 })

/** Rows as the ledger stores them and worse: sparse (unsorted), dense (sorted or shuffled), with uids ≥ n. */
function rowArb (n: number, dense: boolean): fc.Arbitrary<SparseRow> {
  if (n === 0) return fc.constant([])
  const uid = fc.oneof({ weight: 20, arbitrary: fc.integer({ min: 0, max: n - 1 }) }, { weight: 1, arbitrary: fc.integer({ min: n, max: 65535 }) })
  const uids = Array.from({ length: n }, (_, j) => j)
  const kinds: Array<fc.Arbitrary<SparseRow>> = [
    fc.constant([]),
    fc.uniqueArray(fc.tuple(uid, value), { selector: ([j]) => j, maxLength: n + 4 }),
    fc.shuffledSubarray(uids, { minLength: 0, maxLength: n }).chain(order =>
      fc.array(value, { minLength: order.length, maxLength: order.length }).map(vs => vs.map((v, k): [number, number] => [order[k]!, v])))
  ]
  const full = fc.array(value, { minLength: n, maxLength: n }).map(vs => vs.map((v, j): [number, number] => [j, v]))
  return dense ? fc.oneof(full, full.chain(row => fc.shuffledSubarray(row, { minLength: n, maxLength: n }))) : fc.oneof(...kinds, full)
}

const stakeArb = fc.oneof(
  fc.constant(0n),
  fc.bigInt({ min: 1n, max: 1000n }),
  fc.bigInt({ min: 1n, max: 1n << 60n }),
  fc.bigInt({ min: 0n, max: U64_MAX })
)

function paramsArb (n: number): fc.Arbitrary<EpochParams> {
  return fc.record({
    tempo: fc.oneof(fc.integer({ min: 0, max: 400 }), fc.integer({ min: 0, max: 65535 })),
    kappa: fc.oneof(fc.constantFrom(0, 32767, 65535), u16),
    bondsMovingAverage: fc.oneof(fc.constantFrom(0n, 900_000n, 1_000_000n), fc.bigInt({ min: 0n, max: 1_000_000n })),
    bondsPenalty: fc.oneof(fc.constantFrom(0, 65535), u16),
    maxValidators: fc.integer({ min: 0, max: n + 2 }),
    activityCutoffFactorMilli: fc.oneof(fc.integer({ min: 0, max: 50_000 }), fc.integer({ min: 0, max: 4294967295 })),
    yuma3: fc.boolean(),
    liquidAlpha: fc.boolean(),
    alphaLow: fc.oneof(fc.constant(45875), u16),
    alphaHigh: fc.oneof(fc.constant(58982), u16),
    alphaSigmoidSteepness: fc.oneof(fc.constant(1000), fc.integer({ min: -32768, max: 32767 })),
    stakeThreshold: fc.oneof(fc.constant(0n), fc.bigInt({ min: 0n, max: 1n << 40n }), fc.bigInt({ min: 0n, max: U64_MAX })),
    ownerUid: fc.option(fc.integer({ min: 0, max: n + 1 }), { nil: null }),
    lastMechanismStepBlock: fc.oneof(fc.constant(0), block)
  })
}

function inputsArb (n: number, dense: boolean): fc.Arbitrary<EpochInputs> {
  const perUid = <T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T[]> => fc.array(arb, { minLength: n, maxLength: n })
  return fc.record({
    block,
    emission: fc.oneof(fc.bigInt({ min: 0n, max: 10n ** 12n }), fc.bigInt({ min: 0n, max: U64_MAX })),
    stake: perUid(stakeArb),
    weights: perUid(rowArb(n, dense)),
    lastUpdate: perUid(block),
    blockAtRegistration: perUid(fc.oneof(fc.constant(0), block)),
    validatorPermit: fc.oneof({ weight: 5, arbitrary: perUid(fc.boolean()) }, { weight: 1, arbitrary: fc.array(fc.boolean(), { maxLength: n }) }),
    bonds: perUid(rowArb(n, dense)),
    commitBlock: fc.option(perUid(fc.option(block, { nil: null })), { nil: undefined })
  }, { requiredKeys: ['block', 'emission', 'stake', 'weights', 'lastUpdate', 'blockAtRegistration', 'validatorPermit', 'bonds'] })
}

const epochArb = (minN: number, maxN: number, dense: boolean): fc.Arbitrary<[EpochParams, EpochInputs]> =>
  fc.integer({ min: minN, max: maxN }).chain(n => fc.tuple(paramsArb(n), inputsArb(n, dense)))

/**
 * Both implementations on the same epoch: identical outputs and terms, or the same error. The
 * optimised epoch runs twice, on rows as pairs and on the same rows packed (as the ledger gives them).
 */
function expectSameEpoch (params: EpochParams, inputs: EpochInputs): void {
  let expected: unknown
  try {
    expected = { outputs: oracle.runEpoch(params, inputs), terms: oracle.epochTerms(params, inputs) }
  } catch (error) {
    expect(() => runEpoch(params, inputs)).toThrow((error as Error).message)
    expect(() => runEpoch(params, packedInputs(inputs))).toThrow((error as Error).message)
    return
  }
  for (const form of [inputs, packedInputs(inputs)]) {
    const outputs = runEpoch(params, form)
    expect({ outputs: { ...outputs, bonds: unpackRows(outputs.bonds) }, terms: epochTerms(params, form) }).toStrictEqual(expected)
  }
}

describe('the epoch against the bigint oracle', () => {
  it('gives identical outputs and terms on random subnets of up to 64 uids (sparse, dense, unsorted and out-of-range entries)', () => {
    fc.assert(fc.property(epochArb(0, 64, false), ([params, inputs]) => expectSameEpoch(params, inputs)), { seed: SEED, numRuns: 400 })
  }, SLOW_MS)

  it('gives identical outputs and terms on random subnets with dense weight and bond rows', () => {
    fc.assert(fc.property(epochArb(1, 48, true), ([params, inputs]) => expectSameEpoch(params, inputs)), { seed: SEED + 1, numRuns: 200 })
  }, SLOW_MS)
})

describe('the epoch against the oracle at the edges of its number formats', () => {
  const base: EpochParams = {
    tempo: 360, kappa: 32767, bondsMovingAverage: 900_000n, bondsPenalty: 40000, maxValidators: 64,
    activityCutoffFactorMilli: 13_889, yuma3: true, liquidAlpha: true, alphaLow: 45875, alphaHigh: 58982,
    alphaSigmoidSteepness: 1000, stakeThreshold: 0n, ownerUid: null, lastMechanismStepBlock: 0
  }

  it('agrees on a weight row whose fixed-point sum saturates (more than 2^15 maximal weights)', () => {
    const n = 33_000 // 33_000 · 65535 ≥ 2^31: the row sum in I32F32 exceeds the 64-bit range
    const uids = Array.from({ length: n }, (_, j) => j)
    const inputs: EpochInputs = {
      block: 1000, emission: 10n ** 12n,
      stake: uids.map(i => (i < 2 ? 1000n + BigInt(i) : 0n)),
      weights: uids.map(i => (i === 0 ? uids.map((j): [number, number] => [j, 65535]) : i === 1 ? [[5, 65535], [7, 100]] : [])),
      lastUpdate: uids.map(() => 999), blockAtRegistration: uids.map(() => 0),
      validatorPermit: uids.map(i => i < 2), bonds: uids.map(i => (i === 0 ? [[5, 30000], [40, 2]] : []))
    }
    for (const params of [base, { ...base, yuma3: false }, { ...base, liquidAlpha: false, bondsPenalty: 65535 }]) {
      expectSameEpoch(params, inputs)
    }
  }, SLOW_MS)

  it('agrees on a few hundred uids with dense validators, the steepest sigmoids and extreme stakes', () => {
    const arb = fc.integer({ min: 100, max: 300 }).chain(n => fc.tuple(
      paramsArb(n).map(p => ({ ...p, maxValidators: 48 })),
      inputsArb(n, true).map(inputs => ({
        ...inputs,
        // Only the first 48 uids validate, so the oracle's dense bond rows stay affordable.
        weights: inputs.weights.map((row, i) => (i < 48 ? row : [])),
        bonds: inputs.bonds.map((row, i) => (i < 48 ? row : []))
      }))
    ))
    fc.assert(fc.property(arb, ([params, inputs]) => expectSameEpoch(params, inputs)), { seed: SEED + 2, numRuns: 12 })
  }, SLOW_MS)
})

describe('inputs the epoch refuses although the oracle computed them', () => {
  const params: EpochParams = {
    tempo: 10, kappa: 32767, bondsMovingAverage: 900_000n, bondsPenalty: 65535, maxValidators: 4,
    activityCutoffFactorMilli: 13_889, yuma3: true, liquidAlpha: false, alphaLow: 45875, alphaHigh: 58982,
    alphaSigmoidSteepness: 1000, stakeThreshold: 0n, ownerUid: null, lastMechanismStepBlock: 0
  }
  const inputs: EpochInputs = {
    block: 20, emission: 1_000_000_000n, stake: [1000n, 0n], weights: [[[1, 65535]], []], lastUpdate: [15, 15],
    blockAtRegistration: [0, 0], validatorPermit: [true, false], bonds: [[], []]
  }

  it('a row that lists a uid twice (no subnet state holds one: set_weights refuses it, the epoch writes each bond once)', () => {
    const duplicate: EpochInputs = { ...inputs, weights: [[[1, 65535], [1, 3]], []] }
    expect(oracle.runEpoch(params, duplicate).incentive).toEqual([0, 65535])
    expect(() => runEpoch(params, duplicate)).toThrow(/weights\[0\] lists uid 1 twice/)
    expect(() => runEpoch(params, { ...inputs, bonds: [[], [[0, 1], [0, 2]]] })).toThrow(/bonds\[1\] lists uid 0 twice/)
  })

  it('a bonds moving average above 1_000_000 ppm (a negative EMA weight; the ledger\'s parameter table forbids it)', () => {
    const negative = { ...params, bondsMovingAverage: 1_000_001n }
    expect(oracle.runEpoch(negative, inputs).incentive).toEqual([0, 65535])
    expect(() => runEpoch(negative, inputs)).toThrow(/bondsMovingAverage must be at most 1000000/)
  })
})
