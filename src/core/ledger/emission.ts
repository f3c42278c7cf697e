/**
 * Emission: each block's reward is routed to subnets, and each subnet pays out at its epoch.
 *
 * Routing splits the reward by the subnets' `emissionShare` (equal by default); the rounding
 * remainder goes to the first subnet, so nothing is lost. At a subnet's epoch its pending base
 * units are paid: the owner's cut (18 % by default), then the Yuma epoch splits the rest between
 * miners (by incentive) and validators (by dividends). A validator's part pays its take to the
 * hotkey's coldkey and the rest to the hotkey's stakers, pro rata, as added stake. Every
 * remainder of integer division is named: staker remainders go to the hotkey's coldkey, and what
 * the epoch's own rounding leaves stays pending for the next epoch. So payouts plus what stays
 * pending always equal what was routed.
 */
import { runEpoch } from '../yuma/epoch.ts'
import { packedRowLists } from '../yuma/packed.ts'
import type { EpochOutputs } from '../yuma/types.ts'
import type { State } from '../state.ts'
import { blockReward } from '../supply.ts'
import { changeStake, credit } from './accounts.ts'
import { subnetEpochInputs, type SubnetEpoch } from './epoch-inputs.ts'
import { K, amountAt, globals, type EpochRecord, type Neuron, type Subnet } from './schema.ts'
import { TREASURY } from './treasury.ts'

/** Epoch records a subnet keeps in the state for audits. */
export const EPOCH_RECORDS_KEPT = 16
/** u16 fractions. */
const U16_MAX = 65535n

/** Whether `subnet` runs its epoch at `height` (subtensor HEAD: a tempo has passed since the last). */
export function epochDue (subnet: Subnet, height: number): boolean {
  return subnet.params.tempo > 0n && BigInt(height - subnet.lastEpochBlock) >= subnet.params.tempo
}

/** Start-of-block step: run due epochs on the state as the previous block left it, then route this block's reward. */
export function beginBlock (state: State, height: number): void {
  for (const netuid of globals(state).netuids) {
    const subnet = state.get<Subnet>(K.subnet(netuid))!
    if (epochDue(subnet, height)) runSubnetEpoch(state, netuid, height)
  }
  routeBlockReward(state)
}

export function routeBlockReward (state: State): void {
  const g = globals(state)
  const reward = blockReward(g.issuance)
  if (reward === 0n) return
  state.set(K.globals, { ...g, issuance: g.issuance + reward })
  const subnets = g.netuids.map(netuid => state.get<Subnet>(K.subnet(netuid))!).filter(s => s.params.emissionShare > 0n)
  const total = subnets.reduce((sum, s) => sum + s.params.emissionShare, 0n)
  if (total === 0n) {
    credit(state, TREASURY, reward)
    return
  }
  let routed = 0n
  const shares = subnets.map(s => {
    const share = reward * s.params.emissionShare / total
    routed += share
    return share
  })
  shares[0]! += reward - routed
  subnets.forEach((s, i) => state.set(K.subnet(s.netuid), { ...s, pendingEmission: s.pendingEmission + shares[i]! }))
}

/** Runs `netuid`'s epoch at `height` and pays it out. */
export function runSubnetEpoch (state: State, netuid: number, height: number): EpochRecord {
  const epoch = subnetEpochInputs(key => state.get(key), netuid, height)!
  const subnet = state.get<Subnet>(K.subnet(netuid))!
  if (subnet.n === 0) {
    state.set(K.subnet(netuid), { ...subnet, lastEpochBlock: height, epochs: subnet.epochs + 1 })
    return { netuid, height, emission: 0n, ownerCut: 0n, payouts: [], carried: subnet.pendingEmission }
  }
  const out = runEpoch(epoch.params, epoch.inputs)
  const record = payout(state, epoch, out, netuid, height)
  storeTerms(state, netuid, out)
  const recent = [...subnet.recentEpochs, height]
  while (recent.length > EPOCH_RECORDS_KEPT) state.set(K.epoch(netuid, recent.shift()!), undefined)
  state.set(K.epoch(netuid, height), record)
  state.set(K.subnet(netuid), { ...state.get<Subnet>(K.subnet(netuid))!, pendingEmission: record.carried, lastEpochBlock: height, epochs: subnet.epochs + 1, recentEpochs: recent })
  return record
}

/** The payouts an epoch's outputs imply (pure: the tab's audit computes the same). */
export function epochPayouts (epoch: SubnetEpoch, out: EpochOutputs): Pick<EpochRecord, 'payouts' | 'carried'> {
  let paid = 0n
  const payouts: EpochRecord['payouts'] = epoch.hotkeys.map((hotkey, uid) => {
    const miner = out.serverEmission[uid]!
    const validator = out.validatorEmission[uid]!
    paid += miner + validator
    return [hotkey, miner, validator, validator * epoch.validatorTake / U16_MAX]
  })
  return { payouts, carried: epoch.inputs.emission - paid }
}

function payout (state: State, epoch: SubnetEpoch, out: EpochOutputs, netuid: number, height: number): EpochRecord {
  credit(state, epoch.owner, epoch.ownerCut)
  const { payouts, carried } = epochPayouts(epoch, out)
  for (const [hotkey, miner, validator, take] of payouts) {
    const coldkey = state.get<Uint8Array>(K.owner(hotkey))!
    credit(state, coldkey, miner + take)
    shareWithStakers(state, hotkey, coldkey, validator - take)
  }
  return { netuid, height, emission: epoch.pending, ownerCut: epoch.ownerCut, payouts, carried }
}

/** Adds `amount` to the stakes on `hotkey` pro rata; what division leaves goes to `coldkey`. */
function shareWithStakers (state: State, hotkey: Uint8Array, coldkey: Uint8Array, amount: bigint): void {
  if (amount === 0n) return
  const stakers = state.get<Uint8Array[]>(K.stakers(hotkey)) ?? []
  const total = amountAt(state, K.hotkeyStake(hotkey))
  let given = 0n
  if (total > 0n) {
    // Shares are computed from the stakes before any is raised, so order does not matter.
    const shares = stakers.map(staker => amount * amountAt(state, K.stake(hotkey, staker)) / total)
    stakers.forEach((staker, i) => {
      if (shares[i]! > 0n) changeStake(state, hotkey, staker, shares[i]!)
      given += shares[i]!
    })
  }
  credit(state, coldkey, amount - given)
}

function storeTerms (state: State, netuid: number, out: EpochOutputs): void {
  out.consensus.forEach((_, uid) => {
    const neuron = state.get<Neuron>(K.neuron(netuid, uid))!
    state.set(K.neuron(netuid, uid), {
      ...neuron,
      consensus: out.consensus[uid]!,
      incentive: out.incentive[uid]!,
      dividends: out.dividends[uid]!,
      validatorTrust: out.validatorTrust[uid]!,
      stakeWeight: out.stakeWeight[uid]!,
      active: out.active[uid]!,
      validatorPermit: out.newValidatorPermit[uid]!,
      emission: out.emission[uid]!
    })
    state.set(K.bonds(netuid, uid), packedRowLists(out.bonds, uid) ?? undefined)
  })
}
