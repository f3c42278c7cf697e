/**
 * Checks that epoch parameters and inputs are well-formed before any arithmetic runs: the epoch
 * indexes vectors by uid and encodes values as u16/u64, so a wrong length or an out-of-range value
 * would otherwise turn into a silently different payout. Each failure names the field and uid.
 *
 * Two checks go beyond the types, both refusing what no subnet state can hold, and both bounds the
 * epoch's exact double arithmetic relies on (exact.ts): a row lists each uid at most once
 * (subtensor's set_weights refuses duplicate uids and the epoch writes each bond once), and the
 * bonds moving average is at most 1_000_000 ppm (the ledger's parameter table; above it the EMA's
 * α would be negative).
 *
 * One leniency mirrors subtensor: a `validatorPermit` list shorter than n is accepted, and the
 * missing uids count as holding no permit (`test_bad_permit_vector`).
 */
import { EpochInputError } from './errors.ts'
import type { EpochInputs, EpochParams, SparseRow } from './types.ts'

const U16_MAX = 65535
const U32_MAX = 4294967295
const U64_MAX = (1n << 64n) - 1n
/** An EMA weight of 1: the largest bonds moving average, in parts per million. */
const MAX_BONDS_MOVING_AVERAGE = 1_000_000n

function fail (message: string): never {
  throw new EpochInputError(message)
}

function integer (value: number, name: string, low: number, high: number): void {
  if (!Number.isSafeInteger(value) || value < low || value > high) {
    fail(`${name} must be an integer from ${low} to ${high}, not ${String(value)}.`)
  }
}

const isU64 = (value: bigint): boolean => typeof value === 'bigint' && value >= 0n && value <= U64_MAX

function u64 (value: bigint, name: string): void {
  if (!isU64(value)) fail(`${name} must be a u64 bigint, not ${String(value)}.`)
}

function length (list: readonly unknown[] | undefined, n: number, name: string): void {
  if (!Array.isArray(list) || list.length !== n) fail(`${name} must have one entry per uid (${n}), not ${list?.length ?? 'none'}.`)
}

const isInteger = (value: number, low: number, high: number): boolean =>
  value >= low && value <= high && Number.isSafeInteger(value)

/** Every value an integer in [low, high]; the message is built only for the one that is not. */
function integers (values: readonly number[], name: string, low: number, high: number): void {
  for (let i = 0; i < values.length; i++) {
    if (!isInteger(values[i]!, low, high)) integer(values[i]!, `${name}[${i}]`, low, high)
  }
}

/**
 * Every row a list of [uid, u16] pairs, each uid at most once. Index loops, and messages built
 * only for a failure: this reads every stored entry of the epoch. A row whose uids increase (as
 * every row the ledger and the epoch write) cannot repeat one; any other row is checked with a set.
 */
function rows (matrix: readonly SparseRow[], name: string): void {
  for (let i = 0; i < matrix.length; i++) {
    const row = matrix[i]
    if (!Array.isArray(row)) fail(`${name}[${i}] must be a list of [uid, u16] pairs.`)
    let increasing = true
    for (let k = 0; k < row.length; k++) {
      const entry = row[k]
      if (!Array.isArray(entry) || entry.length !== 2) fail(`${name}[${i}] must hold [uid, u16] pairs.`)
      const uid = entry[0]
      const value = entry[1]
      if (!isInteger(uid, 0, U16_MAX)) integer(uid, `${name}[${i}] uid`, 0, U16_MAX)
      if (!isInteger(value, 0, U16_MAX)) integer(value, `${name}[${i}] value`, 0, U16_MAX)
      if (k > 0 && uid <= row[k - 1]![0]) increasing = false
    }
    if (!increasing) unique(row, `${name}[${i}]`)
  }
}

function unique (row: SparseRow, name: string): void {
  const seen = new Set<number>()
  for (const [uid] of row) {
    if (seen.has(uid)) fail(`${name} lists uid ${uid} twice; a row holds at most one entry per uid.`)
    seen.add(uid)
  }
}

export function checkEpoch (params: EpochParams, inputs: EpochInputs): void {
  integer(params.tempo, 'tempo', 0, U16_MAX)
  integer(params.kappa, 'kappa', 0, U16_MAX)
  u64(params.bondsMovingAverage, 'bondsMovingAverage')
  if (params.bondsMovingAverage > MAX_BONDS_MOVING_AVERAGE) {
    fail(`bondsMovingAverage must be at most ${MAX_BONDS_MOVING_AVERAGE} parts per million, not ${params.bondsMovingAverage}.`)
  }
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
  inputs.stake.forEach((s, i) => { if (!isU64(s)) u64(s, `stake[${i}]`) })
  length(inputs.weights, n, 'weights')
  length(inputs.bonds, n, 'bonds')
  length(inputs.lastUpdate, n, 'lastUpdate')
  length(inputs.blockAtRegistration, n, 'blockAtRegistration')
  rows(inputs.weights, 'weights')
  rows(inputs.bonds, 'bonds')
  integers(inputs.lastUpdate, 'lastUpdate', 0, Number.MAX_SAFE_INTEGER)
  integers(inputs.blockAtRegistration, 'blockAtRegistration', 0, Number.MAX_SAFE_INTEGER)
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
