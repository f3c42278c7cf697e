/**
 * Properties of the epoch on random subnets (fast-check): what it pays, who can be paid, and what
 * a colluding minority can and cannot do.
 */
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { epochTerms, runEpoch } from '../../../../src/core/yuma/epoch.ts'
import type { EpochInputs, EpochParams, SparseRow } from '../../../../src/core/yuma/types.ts'

const u16 = fc.integer({ min: 0, max: 65535 })
const sum = (values: bigint[]): bigint => values.reduce((a, b) => a + b, 0n)
const ceilDiv = (a: bigint, b: bigint): bigint => (a + b - 1n) / b
const TWO_32 = 1n << 32n

/** Sparse rows over n uids: unique uids in any order, u16 values (zeros included). */
const rows = (n: number): fc.Arbitrary<SparseRow[]> => fc.array(
  fc.uniqueArray(fc.tuple(fc.integer({ min: 0, max: n - 1 }), u16), { selector: ([j]) => j, maxLength: n }),
  { minLength: n, maxLength: n })

const paramsArb = (n: number): fc.Arbitrary<EpochParams> => fc.record({
  tempo: fc.integer({ min: 0, max: 400 }),
  kappa: u16,
  bondsMovingAverage: fc.bigInt({ min: 0n, max: 1_000_000n }),
  bondsPenalty: u16,
  maxValidators: fc.integer({ min: 0, max: n + 2 }),
  activityCutoffFactorMilli: fc.integer({ min: 1000, max: 50_000 }),
  yuma3: fc.boolean(),
  liquidAlpha: fc.boolean(),
  alphaLow: fc.integer({ min: 1638, max: 40000 }),
  alphaHigh: fc.integer({ min: 40000, max: 65535 }),
  alphaSigmoidSteepness: fc.integer({ min: -32768, max: 32767 }),
  stakeThreshold: fc.bigInt({ min: 0n, max: 1000n }),
  ownerUid: fc.option(fc.integer({ min: 0, max: n - 1 }), { nil: null }),
  lastMechanismStepBlock: fc.integer({ min: 0, max: 1000 })
})

const inputsArb = (n: number): fc.Arbitrary<EpochInputs & { bonds: SparseRow[] }> => {
  const blocks = fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: n, maxLength: n })
  return fc.record({
    block: fc.integer({ min: 0, max: 1000 }),
    emission: fc.oneof(fc.bigInt({ min: 0n, max: 10n ** 12n }), fc.bigInt({ min: 0n, max: (1n << 64n) - 1n })),
    stake: fc.array(fc.oneof(fc.constant(0n), fc.bigInt({ min: 1n, max: 10n ** 15n })), { minLength: n, maxLength: n }),
    weights: rows(n),
    lastUpdate: blocks,
    blockAtRegistration: blocks,
    validatorPermit: fc.array(fc.boolean(), { minLength: n, maxLength: n }),
    bonds: rows(n),
    commitBlock: fc.array(fc.option(fc.integer({ min: 0, max: 1000 }), { nil: null }), { minLength: n, maxLength: n })
  })
}

const subnet = fc.integer({ min: 1, max: 10 }).chain(n => fc.tuple(paramsArb(n), inputsArb(n)))

describe('payouts', () => {
  it('never exceed the epoch emission, and the combined emission falls short of it by at most n + ⌈(n+1)·E/2^32⌉ base units whenever some uid has counted stake', () => {
    fc.assert(fc.property(subnet, ([params, inputs]) => {
      const out = runEpoch(params, inputs)
      const n = BigInt(inputs.stake.length)
      const paid = sum(out.serverEmission) + sum(out.validatorEmission)
      const combined = sum(out.emission)
      expect(paid).toBeLessThanOrEqual(inputs.emission)
      expect(combined).toBeLessThanOrEqual(inputs.emission)
      if (epochTerms(params, inputs).stake.some(s => s > 0n)) {
        expect(inputs.emission - combined).toBeLessThanOrEqual(n + ceilDiv((n + 1n) * inputs.emission, TWO_32))
        expect(inputs.emission - paid).toBeLessThanOrEqual(2n * n + ceilDiv((2n * n + 1n) * inputs.emission, TWO_32))
      } else {
        expect(combined).toBe(0n) // nobody holds stake that counts: nothing is paid
      }
    }), { numRuns: 300 })
  })

  it('give nothing to a uid with no stake, no incentive and no bonds', () => {
    fc.assert(fc.property(subnet, ([params, inputs]) => {
      const out = runEpoch(params, inputs)
      const terms = epochTerms(params, inputs)
      inputs.stake.forEach((stake, i) => {
        if (stake !== 0n || terms.incentive[i] !== 0n || inputs.bonds[i]!.length > 0) return
        expect([out.emission[i], out.serverEmission[i], out.validatorEmission[i]]).toEqual([0n, 0n, 0n])
      })
    }), { numRuns: 300 })
  })

  it('give nothing in Yuma 3 to a uid with no stake and no incentive, whatever bonds it holds', () => {
    fc.assert(fc.property(subnet, ([params, inputs]) => {
      const yuma3 = { ...params, yuma3: true }
      const out = runEpoch(yuma3, inputs)
      const terms = epochTerms(yuma3, inputs)
      inputs.stake.forEach((stake, i) => {
        if (stake !== 0n || terms.incentive[i] !== 0n) return
        expect([out.emission[i], out.serverEmission[i], out.validatorEmission[i]]).toEqual([0n, 0n, 0n])
      })
    }), { numRuns: 300 })
  })

  it('in original Yuma still pay a validator that unstaked dividends on the bonds it holds (why the property above needs "no bonds")', () => {
    const params: EpochParams = {
      tempo: 10, kappa: 32767, bondsMovingAverage: 900_000n, bondsPenalty: 65535, maxValidators: 8,
      activityCutoffFactorMilli: 13_889, yuma3: false, liquidAlpha: false, alphaLow: 45875, alphaHigh: 58982,
      alphaSigmoidSteepness: 1000, stakeThreshold: 0n, ownerUid: null, lastMechanismStepBlock: 0
    }
    const inputs: EpochInputs = {
      block: 20, emission: 1_000_000_000n, stake: [1000n, 0n, 0n],
      weights: [[[2, 65535]], [], []], lastUpdate: [15, 15, 15], blockAtRegistration: [0, 0, 0],
      validatorPermit: [true, true, false], bonds: [[[2, 65535]], [[2, 65535]], []]
    }
    const out = runEpoch(params, inputs)
    expect(out.validatorEmission[1]).toBeGreaterThan(0n)
    expect(runEpoch({ ...params, yuma3: true }, inputs).validatorEmission[1]).toBe(0n)
  })
})

/** Validators 0..h−1 honest, h..h+c−1 colluding, then the miners, then spare uids nobody weights. */
interface Collusion {
  kappa: number
  honestStake: bigint[]
  colluderStake: bigint[]
  /** u16 weights of each miner (honest validators' rows); the colluders' favourite is miner 0. */
  honestRows: number[][]
}

const collusionArb: fc.Arbitrary<Collusion> = fc.record({
  kappa: fc.integer({ min: 19661, max: 58982 }), // κ from 0.3 to 0.9
  honestStake: fc.array(fc.bigInt({ min: 10n ** 9n, max: 10n ** 12n }), { minLength: 1, maxLength: 5 }),
  colluderParts: fc.array(fc.integer({ min: 1, max: 100 }), { minLength: 1, maxLength: 3 }),
  colluderPpm: fc.integer({ min: 0, max: 1_000_000 }),
  miners: fc.integer({ min: 1, max: 5 })
}).chain(({ kappa, honestStake, colluderParts, colluderPpm, miners }) => {
  // The colluders' share f of all active stake stays below κ − 0.05.
  const limitPpm = BigInt(Math.floor((kappa / 65535 - 0.05) * 1e6))
  const f = BigInt(colluderPpm) * limitPpm / 1_000_000n
  const honest = sum(honestStake)
  const total = honest * f / (1_000_000n - f)
  const parts = BigInt(colluderParts.reduce((a, b) => a + b, 0))
  const colluderStake = colluderParts.map(p => total * BigInt(p) / parts + 1n)
  return fc.array(fc.array(u16, { minLength: miners, maxLength: miners }), { minLength: honestStake.length, maxLength: honestStake.length })
    .map(honestRows => ({ kappa, honestStake, colluderStake, honestRows }))
})

function collusionEpoch (c: Collusion, colluderRow: (firstMiner: number, firstSpare: number) => SparseRow, unanimous: boolean): { params: EpochParams, inputs: EpochInputs, firstMiner: number } {
  const h = c.honestStake.length
  const v = h + c.colluderStake.length
  const miners = c.honestRows[0]!.length
  const n = v + 2 * miners
  const honestRow = (i: number): SparseRow => (unanimous ? c.honestRows[0]! : c.honestRows[i]!).map((w, k) => [v + k, w])
  const params: EpochParams = {
    tempo: 10, kappa: c.kappa, bondsMovingAverage: 900_000n, bondsPenalty: 65535, maxValidators: v,
    activityCutoffFactorMilli: 13_889, yuma3: true, liquidAlpha: false, alphaLow: 45875, alphaHigh: 58982,
    alphaSigmoidSteepness: 1000, stakeThreshold: 0n, ownerUid: null, lastMechanismStepBlock: 0
  }
  const uids = Array.from({ length: n }, (_, i) => i)
  const inputs: EpochInputs = {
    block: 100,
    emission: 1_000_000_000n,
    stake: uids.map(i => (i < h ? c.honestStake[i]! : i < v ? c.colluderStake[i - h]! : 0n)),
    weights: uids.map(i => (i < h ? honestRow(i) : i < v ? colluderRow(v, v + miners) : [])),
    lastUpdate: uids.map(() => 95),
    blockAtRegistration: uids.map(() => 0),
    validatorPermit: uids.map(i => i < v),
    bonds: uids.map(() => [])
  }
  return { params, inputs, firstMiner: v }
}

describe('a colluding minority (less than κ of active stake)', () => {
  it('cannot lift its favourite miner\'s consensus above the largest weight any honest validator gives it', () => {
    fc.assert(fc.property(collusionArb, c => {
      const { params, inputs, firstMiner } = collusionEpoch(c, miner => [[miner, 65535]], false)
      const terms = epochTerms(params, inputs)
      const honestMax = terms.maskedWeights.slice(0, c.honestStake.length)
        .map(row => row.find(([j]) => j === firstMiner)?.[1] ?? 0n)
        .reduce((a, b) => (a > b ? a : b), 0n)
      expect(terms.consensus[firstMiner]).toBeLessThanOrEqual(honestMax)
    }), { numRuns: 300 })
  })

  it('gains exactly nothing by putting all its weight on one miner: against a unanimous honest majority every incentive equals the one it gets by weighting that miner as the majority does and wasting the rest', () => {
    fc.assert(fc.property(collusionArb, c => {
      const allIn = collusionEpoch(c, miner => [[miner, 65535]], true)
      // Same row as the majority's, but every other miner's weight goes to a spare uid nobody else weights.
      const asMajority = collusionEpoch(c, (miner, spare) =>
        c.honestRows[0]!.map((w, k): [number, number] => [k === 0 ? miner : spare + k, w]), true)
      expect(runEpoch(allIn.params, allIn.inputs).incentive).toEqual(runEpoch(asMajority.params, asMajority.inputs).incentive)
    }), { numRuns: 300 })
  })

  it('can still raise its miner\'s incentive share above the majority\'s weight by withdrawing support from other miners, while the miner\'s rank stays what the majority gives it', () => {
    // Honest 60 % weight miners 2 and 3 equally; colluders (40 %) put everything on miner 2.
    const c: Collusion = { kappa: 32767, honestStake: [600n], colluderStake: [400n], honestRows: [[65535, 65535]] }
    const allIn = collusionEpoch(c, miner => [[miner, 65535]], true)
    const abstain = collusionEpoch(c, () => [], true)
    const honest = collusionEpoch(c, miner => [[miner, 65535], [miner + 1, 65535]], true)
    const share = (e: typeof allIn): number => runEpoch(e.params, e.inputs).incentive[2]!
    expect(share(abstain)).toBe(32767) // ½
    expect(share(allIn)).toBe(40959) // 0.5 / (0.5 + 0.3) = 0.625
    const rank = (e: typeof allIn): bigint => epochTerms(e.params, e.inputs).ranks[2]!
    expect(rank(allIn)).toBe(rank(honest)) // the clipped excess earns nothing
  })
})
