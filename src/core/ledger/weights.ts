/**
 * Weights are set by commit, then reveal, so validators cannot copy each other's fresh weights.
 * A commit is H("tabtensor/weights-commit" ‖ canonical {netuid, hotkey, uids, weights, salt}).
 * It may be revealed once the subnet has run an epoch since, and within `commitRevealPeriod`
 * epochs. Epochs are counted as the subnet runs them, so "after the epoch" means what a validator
 * sees happen. Revealed weights are stored max-upscaled (row max = 65535) as subtensor stores them.
 */
import { encode } from '../codec.ts'
import { fixed } from '../yuma/fixed.ts'
import { vecMaxUpscaleToU16 } from '../yuma/math.ts'
import { TransactionError } from '../errors.ts'
import { equalBytes, hash, utf8ToBytes } from '../hash.ts'
import type { State } from '../state.ts'
import type { TxContext } from './context.ts'
import { getSubnet } from './registration.ts'
import { K, type Neuron, type WeightCommit } from './schema.ts'

const COMMIT_TAG = utf8ToBytes('tabtensor/weights-commit')

export function weightsCommitHash (
  netuid: number, hotkey: Uint8Array, uids: number[], weights: number[], salt: Uint8Array
): Uint8Array {
  return hash(COMMIT_TAG, encode({ netuid, hotkey, uids, weights, salt }))
}

/** Whether a commit made at epoch count `committedAt` may still be revealed when the count is `now`. */
export function commitLive (committedAt: number, now: number, period: bigint): boolean {
  return BigInt(now) <= BigInt(committedAt) + period
}

function uidOfSigner (state: State, netuid: number, hotkey: Uint8Array): number {
  const uid = state.get<number>(K.uidOf(netuid, hotkey))
  if (uid === undefined) throw new TransactionError('NOT_REGISTERED', `The signing hotkey is not registered on subnet ${netuid}.`)
  return uid
}

export function commitWeights (state: State, ctx: TxContext, netuid: number, hotkey: Uint8Array, commit: Uint8Array): void {
  const subnet = getSubnet(state, netuid)
  uidOfSigner(state, netuid, hotkey)
  const record: WeightCommit = { hash: commit, block: ctx.height, epoch: subnet.epochs }
  state.set(K.commit(netuid, hotkey), record)
}

/** Checks a weight vector against a subnet of `n` uids. */
export function checkWeights (uids: number[], weights: number[], n: number): void {
  if (uids.length !== weights.length) {
    throw new TransactionError('WEIGHTS_LENGTH_MISMATCH', `There are ${uids.length} uids but ${weights.length} weights; give one weight per uid.`)
  }
  const seen = new Set<number>()
  for (const uid of uids) {
    if (seen.has(uid)) throw new TransactionError('DUPLICATE_UID', `Uid ${uid} appears twice; name each uid once.`)
    if (uid >= n) throw new TransactionError('UID_OUT_OF_RANGE', `Uid ${uid} does not exist; the subnet has uids 0 to ${n - 1}.`)
    seen.add(uid)
  }
}

/** Stores a row as subtensor's `set_weights` does: max-upscaled so its largest weight is 65535. */
export function maxUpscale (weights: number[]): number[] {
  return vecMaxUpscaleToU16(weights.map(w => fixed(w)))
}

export function revealWeights (
  state: State, ctx: TxContext, netuid: number, hotkey: Uint8Array, uids: number[], weights: number[], salt: Uint8Array
): void {
  const subnet = getSubnet(state, netuid)
  const uid = uidOfSigner(state, netuid, hotkey)
  const commit = state.get<WeightCommit>(K.commit(netuid, hotkey))
  if (commit === undefined) throw new TransactionError('NO_COMMIT', 'There is no weight commit to reveal; commit the weights first.')
  if (!equalBytes(commit.hash, weightsCommitHash(netuid, hotkey, uids, weights, salt))) {
    throw new TransactionError('REVEAL_MISMATCH', 'These weights and salt do not match the commit; reveal exactly what was committed.')
  }
  if (subnet.epochs <= commit.epoch) {
    throw new TransactionError('REVEAL_TOO_EARLY', 'A commit can be revealed only after the subnet has run an epoch since; wait for the next epoch.')
  }
  if (!commitLive(commit.epoch, subnet.epochs, subnet.params.commitRevealPeriod)) {
    throw new TransactionError('REVEAL_EXPIRED', 'The reveal window of this commit has passed; commit again.')
  }
  checkWeights(uids, weights, subnet.n)
  const neuron = state.get<Neuron>(K.neuron(netuid, uid))!
  // Weights on others need a validator permit; weight on oneself alone is always allowed.
  if (!neuron.validatorPermit && uids.some(u => u !== uid)) {
    throw new TransactionError('NO_PERMIT', 'This hotkey has no validator permit, so it can set weight only on itself; stake more to earn a permit.')
  }
  state.set(K.weights(netuid, uid), { uids, weights: maxUpscale(weights) })
  state.set(K.commit(netuid, hotkey), undefined)
  state.set(K.neuron(netuid, uid), { ...neuron, lastUpdate: ctx.height })
}
