import { describe, expect, it } from 'vitest'
import { EpochInputError } from '../../../../src/core/yuma/errors.ts'
import { activityCutoff, epochTerms, runEpoch } from '../../../../src/core/yuma/epoch.ts'
import { packedRow, unpackRows } from '../../../../src/core/yuma/packed.ts'
import { ONE } from '../../../../src/core/yuma/fixed.ts'
import type { EpochInputs, EpochParams, PackedRows, SparseRow } from '../../../../src/core/yuma/types.ts'
import { packRows } from './packed-inputs.ts'

const PARAMS: EpochParams = {
  tempo: 10, kappa: 32767, bondsMovingAverage: 900_000n, bondsPenalty: 65535, maxValidators: 64,
  activityCutoffFactorMilli: 13_889, yuma3: false, liquidAlpha: false, alphaLow: 45875, alphaHigh: 58982,
  alphaSigmoidSteepness: 1000, stakeThreshold: 0n, ownerUid: null, lastMechanismStepBlock: 0
}

/** Validators 0 and 1 (equal stake, permits) weight miners 2 and 3 equally; registered at block 1. */
function network (overrides: Partial<EpochInputs> = {}): EpochInputs {
  return {
    block: 20,
    emission: 1_000_000_000n,
    stake: [1000n, 1000n, 0n, 0n],
    weights: [[[2, 65535], [3, 65535]], [[2, 65535], [3, 65535]], [], []],
    lastUpdate: [15, 15, 15, 15],
    blockAtRegistration: [1, 1, 1, 1],
    validatorPermit: [true, true, false, false],
    bonds: [[], [], [], []],
    ...overrides
  }
}

describe('runEpoch', () => {
  it('splits the emission half to miners by incentive and half to validators by dividends', () => {
    const out = runEpoch(PARAMS, network())
    expect(out.incentive).toEqual([0, 0, 32767, 32767])
    expect(out.serverEmission).toEqual([0n, 0n, 250_000_000n, 250_000_000n])
    expect(out.validatorEmission).toEqual([250_000_000n, 250_000_000n, 0n, 0n])
    expect(unpackRows(out.bonds)).toEqual([[[2, 65535], [3, 65535]], [[2, 65535], [3, 65535]], [], []])
  })

  it('masks a validator\'s weights on uids registered after its earliest live commit (commit-reveal)', () => {
    const inputs = network({ blockAtRegistration: [1, 1, 1, 12], commitBlock: [11, null, null, null] })
    const terms = epochTerms(PARAMS, inputs)
    expect(terms.maskedWeights[0]).toEqual([[2, ONE]]) // committed at 11 < 12: uid 3 dropped
    expect(terms.maskedWeights[1]!.map(([j]) => j)).toEqual([2, 3]) // no live commit: not masked
    const sameBlock = epochTerms(PARAMS, network({ blockAtRegistration: [1, 1, 1, 11], commitBlock: [11, null, null, null] }))
    expect(sameBlock.maskedWeights[0]!.map(([j]) => j)).toEqual([2, 3]) // 11 < 11 is false: kept
  })

  it('drops weights set before the target last registered (LU_i ≤ REG_j)', () => {
    const terms = epochTerms(PARAMS, network({ blockAtRegistration: [1, 1, 1, 15] }))
    expect(terms.maskedWeights[0]).toEqual([[2, ONE]])
  })

  it('removes self-weight except the subnet owner\'s, and always gives the owner a permit', () => {
    const weights: EpochInputs['weights'] = [[[0, 65535], [2, 65535]], [[1, 65535], [2, 65535]], [], []]
    const plain = epochTerms(PARAMS, network({ weights }))
    expect(plain.maskedWeights[0]).toEqual([[2, ONE]])
    const owned = epochTerms({ ...PARAMS, ownerUid: 0 }, network({ weights }))
    expect(owned.maskedWeights[0]!.map(([j]) => j)).toEqual([0, 2])
    expect(owned.maskedWeights[1]).toEqual([[2, ONE]])
    const unstakedOwner = epochTerms({ ...PARAMS, ownerUid: 3 }, network())
    expect(unstakedOwner.newValidatorPermit).toEqual([true, true, false, true])
  })

  it('ignores stake below the threshold, except the owner\'s', () => {
    const inputs = network({ stake: [1000n, 10n, 0n, 0n] })
    const out = runEpoch({ ...PARAMS, stakeThreshold: 100n }, inputs)
    expect(out.stakeWeight).toEqual([65535, 0, 0, 0])
    expect(out.newValidatorPermit).toEqual([true, false, false, false])
    const owner = runEpoch({ ...PARAMS, stakeThreshold: 100n, ownerUid: 1 }, inputs)
    expect(owner.stakeWeight[1]).toBeGreaterThan(0)
  })

  it('gates this epoch with the stored permits and stores the new top-k permits', () => {
    const terms = epochTerms({ ...PARAMS, maxValidators: 1 }, network({ stake: [1000n, 2000n, 0n, 0n] }))
    expect(terms.activeStake.every(a => a >= 0n)).toBe(true)
    expect(terms.activeStake[0]).toBeGreaterThan(0n) // old permit still counts
    expect(terms.newValidatorPermit).toEqual([false, true, false, false])
    expect(terms.bonds[0]).toEqual([]) // bonds kept only for new permits
  })

  it('computes the activity cutoff as max(floor(factor·tempo/1000), 1) blocks', () => {
    expect(activityCutoff(PARAMS)).toBe(138)
    expect(activityCutoff({ ...PARAMS, tempo: 0 })).toBe(1)
    expect(activityCutoff({ ...PARAMS, tempo: 360 })).toBe(5000)
    const terms = epochTerms(PARAMS, network({ block: 15 + 138 + 1 }))
    expect(terms.active).toEqual([false, false, false, false])
  })

  it('drops old bonds to uids registered since the last epoch step (block − tempo, or the recorded step + 1)', () => {
    const params = { ...PARAMS, yuma3: true } // absolute bonds, so a dropped old bond shows directly
    const inputs = network({ bonds: [[[3, 30000]], [[3, 30000]], [], []], blockAtRegistration: [1, 1, 1, 10] })
    const bondTo3 = (lastMechanismStepBlock: number): number =>
      packedRow(runEpoch({ ...params, lastMechanismStepBlock }, inputs).bonds, 0).find(([j]) => j === 3)![1]
    // block 20 − tempo 10 = 10 ≤ REG_3 = 10: dropped, E = α·W̃ = 0.1 · 0.5.
    expect(bondTo3(0)).toBe(3276)
    // recorded step 10 → 11 > 10: kept, E = 0.1 · 0.5 + 0.9 · 30000/65535 → floor(30276.7).
    expect(bondTo3(10)).toBe(30276)
  })

  it('treats a permit list shorter than n as "no permit" for the missing uids', () => {
    const out = runEpoch(PARAMS, network({ validatorPermit: [true] }))
    expect(out.validatorEmission[1]).toBe(0n)
  })

  it('rejects inputs whose lengths or values do not describe the subnet', () => {
    expect(() => runEpoch(PARAMS, network({ lastUpdate: [1, 1, 1] }))).toThrow(EpochInputError)
    expect(() => runEpoch(PARAMS, network({ weights: [[[2, 70000]], [], [], []] }))).toThrow(/weights\[0\] value/)
    expect(() => runEpoch(PARAMS, network({ stake: [-1n, 0n, 0n, 0n] }))).toThrow(EpochInputError)
    expect(() => runEpoch(PARAMS, network({ validatorPermit: [true, true, true, true, true] }))).toThrow(EpochInputError)
    expect(() => runEpoch({ ...PARAMS, kappa: 65536 }, network())).toThrow(/kappa/)
  })
})

describe('runEpoch on packed rows (how the ledger passes them)', () => {
  const packed = (start: number[], uids: number[], values: number[]): PackedRows =>
    ({ start: Int32Array.from(start), uids: Uint16Array.from(uids), values: Uint16Array.from(values) })
  const weights = packed([0, 2, 4, 4, 4], [2, 3, 2, 3], [65535, 65535, 65535, 65535])

  it('computes what it computes on the same rows as pairs', () => {
    const pairs = network()
    const out = runEpoch(PARAMS, { ...pairs, weights, bonds: packRows(pairs.bonds as SparseRow[]) })
    expect({ ...out, bonds: unpackRows(out.bonds) }).toEqual({ ...runEpoch(PARAMS, pairs), bonds: unpackRows(runEpoch(PARAMS, pairs).bonds) })
    expect(epochTerms(PARAMS, { ...pairs, weights })).toEqual(epochTerms(PARAMS, pairs))
  })

  it('refuses packed rows whose arrays disagree, naming the field', () => {
    const refused = (rows: PackedRows): string | undefined => {
      try {
        runEpoch(PARAMS, network({ weights: rows }))
      } catch (error) {
        expect(error).toBeInstanceOf(EpochInputError)
        return (error as Error).message
      }
      return undefined
    }
    expect(refused(packed([0, 2, 4, 4], [2, 3, 2, 3], [1, 1, 1, 1]))).toMatch(/one row per uid \(4\), not 3/)
    expect(refused(packed([0, 2, 4, 4, 4], [2, 3, 2, 3], [1, 1, 1]))).toMatch(/as many values as uids/)
    expect(refused(packed([0, 2, 4, 4, 3], [2, 3, 2, 3], [1, 1, 1, 1]))).toMatch(/start at 0 and end at its 4 entries/)
    expect(refused(packed([0, 3, 2, 4, 4], [2, 3, 2, 3], [1, 1, 1, 1]))).toMatch(/weights\[1\] ends before it starts/)
    expect(refused(packed([0, 2, 4, 4, 4], [3, 3, 2, 3], [1, 1, 1, 1]))).toMatch(/weights\[0\] lists uid 3 twice/)
    const wrongType = { start: [0, 0, 0, 0, 0], uids: new Uint16Array(0), values: new Uint16Array(0) } as unknown as PackedRows
    expect(refused(wrongType)).toMatch(/must be packed as an Int32Array/)
  })
})
