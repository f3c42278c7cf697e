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
import { PackedRowsBuilder } from './packed.ts'
import type { EpochInputs, EpochParams, PackedRows, Rows, SparseRow } from './types.ts'

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
 * Every row a list of [uid, u16] pairs, each uid at most once; packed for the epoch. Index loops,
 * and messages built only for a failure: this reads every stored entry of the epoch.
 */
function packedPairs (matrix: readonly SparseRow[], name: string): PackedRows {
  let entries = 0
  for (let i = 0; i < matrix.length; i++) {
    const row = matrix[i]
    if (!Array.isArray(row)) fail(`${name}[${i}] must be a list of [uid, u16] pairs.`)
    entries += row.length
  }
  const out = new PackedRowsBuilder(matrix.length, entries)
  for (let i = 0; i < matrix.length; i++) {
    const row = matrix[i]!
    for (let k = 0; k < row.length; k++) {
      const entry = row[k]
      if (!Array.isArray(entry) || entry.length !== 2) fail(`${name}[${i}] must hold [uid, u16] pairs.`)
      const uid = entry[0]
      const value = entry[1]
      if (!isInteger(uid, 0, U16_MAX)) integer(uid, `${name}[${i}] uid`, 0, U16_MAX)
      if (!isInteger(value, 0, U16_MAX)) integer(value, `${name}[${i}] value`, 0, U16_MAX)
      out.push(uid, value)
    }
    out.endRow()
  }
  const rows = out.finish()
  uniqueUids(rows, name)
  return rows
}

/** Packed rows whose arrays agree with each other (their element types already make every value a u16). */
function packedShape (rows: PackedRows, n: number, name: string): PackedRows {
  const { start, uids, values } = rows
  if (!(start instanceof Int32Array) || !(uids instanceof Uint16Array) || !(values instanceof Uint16Array)) {
    fail(`${name} must be packed as an Int32Array of row starts and Uint16Arrays of uids and values.`)
  }
  if (start.length !== n + 1) fail(`${name} must have one row per uid (${n}), not ${start.length - 1}.`)
  if (uids.length !== values.length) fail(`${name} must have as many values as uids, not ${values.length} for ${uids.length}.`)
  if (start[0] !== 0 || start[n] !== uids.length) fail(`${name}'s rows must start at 0 and end at its ${uids.length} entries.`)
  for (let i = 0; i < n; i++) {
    if (start[i + 1]! < start[i]!) fail(`${name}[${i}] ends before it starts.`)
  }
  uniqueUids(rows, name)
  return rows
}

/**
 * No row lists a uid twice. A row whose uids increase (as every row the ledger and the epoch
 * write) cannot repeat one; any other row is checked with a set.
 */
function uniqueUids (rows: PackedRows, name: string): void {
  for (let i = 0; i + 1 < rows.start.length; i++) {
    const from = rows.start[i]!
    const to = rows.start[i + 1]!
    let increasing = true
    for (let k = from + 1; k < to && increasing; k++) increasing = rows.uids[k]! > rows.uids[k - 1]!
    if (increasing) continue
    const seen = new Set<number>()
    for (let k = from; k < to; k++) {
      const uid = rows.uids[k]!
      if (seen.has(uid)) fail(`${name}[${i}] lists uid ${uid} twice; a row holds at most one entry per uid.`)
      seen.add(uid)
    }
  }
}

/** Either form of rows (types.ts `Rows`), checked and packed. */
function checkedRows (rows: Rows | undefined, n: number, name: string): PackedRows {
  if (Array.isArray(rows)) {
    length(rows, n, name)
    return packedPairs(rows, name)
  }
  if (typeof rows !== 'object' || rows === null) fail(`${name} must be a list of rows or packed rows.`)
  return packedShape(rows, n, name)
}

/** The rows the epoch reads, packed, once `checkEpoch` has accepted them. */
export interface CheckedRows {
  weights: PackedRows
  bonds: PackedRows
}

export function checkEpoch (params: EpochParams, inputs: EpochInputs): CheckedRows {
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
  const weights = checkedRows(inputs.weights, n, 'weights')
  const bonds = checkedRows(inputs.bonds, n, 'bonds')
  length(inputs.lastUpdate, n, 'lastUpdate')
  length(inputs.blockAtRegistration, n, 'blockAtRegistration')
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
  return { weights, bonds }
}
