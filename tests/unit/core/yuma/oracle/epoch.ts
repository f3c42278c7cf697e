/*
 * TEST ORACLE, not product code: a frozen copy of src/core/yuma/epoch.ts as of commit 5fb4f61, the
 * straightforward bigint implementation that the vectors validated. The differential test
 * (../differential.spec.ts) requires the optimised src/ epoch to give identical outputs. Do not
 * optimise or "fix" this copy; only tests import it.
 */
/**
 * One Yuma epoch of one subnet (one mechanism), exactly as subtensor's sparse `epoch_mechanism`
 * computes it (yuma.md §3.1–3.13): activity, stake, permits, masked and normalised weights,
 * κ-majority consensus, clipping, incentive, bonds and dividends (original Yuma or Yuma 3, fixed or
 * liquid alpha), and the split of the epoch's emission into base units, with the emergency
 * fallback to stake when nobody earned anything.
 *
 * Everything is integer arithmetic on I32F32 bit patterns (fixed.ts), so every engine computes the
 * same payout to the base unit. `epochTerms` keeps the fixed-point intermediates that subtensor
 * logs (tests compare them with its log assertions); `runEpoch` returns the stored encodings.
 */
import { originalYumaBonds, yuma3Bonds, type BondsInput } from './bonds.ts'
import { checkEpoch, type OracleInputs } from './check.ts'
import { add, div, fixed, fromU16Proportion, normalizeStake, shareOf, toU16Proportion, type Fixed } from './fixed.ts'
import {
  colClipSparse, interpolateSparse, isTopkNonzero, maskSparse, matmulSparse,
  normalize, rowNormalizeSparse, rowSumSparse, sum, weightedMedianColSparse, type FixedMatrix
} from './math.ts'
import type { EpochOutputs, EpochParams, SparseRow } from '../../../../../src/core/yuma/types.ts'

/** The epoch's fixed-point terms, per uid, before they are encoded for storage. */
export interface EpochTerms {
  active: boolean[]
  /** Normalised stake S after the stake threshold. */
  stake: Fixed[]
  /** Active stake A: S of active uids with an (old) permit, normalised. */
  activeStake: Fixed[]
  newValidatorPermit: boolean[]
  /** Stored weight rows as fixed values (uids ≥ n dropped), before any mask. */
  weights: FixedMatrix
  /** Weights after the permit, self-weight, outdated and commit masks, row-normalised. */
  maskedWeights: FixedMatrix
  consensus: Fixed[]
  clippedWeights: FixedMatrix
  validatorTrust: Fixed[]
  /** R = Σ_i A_i · W̄_ij, before normalisation. */
  ranks: Fixed[]
  incentive: Fixed[]
  dividends: Fixed[]
  /** Shares of the epoch emission (after the emergency fallback). */
  serverShare: Fixed[]
  validatorShare: Fixed[]
  combinedShare: Fixed[]
  /** u16 bond rows to store: a uid without a new permit gets an empty row. */
  bonds: SparseRow[]
}

/** Blocks after its last weight update that a uid stays active (§3.1), from integers only. */
export function activityCutoff (params: EpochParams): number {
  const blocks = Number(BigInt(params.activityCutoffFactorMilli) * BigInt(params.tempo) / 1000n)
  return Math.max(blocks, 1)
}

/** Bonds to uids registered at or after this block are dropped (§3.10 step 2). */
function lastTempo (params: EpochParams, block: number): number {
  return params.lastMechanismStepBlock === 0
    ? Math.max(block - params.tempo, 0)
    : params.lastMechanismStepBlock + 1
}

export function epochTerms (params: EpochParams, inputs: OracleInputs): EpochTerms {
  checkEpoch(params, inputs)
  const n = inputs.stake.length
  const owner = params.ownerUid !== null && params.ownerUid < n ? params.ownerUid : null
  const uids = inputs.stake.map((_, i) => i)

  // §3.1 activity, §3.2 stake (the owner is exempt from the threshold).
  const cutoff = activityCutoff(params)
  const active = inputs.lastUpdate.map(updated => !(updated + cutoff < inputs.block))
  const stake = normalizeStake(inputs.stake.map((s, i) => (s < params.stakeThreshold && i !== owner ? 0n : s)))

  // §3.3 permits: old ones gate this epoch, new ones are stored; the owner always holds one.
  const permit = uids.map(i => inputs.validatorPermit[i] === true || i === owner)
  const newValidatorPermit = isTopkNonzero(stake, params.maxValidators)
  if (owner !== null) newValidatorPermit[owner] = true

  // §3.4 active stake.
  const activeStake = normalize(stake.map((s, i) => (active[i]! && permit[i]! ? s : 0n)))

  // §3.5 weights: stored rows as fixed values (uids ≥ n ignored), masked, then row-normalised.
  const registered = inputs.blockAtRegistration
  const commits = inputs.commitBlock ?? []
  const weights: FixedMatrix = inputs.weights.map(row =>
    row.filter(([j]) => j < n).map(([j, w]): [number, Fixed] => [j, fixed(w)]))
  const maskedWeights = rowNormalizeSparse(maskSparse(weights, (i, j) => {
    if (!permit[i]!) return true // rows of uids without an (old) permit
    if (j === i && i !== owner) return true // self-weight, except the owner's
    if (inputs.lastUpdate[i]! <= registered[j]!) return true // set before j last registered
    const committed = commits[i] ?? null
    return committed !== null && committed < registered[j]! // commit-reveal: committed before j registered
  }))

  // §3.6–3.8 consensus, clipping, validator trust, ranks and incentive.
  const consensus = weightedMedianColSparse(activeStake, maskedWeights, n, fromU16Proportion(params.kappa))
  const clippedWeights = colClipSparse(maskedWeights, consensus)
  const validatorTrust = rowSumSparse(clippedWeights)
  const ranks = matmulSparse(clippedWeights, activeStake, n)
  const incentive = normalize(ranks)

  // §3.9–3.11 bonds and dividends.
  const bondsInput: BondsInput = {
    weightsForBonds: interpolateSparse(maskedWeights, clippedWeights, n, fromU16Proportion(params.bondsPenalty)),
    storedBonds: inputs.bonds,
    activeStake,
    incentive,
    consensus,
    blockAtRegistration: registered,
    lastTempo: lastTempo(params, inputs.block),
    bondsMovingAverage: params.bondsMovingAverage
  }
  const liquidAlpha = params.liquidAlpha
    ? {
        low: fromU16Proportion(params.alphaLow),
        high: fromU16Proportion(params.alphaHigh),
        steepness: fixed(params.alphaSigmoidSteepness)
      }
    : null
  const { dividends, bonds } = params.yuma3 ? yuma3Bonds(bondsInput, liquidAlpha) : originalYumaBonds(bondsInput)

  // §3.12 emission shares, with the fallback to (active) stake when nobody earned anything.
  const combined = incentive.map((x, i) => add(x, dividends[i]!))
  const total = sum(combined)
  const serverShare = total === 0n ? incentive : incentive.map(x => div(x, total))
  let validatorShare = total === 0n ? dividends : dividends.map(x => div(x, total))
  let combinedShare = normalize(combined)
  if (total === 0n) {
    const fallback = sum(activeStake) === 0n ? stake : activeStake
    validatorShare = fallback
    combinedShare = fallback
  }

  return {
    active,
    stake,
    activeStake,
    newValidatorPermit,
    weights,
    maskedWeights,
    consensus,
    clippedWeights,
    validatorTrust,
    ranks,
    incentive,
    dividends,
    serverShare,
    validatorShare,
    combinedShare,
    // §3.13 bond rows are kept only for uids with a new permit.
    bonds: bonds.map((row, i) => (newValidatorPermit[i]! ? row : []))
  }
}

/** Runs one epoch and returns what subtensor stores and pays (§3.13). */
/** The outputs with bond rows as [uid, value] pairs (the fast epoch packs them; tests unpack). */
export type OracleOutputs = Omit<EpochOutputs, 'bonds'> & { bonds: SparseRow[] }

export function runEpoch (params: EpochParams, inputs: OracleInputs): OracleOutputs {
  const terms = epochTerms(params, inputs)
  const u16 = (values: Fixed[]): number[] => values.map(toU16Proportion)
  const amounts = (shares: Fixed[]): bigint[] => shares.map(x => shareOf(x, inputs.emission))
  return {
    consensus: u16(terms.consensus),
    incentive: u16(terms.incentive),
    dividends: u16(terms.dividends),
    validatorTrust: u16(terms.validatorTrust),
    stakeWeight: u16(terms.stake),
    emission: amounts(terms.combinedShare),
    serverEmission: amounts(terms.serverShare),
    validatorEmission: amounts(terms.validatorShare),
    newValidatorPermit: terms.newValidatorPermit,
    active: terms.active,
    bonds: terms.bonds
  }
}
