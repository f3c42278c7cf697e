/**
 * One Yuma epoch of one subnet (one mechanism), exactly as subtensor's sparse `epoch_mechanism`
 * computes it (yuma.md §3.1–3.13): activity, stake, permits, masked and normalised weights,
 * κ-majority consensus, clipping, incentive, bonds and dividends (original Yuma or Yuma 3, fixed or
 * liquid alpha), and the split of the epoch's emission into base units, with the emergency
 * fallback to stake when nobody earned anything.
 *
 * Everything is integer arithmetic on I32F32 bit patterns, so every engine computes the same
 * payout to the base unit. Stake normalisation (64 fraction bits) and payouts (u64 amounts) use
 * bigint (fixed.ts); from the normalised stake on, every per-uid value is a proportion of at most
 * 2^32 bits held as an exact double (exact.ts), which lets the O(n·validators) work run on typed
 * arrays. `epochTerms` shows the fixed-point intermediates that subtensor logs (tests compare
 * them with its log assertions); `runEpoch` returns the stored encodings.
 */
import { originalYumaBonds, yuma3Bonds, type BondsInput } from './bonds.ts'
import { checkEpoch } from './check.ts'
import { MAX, fixed, normalizeStake, shareOf, type Fixed } from './fixed.ts'
import { ONE, divFloor, fromU16, normalized, sumOf, u16Of } from './exact.ts'
import { liquidAlphaOf } from './liquid-alpha.ts'
import { colClip, interpolate, isTopkNonzero, matmul, rowSums } from './math.ts'
import { weightedMedianCols } from './median.ts'
import { CsrBuilder, packedEntryCount, toFixedMatrix, type Csr, type FixedMatrix } from './sparse.ts'
import { unpackRows } from './packed.ts'
import type { EpochInputs, EpochOutputs, EpochParams, PackedRows, SparseRow } from './types.ts'
import { Workspace } from './workspace.ts'

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

/** The same terms as the epoch computes them: I32F32 bit patterns as exact doubles. */
interface Terms {
  active: boolean[]
  stake: Float64Array
  activeStake: Float64Array
  newValidatorPermit: boolean[]
  maskedWeights: Csr
  consensus: Float64Array
  clippedWeights: Csr
  validatorTrust: Float64Array
  ranks: Float64Array
  incentive: Float64Array
  dividends: Float64Array
  serverShare: Float64Array
  validatorShare: Float64Array
  combinedShare: Float64Array
  bonds: PackedRows
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

/**
 * One stored weight w of a row whose weights sum to `total`, row-normalised: w·2^32 / (total·2^32)
 * as a fixed division, floor(w·2^32 / total), one exact floor since w·2^32 < 2^53 (exact.ts). The fixed-point
 * row sum saturates at the I32F32 maximum once total ≥ 2^31 (a row of more than 2^15 large
 * weights); that case divides by the maximum in bigint.
 */
function rowShare (w: number, total: number): number {
  return total >= 2 ** 31 ? Number((BigInt(w) << 64n) / MAX) : Math.floor((w * ONE) / total)
}

/**
 * §3.5: stored rows (uids ≥ n ignored) masked — rows of uids without an (old) permit, self-weight
 * except the owner's, weights set before the target last registered, and (commit-reveal) weights
 * committed before it — then row-normalised where the row's sum is positive.
 */
function maskedWeights (inputs: EpochInputs, stored: PackedRows, permit: readonly boolean[], owner: number | null, space: Workspace): Csr {
  const n = inputs.stake.length
  const registered = inputs.blockAtRegistration
  const commits = inputs.commitBlock ?? []
  const { start, uids, values } = stored
  const out = new CsrBuilder(n, packedEntryCount(stored, permit), space)
  for (let i = 0; i < n; i++) {
    if (permit[i]!) {
      const updated = inputs.lastUpdate[i]!
      const committed = commits[i] ?? null
      let total = 0
      for (let k = start[i]!; k < start[i + 1]!; k++) {
        const j = uids[k]!
        if (j >= n || (j === i && i !== owner) || updated <= registered[j]!) continue
        if (committed !== null && committed < registered[j]!) continue
        out.push(j, values[k]!)
        total += values[k]!
      }
      if (total > 0) {
        const shares = out.currentRow()
        for (let k = 0; k < shares.length; k++) shares[k] = rowShare(shares[k]!, total)
      }
    }
    out.endRow()
  }
  return out.finish()
}

/** The epochs' working memory (see workspace.ts): epochs run one at a time, so one is enough. */
const workspace = new Workspace()

function computeEpoch (params: EpochParams, inputs: EpochInputs): Terms & { weights: PackedRows } {
  const stored = checkEpoch(params, inputs)
  workspace.reset()
  const n = inputs.stake.length
  const owner = params.ownerUid !== null && params.ownerUid < n ? params.ownerUid : null
  const uids = inputs.stake.map((_, i) => i)

  // §3.1 activity, §3.2 stake (the owner is exempt from the threshold).
  const cutoff = activityCutoff(params)
  const active = inputs.lastUpdate.map(updated => !(updated + cutoff < inputs.block))
  const stakeBits = normalizeStake(inputs.stake.map((s, i) => (s < params.stakeThreshold && i !== owner ? 0n : s)))
  const stake = Float64Array.from(stakeBits, Number)

  // §3.3 permits: old ones gate this epoch, new ones are stored; the owner always holds one.
  const permit = uids.map(i => inputs.validatorPermit[i] === true || i === owner)
  const newValidatorPermit = isTopkNonzero(stake, params.maxValidators)
  if (owner !== null) newValidatorPermit[owner] = true

  // §3.4 active stake.
  const activeStake = normalized(stake.map((s, i) => (active[i]! && permit[i]! ? s : 0)))

  // §3.5 weights; §3.6–3.8 consensus, clipping, validator trust, ranks and incentive.
  const weights = maskedWeights(inputs, stored.weights, permit, owner, workspace)
  const consensus = weightedMedianCols(activeStake, weights, n, fromU16(params.kappa), workspace)
  const clippedWeights = colClip(weights, consensus, workspace)
  const validatorTrust = rowSums(clippedWeights)
  const ranks = matmul(clippedWeights, activeStake, n)
  const incentive = normalized(ranks)

  // §3.9–3.11 bonds and dividends; bond rows are kept only for uids with a new permit (§3.13).
  const bondsInput: BondsInput = {
    weightsForBonds: interpolate(weights, clippedWeights, n, fromU16(params.bondsPenalty), workspace),
    storedBonds: stored.bonds,
    activeStake,
    incentive,
    consensus,
    blockAtRegistration: inputs.blockAtRegistration,
    lastTempo: lastTempo(params, inputs.block),
    bondsMovingAverage: params.bondsMovingAverage,
    storeRow: newValidatorPermit
  }
  const liquidAlpha = params.liquidAlpha ? liquidAlphaOf(params.alphaLow, params.alphaHigh, params.alphaSigmoidSteepness) : null
  const { dividends, bonds } = params.yuma3 ? yuma3Bonds(bondsInput, liquidAlpha, workspace) : originalYumaBonds(bondsInput, workspace)

  // §3.12 emission shares, with the fallback to (active) stake when nobody earned anything.
  const combined = incentive.map((x, i) => x + dividends[i]!)
  const total = sumOf(combined)
  const serverShare = total === 0 ? incentive : incentive.map(x => divFloor(x, total))
  let validatorShare = total === 0 ? dividends : dividends.map(x => divFloor(x, total))
  let combinedShare = normalized(combined)
  if (total === 0) {
    const fallback = sumOf(activeStake) === 0 ? stake : activeStake
    validatorShare = fallback
    combinedShare = fallback
  }

  return {
    active,
    stake,
    activeStake,
    newValidatorPermit,
    maskedWeights: weights,
    consensus,
    clippedWeights,
    validatorTrust,
    ranks,
    incentive,
    dividends,
    serverShare,
    validatorShare,
    combinedShare,
    bonds,
    weights: stored.weights
  }
}

const bits = (values: Float64Array): Fixed[] => Array.from(values, v => BigInt(v))

export function epochTerms (params: EpochParams, inputs: EpochInputs): EpochTerms {
  const terms = computeEpoch(params, inputs)
  const n = inputs.stake.length
  return {
    active: terms.active,
    stake: bits(terms.stake),
    activeStake: bits(terms.activeStake),
    newValidatorPermit: terms.newValidatorPermit,
    weights: unpackRows(terms.weights).map(row => row.filter(([j]) => j < n).map(([j, w]): [number, Fixed] => [j, fixed(w)])),
    maskedWeights: toFixedMatrix(terms.maskedWeights),
    consensus: bits(terms.consensus),
    clippedWeights: toFixedMatrix(terms.clippedWeights),
    validatorTrust: bits(terms.validatorTrust),
    ranks: bits(terms.ranks),
    incentive: bits(terms.incentive),
    dividends: bits(terms.dividends),
    serverShare: bits(terms.serverShare),
    validatorShare: bits(terms.validatorShare),
    combinedShare: bits(terms.combinedShare),
    bonds: unpackRows(terms.bonds)
  }
}

/** Runs one epoch and returns what subtensor stores and pays (§3.13). */
export function runEpoch (params: EpochParams, inputs: EpochInputs): EpochOutputs {
  const terms = computeEpoch(params, inputs)
  const u16 = (values: Float64Array): number[] => Array.from(values, u16Of)
  const amounts = (shares: Float64Array): bigint[] => Array.from(shares, x => shareOf(BigInt(x), inputs.emission))
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
