/*
 * TEST ORACLE, not product code: a frozen copy of src/core/yuma/check.ts as of commit 5fb4f61, the
 * straightforward bigint implementation that the vectors validated. The differential test
 * (../differential.spec.ts) requires the optimised src/ epoch to give identical outputs. Do not
 * optimise or "fix" this copy; only tests import it.
 */
/**
 * Checks that epoch parameters and inputs are well-formed before any arithmetic runs: the epoch
 * indexes vectors by uid and encodes values as u16/u64, so a wrong length or an out-of-range value
 * would otherwise turn into a silently different payout. Each failure names the field and uid.
 *
 * One leniency mirrors subtensor: a `validatorPermit` list shorter than n is accepted, and the
 * missing uids count as holding no permit (`test_bad_permit_vector`).
 */
import { EpochInputError } from '../../../../../src/core/yuma/errors.ts'
import type { EpochInputs, EpochParams, SparseRow } from '../../../../../src/core/yuma/types.ts'

/** The epoch's inputs as they were when this copy was frozen: rows as [uid, value] pairs only. */
export type OracleInputs = Omit<EpochInputs, 'weights' | 'bonds'> & { weights: SparseRow[], bonds: SparseRow[] }

const U16_MAX = 65535
const U32_MAX = 4294967295
const U64_MAX = (1n << 64n) - 1n

function fail (message: string): never {
  throw new EpochInputError(message)
}

function integer (value: number, name: string, low: number, high: number): void {
  if (!Number.isSafeInteger(value) || value < low || value > high) {
    fail(`${name} must be an integer from ${low} to ${high}, not ${String(value)}.`)
  }
}

function u64 (value: bigint, name: string): void {
  if (typeof value !== 'bigint' || value < 0n || value > U64_MAX) fail(`${name} must be a u64 bigint, not ${String(value)}.`)
}

function length (list: readonly unknown[] | undefined, n: number, name: string): void {
  if (!Array.isArray(list) || list.length !== n) fail(`${name} must have one entry per uid (${n}), not ${list?.length ?? 'none'}.`)
}

function rows (matrix: readonly SparseRow[], name: string): void {
  matrix.forEach((row, i) => {
    if (!Array.isArray(row)) fail(`${name}[${i}] must be a list of [uid, u16] pairs.`)
    for (const entry of row) {
      if (!Array.isArray(entry) || entry.length !== 2) fail(`${name}[${i}] must hold [uid, u16] pairs.`)
      integer(entry[0], `${name}[${i}] uid`, 0, U16_MAX)
      integer(entry[1], `${name}[${i}] value`, 0, U16_MAX)
    }
  })
}

export function checkEpoch (params: EpochParams, inputs: OracleInputs): void {
  integer(params.tempo, 'tempo', 0, U16_MAX)
  integer(params.kappa, 'kappa', 0, U16_MAX)
  u64(params.bondsMovingAverage, 'bondsMovingAverage')
  integer(params.bondsPenalty, 'bondsPenalty', 0, U16_MAX)
  integer(params.maxValidators, 'maxValidators', 0, U16_MAX)
  integer(params.activityCutoffFactorMilli, 'activityCutoffFactorMilli', 0, U32_MAX)
  integer(params.alphaLow, 'alphaLow', 0, U16_MAX)
  integer(params.alphaHigh, 'alphaHigh', 0, U16_MAX)
  integer(params.alphaSigmoidSteepness, 'alphaSigmoidSteepness', -32768, 32767)
  u64(params.stakeThreshold, 'stakeThreshold')
  if (params.ownerUid !== null) integer(params.ownerUid, 'ownerUid', 0, U16_MAX)
  integer(params.lastMechanismStepBlock, 'lastMechanismStepBlock', 0, Number.MAX_SAFE_INTEGER)

  const n = inputs.stake.length
  integer(n, 'the number of uids', 0, U16_MAX + 1)
  integer(inputs.block, 'block', 0, Number.MAX_SAFE_INTEGER)
  u64(inputs.emission, 'emission')
  inputs.stake.forEach((s, i) => u64(s, `stake[${i}]`))
  length(inputs.weights, n, 'weights')
  length(inputs.bonds, n, 'bonds')
  length(inputs.lastUpdate, n, 'lastUpdate')
  length(inputs.blockAtRegistration, n, 'blockAtRegistration')
  rows(inputs.weights, 'weights')
  rows(inputs.bonds, 'bonds')
  inputs.lastUpdate.forEach((b, i) => integer(b, `lastUpdate[${i}]`, 0, Number.MAX_SAFE_INTEGER))
  inputs.blockAtRegistration.forEach((b, i) => integer(b, `blockAtRegistration[${i}]`, 0, Number.MAX_SAFE_INTEGER))
  if (!Array.isArray(inputs.validatorPermit) || inputs.validatorPermit.length > n) {
    fail(`validatorPermit must have at most one entry per uid (${n}).`)
  }
  inputs.validatorPermit.forEach((p, i) => {
    if (typeof p !== 'boolean') fail(`validatorPermit[${i}] must be true or false.`)
  })
  if (inputs.commitBlock !== undefined) {
    length(inputs.commitBlock, n, 'commitBlock')
    inputs.commitBlock.forEach((c, i) => {
      if (c !== null) integer(c, `commitBlock[${i}]`, 0, Number.MAX_SAFE_INTEGER)
    })
  }
}
