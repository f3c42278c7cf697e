import { describe, expect, it } from 'vitest'
import { InvalidVectorError } from '../../../../src/core/yuma/errors.ts'
import { runEpoch } from '../../../../src/core/yuma/epoch.ts'
import { encodeOutputs, epochCasesOf, parseEpochVector, runVector } from '../../../../src/core/yuma/vector-format.ts'
import { epochVectors, loadVectors, vectorById, type Json } from './reference.ts'

const file = loadVectors()
const simple = (): Json => structuredClone(vectorById(file, 'subtensor.epoch_logs.test_simple'))

describe('the epoch-vector format', () => {
  it('maps vector parameters and inputs onto EpochParams and EpochInputs', () => {
    const { params, steps } = parseEpochVector(vectorById(file, 'subtensor.epoch.test_yuma_3_kappa_moves_first'))
    expect(params).toEqual({
      tempo: 1, kappa: 32767, bondsMovingAverage: 975_000n, bondsPenalty: 0, maxValidators: 3,
      activityCutoffFactorMilli: 13_889, yuma3: true, liquidAlpha: true, alphaLow: 6553, alphaHigh: 19660,
      alphaSigmoidSteepness: 1000, stakeThreshold: 0n, ownerUid: null, lastMechanismStepBlock: 0
    })
    expect(steps).toHaveLength(6)
    expect(steps[0]!.inputs.block).toBe(3)
    expect(steps[0]!.inputs.emission).toBe(1_000_000_000n)
    expect(steps[0]!.inputs.commitBlock).toBeUndefined()
  })

  it('accepts u64 amounts as decimal strings and rejects JSON numbers a double cannot hold exactly', () => {
    const vector = simple()
    const inputs = vector.epoch_inputs_derived as Json
    inputs.stake_u64 = ['18446744073709551615', 1]
    expect(parseEpochVector(vector).steps[0]!.inputs.stake).toEqual([18446744073709551615n, 1n])
    inputs.stake_u64 = [2 ** 60, 1]
    expect(() => parseEpochVector(vector)).toThrow(/stake_u64\[0\] must be a u64/)
    inputs.stake_u64 = ['18446744073709551616', 1]
    expect(() => parseEpochVector(vector)).toThrow(InvalidVectorError)
  })

  it('writes u64 amounts as numbers up to 2^53 − 1 and as decimal strings above', () => {
    const { params, steps } = parseEpochVector(simple())
    const out = encodeOutputs(runEpoch(params, { ...steps[0]!.inputs, emission: 2n ** 62n }))
    expect(out.emission_rao).toEqual(['2305843009213693952', '2305843009213693952'])
    expect(runVector(parseEpochVector(simple()))[0]!.emission_rao).toEqual([500_000_000, 500_000_000])
  })

  it('reads an optional commit_block list for the commit-reveal mask', () => {
    const vector = simple()
    ;(vector.epoch_inputs_derived as Json).commit_block = [null, 0]
    expect(parseEpochVector(vector).steps[0]!.inputs.commitBlock).toEqual([null, 0])
  })

  it('names the field that is wrong', () => {
    const wrongLength = simple()
    ;(wrongLength.epoch_inputs_derived as Json).last_update = [1]
    expect(() => parseEpochVector(wrongLength)).toThrow('the vector.epoch_inputs_derived.last_update must have 2 entries (params.n), not 1.')
    const both = { ...simple(), steps: [] }
    expect(() => parseEpochVector(both)).toThrow(/either "steps" or a top-level "epoch_inputs_derived"/)
    expect(() => parseEpochVector([])).toThrow('the vector must be a JSON object.')
    const badRow = simple()
    ;(badRow.epoch_inputs_derived as Json).weights_u16_sparse = [[[1, 65536]], []]
    expect(() => parseEpochVector(badRow)).toThrow(/weights_u16_sparse\[0\]\[0\]\[1\] must be an integer from 0 to 65535/)
  })

  it('lists the (params, inputs) of every epoch step and nothing for the other vectors', () => {
    const cases = file.vectors.flatMap(v => epochCasesOf(v))
    const steps = epochVectors(file).reduce((total, v) => total + ((v.steps as unknown[] | undefined)?.length ?? 1), 0)
    expect(cases).toHaveLength(steps)
    expect(epochCasesOf(vectorById(file, 'subtensor.root.test_halving'))).toEqual([])
  })
})
