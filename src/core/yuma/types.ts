/**
 * The Yuma epoch's interface: what one epoch of one subnet reads and what it produces, in the
 * encodings subtensor stores (u16 proportions, u64 base units, sparse u16 rows). The ledger
 * builds `EpochInputs` from its state; `runEpoch` (epoch.ts) is pure and deterministic.
 */

/** A sparse row: [uid, u16 value] pairs in storage order; explicit zero entries are kept. */
export type SparseRow = Array<[number, number]>

/**
 * Sparse u16 rows packed into typed arrays: row i is `uids[k]`, `values[k]` for
 * `start[i] ≤ k < start[i + 1]`. How the epoch returns bonds: a dense subnet's bond matrix has
 * millions of entries, and one [uid, value] pair per entry would cost more to allocate and
 * collect than the epoch's arithmetic (packed.ts reads rows back as pairs or lists).
 */
export interface PackedRows {
  start: Int32Array
  uids: Uint16Array
  values: Uint16Array
}

/**
 * How the epoch takes weight and bond rows: as [uid, value] pairs (vectors, tests) or packed
 * (the ledger, which builds a subnet's rows straight into typed arrays so that a dense subnet's
 * millions of entries are not millions of heap objects for the garbage collector to trace).
 */
export type Rows = SparseRow[] | PackedRows

export interface EpochParams {
  /** Blocks per epoch. */
  tempo: number
  /** Consensus majority, u16 fraction of 65535. */
  kappa: number
  /** Bonds moving average, parts per million. */
  bondsMovingAverage: bigint
  /** Bonds penalty, u16 fraction of 65535. */
  bondsPenalty: number
  maxValidators: number
  activityCutoffFactorMilli: number
  yuma3: boolean
  liquidAlpha: boolean
  /** Liquid alpha bounds, u16 fractions of 65535. */
  alphaLow: number
  alphaHigh: number
  alphaSigmoidSteepness: number
  /** Stake (base units) below which a uid's stake is ignored. */
  stakeThreshold: bigint
  /** The subnet owner's uid, if its hotkey is registered. */
  ownerUid: number | null
  /** Block of the previous epoch step (0 = never), for the recently-registered bonds mask. */
  lastMechanismStepBlock: number
}

export interface EpochInputs {
  /** Current block. */
  block: number
  /** Base units the epoch distributes. */
  emission: bigint
  /** Stake per uid, base units. */
  stake: bigint[]
  /** Stored (max-upscaled) weight rows. */
  weights: Rows
  lastUpdate: number[]
  blockAtRegistration: number[]
  /** Permits from the previous epoch. */
  validatorPermit: boolean[]
  /** Stored bond rows (encoding depends on yuma3). */
  bonds: Rows
  /** Per uid, the block of its earliest unexpired weight commit, or null (commit-reveal mask). */
  commitBlock?: Array<number | null>
}

export interface EpochOutputs {
  consensus: number[]
  incentive: number[]
  dividends: number[]
  validatorTrust: number[]
  stakeWeight: number[]
  /** Combined emission per uid, base units. */
  emission: bigint[]
  serverEmission: bigint[]
  validatorEmission: bigint[]
  newValidatorPermit: boolean[]
  active: boolean[]
  /** Bond rows to store for the next epoch. */
  bonds: PackedRows
}
