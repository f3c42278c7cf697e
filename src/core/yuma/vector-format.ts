/**
 * The epoch-vector format of `shared/reference/yuma-vectors.json`, read into `EpochParams` and
 * `EpochInputs` and written back from `EpochOutputs`, in one place so the `yuma` CLI and the
 * vector tests cannot disagree about it.
 *
 * A vector is `params` plus either `steps[]` (each with `block` and `epoch_inputs_derived`) or a
 * single top-level `block` and `epoch_inputs_derived`. Other keys (ids, expectations, notes) are
 * ignored. u64 amounts are accepted as JSON numbers that are safe integers or as decimal strings,
 * because a JSON number above 2^53 has already lost its exact value when it is parsed; outputs
 * follow the same rule (a number when ≤ 2^53 − 1, else a decimal string). An optional
 * `commit_block` list (a block or null per uid) feeds the commit-reveal mask.
 */
import { InvalidVectorError } from './errors.ts'
import { runEpoch } from './epoch.ts'
import { unpackRows } from './packed.ts'
import type { EpochInputs, EpochOutputs, EpochParams, SparseRow } from './types.ts'

export interface VectorStep {
  block: number
  inputs: EpochInputs
}

export interface EpochVector {
  params: EpochParams
  steps: VectorStep[]
}

/** One step's outputs under the names and encodings of `emulator_outputs_derived`. */
export interface VectorStepOutputs {
  consensus_u16: number[]
  incentive_u16: number[]
  dividends_u16: number[]
  validator_trust_u16: number[]
  stake_weight_u16: number[]
  emission_rao: Array<number | string>
  server_emission_rao: Array<number | string>
  validator_emission_rao: Array<number | string>
  new_validator_permit: boolean[]
  active: boolean[]
  bonds_u16_sparse_after: SparseRow[]
}

type Json = Record<string, unknown>

const U16_MAX = 65535
const U64_MAX = (1n << 64n) - 1n

function fail (message: string): never {
  throw new InvalidVectorError(message)
}

function object (value: unknown, path: string): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(`${path} must be a JSON object.`)
  return value as Json
}

function list (value: unknown, path: string): unknown[] {
  if (!Array.isArray(value)) fail(`${path} must be a JSON list.`)
  return value
}

function integer (value: unknown, path: string, low = 0, high = Number.MAX_SAFE_INTEGER): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < low || value > high) {
    fail(`${path} must be an integer from ${low} to ${high}.`)
  }
  return value
}

function u64 (value: unknown, path: string): bigint {
  let parsed: bigint | undefined
  if (typeof value === 'number' && Number.isSafeInteger(value)) parsed = BigInt(value)
  if (typeof value === 'string' && /^\d{1,20}$/.test(value)) parsed = BigInt(value)
  if (parsed === undefined || parsed < 0n || parsed > U64_MAX) {
    fail(`${path} must be a u64: a non-negative integer up to 2^53 − 1, or a decimal string for larger values.`)
  }
  return parsed
}

function boolean (value: unknown, path: string): boolean {
  if (typeof value !== 'boolean') fail(`${path} must be true or false.`)
  return value
}

function sized (value: unknown, path: string, n: number): unknown[] {
  const items = list(value, path)
  if (items.length !== n) fail(`${path} must have ${n} entries (params.n), not ${items.length}.`)
  return items
}

function sparse (value: unknown, path: string, n: number): SparseRow[] {
  return sized(value, path, n).map((row, i) => list(row, `${path}[${i}]`).map((entry, k): [number, number] => {
    const pair = list(entry, `${path}[${i}][${k}]`)
    if (pair.length !== 2) fail(`${path}[${i}][${k}] must be a [uid, u16] pair.`)
    return [integer(pair[0], `${path}[${i}][${k}][0]`, 0, U16_MAX), integer(pair[1], `${path}[${i}][${k}][1]`, 0, U16_MAX)]
  }))
}

function readParams (p: Json): { params: EpochParams, n: number, emission: bigint } {
  const at = (key: string): string => `params.${key}`
  const ownerUid = p.owner_uid === null || p.owner_uid === undefined ? null : integer(p.owner_uid, at('owner_uid'), 0, U16_MAX)
  const params: EpochParams = {
    tempo: integer(p.tempo, at('tempo'), 0, U16_MAX),
    kappa: integer(p.kappa_u16, at('kappa_u16'), 0, U16_MAX),
    bondsMovingAverage: u64(p.bonds_moving_average, at('bonds_moving_average')),
    bondsPenalty: integer(p.bonds_penalty_u16, at('bonds_penalty_u16'), 0, U16_MAX),
    maxValidators: integer(p.max_allowed_validators, at('max_allowed_validators'), 0, U16_MAX),
    activityCutoffFactorMilli: integer(p.activity_cutoff_factor_milli, at('activity_cutoff_factor_milli'), 0, 4294967295),
    yuma3: boolean(p.yuma3, at('yuma3')),
    liquidAlpha: boolean(p.liquid_alpha, at('liquid_alpha')),
    alphaLow: integer(p.alpha_low_u16, at('alpha_low_u16'), 0, U16_MAX),
    alphaHigh: integer(p.alpha_high_u16, at('alpha_high_u16'), 0, U16_MAX),
    alphaSigmoidSteepness: integer(p.alpha_sigmoid_steepness, at('alpha_sigmoid_steepness'), -32768, 32767),
    stakeThreshold: u64(p.stake_threshold, at('stake_threshold')),
    ownerUid,
    lastMechanismStepBlock: integer(p.last_mechanism_step_block ?? 0, at('last_mechanism_step_block'))
  }
  const n = integer(p.n, at('n'), 0, U16_MAX + 1)
  return { params, n, emission: u64(p.rao_emission_per_epoch, at('rao_emission_per_epoch')) }
}

function readInputs (value: unknown, path: string, block: number, n: number, emission: bigint): EpochInputs {
  const e = object(value, path)
  const at = (key: string): string => `${path}.${key}`
  const permits = list(e.validator_permit, at('validator_permit'))
  if (permits.length > n) fail(`${at('validator_permit')} must have at most ${n} entries (params.n).`)
  const inputs: EpochInputs = {
    block,
    emission,
    stake: sized(e.stake_u64, at('stake_u64'), n).map((s, i) => u64(s, `${at('stake_u64')}[${i}]`)),
    weights: sparse(e.weights_u16_sparse, at('weights_u16_sparse'), n),
    lastUpdate: sized(e.last_update, at('last_update'), n).map((b, i) => integer(b, `${at('last_update')}[${i}]`)),
    blockAtRegistration: sized(e.block_at_registration, at('block_at_registration'), n)
      .map((b, i) => integer(b, `${at('block_at_registration')}[${i}]`)),
    validatorPermit: permits.map((v, i) => boolean(v, `${at('validator_permit')}[${i}]`)),
    bonds: sparse(e.bonds_u16_sparse, at('bonds_u16_sparse'), n)
  }
  if (e.commit_block !== undefined) {
    inputs.commitBlock = sized(e.commit_block, at('commit_block'), n)
      .map((c, i) => (c === null ? null : integer(c, `${at('commit_block')}[${i}]`)))
  }
  return inputs
}

/** Reads one epoch vector (already parsed from JSON); throws InvalidVectorError naming the bad field. */
export function parseEpochVector (value: unknown): EpochVector {
  const vector = object(value, 'the vector')
  if (Array.isArray(vector.vectors)) {
    fail('This is a whole vector collection; put one element of its "vectors" list in a file of its own.')
  }
  const { params, n, emission } = readParams(object(vector.params, 'params'))
  const single = vector.epoch_inputs_derived !== undefined
  if (single === (vector.steps !== undefined)) {
    fail('The vector must have either "steps" or a top-level "epoch_inputs_derived", and not both.')
  }
  const raw = single ? [vector] : list(vector.steps, 'steps')
  if (raw.length === 0) fail('steps must hold at least one step.')
  const steps = raw.map((s, i) => {
    const path = single ? 'the vector' : `steps[${i}]`
    const step = object(s, path)
    const block = integer(step.block, `${path}.block`)
    return { block, inputs: readInputs(step.epoch_inputs_derived, `${path}.epoch_inputs_derived`, block, n, emission) }
  })
  return { params, steps }
}

/**
 * The (params, inputs) of every step of `value` when it is an epoch vector (it has `params` and
 * `steps` or `epoch_inputs_derived`), and none for the other vectors of the file (math, emission,
 * docs). A malformed epoch vector still throws.
 */
export function epochCasesOf (value: unknown): Array<{ params: EpochParams, inputs: EpochInputs }> {
  if (typeof value !== 'object' || value === null) return []
  const vector = value as Json
  if (vector.params === undefined || (vector.steps === undefined && vector.epoch_inputs_derived === undefined)) return []
  const { params, steps } = parseEpochVector(value)
  return steps.map(step => ({ params, inputs: step.inputs }))
}

/** A u64 as a JSON number when a double holds it exactly, else as a decimal string. */
function amount (value: bigint): number | string {
  return value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value.toString()
}

export function encodeOutputs (out: EpochOutputs): VectorStepOutputs {
  return {
    consensus_u16: out.consensus,
    incentive_u16: out.incentive,
    dividends_u16: out.dividends,
    validator_trust_u16: out.validatorTrust,
    stake_weight_u16: out.stakeWeight,
    emission_rao: out.emission.map(amount),
    server_emission_rao: out.serverEmission.map(amount),
    validator_emission_rao: out.validatorEmission.map(amount),
    new_validator_permit: out.newValidatorPermit,
    active: out.active,
    bonds_u16_sparse_after: unpackRows(out.bonds)
  }
}

/** Runs every step of a vector, each on its own recorded inputs. */
export function runVector (vector: EpochVector): VectorStepOutputs[] {
  return vector.steps.map(step => encodeOutputs(runEpoch(vector.params, step.inputs)))
}
