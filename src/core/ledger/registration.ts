/**
 * Registering hotkeys on subnets, as subtensor does (yuma.md §3.15; `block_step.rs`):
 * by burning base units, or by a proof of work over a recent block hash. Every
 * `adjustmentInterval` blocks the burn and the difficulty move toward keeping registrations at
 * `targetRegistrationsPerInterval` (the six cases of `adjust_registration_terms_for_networks`, in
 * I110F18 fixed point). A full subnet replaces its lowest-emission uid that is not immune.
 */
import { TransactionError } from '../errors.ts'
import { bytesToBigInt, hash, u64be, utf8ToBytes, equalBytes } from '../hash.ts'
import type { SubnetParams } from '../params.ts'
import type { State } from '../state.ts'
import { debit } from './accounts.ts'
import type { TxContext } from './context.ts'
import { K, globals, type Neuron, type Subnet, type WeightRow } from './schema.ts'

const POW_TAG = utf8ToBytes('tabtensor/pow')
const TWO_256 = 1n << 256n

export function getSubnet (state: State, netuid: number): Subnet {
  const subnet = state.get<Subnet>(K.subnet(netuid))
  if (subnet === undefined) throw new TransactionError('UNKNOWN_SUBNET', `There is no subnet ${netuid}.`)
  return subnet
}

/** The seal a proof of work hashes to; it binds the chain, block, subnet, hotkey and coldkey. */
export function powSeal (
  chainId: Uint8Array, blockHash: Uint8Array, netuid: number, hotkey: Uint8Array, coldkey: Uint8Array, work: bigint
): Uint8Array {
  return hash(POW_TAG, chainId, blockHash, new Uint8Array([netuid >> 8, netuid & 0xff]), hotkey, coldkey, u64be(work))
}

/** A seal meets `difficulty` when seal × difficulty stays below 2^256, as subtensor checks it. */
export function meetsDifficulty (seal: Uint8Array, difficulty: bigint): boolean {
  return bytesToBigInt(seal) * difficulty < TWO_256
}

/** Searches work values from `start` until one meets the difficulty (tests, tools and tabs). */
export function solvePow (
  chainId: Uint8Array, blockHash: Uint8Array, netuid: number, hotkey: Uint8Array, coldkey: Uint8Array,
  difficulty: bigint, start = 0n, limit = 1n << 40n
): bigint | null {
  for (let work = start; work < start + limit; work++) {
    if (meetsDifficulty(powSeal(chainId, blockHash, netuid, hotkey, coldkey, work), difficulty)) return work
  }
  return null
}

export type RegistrationMethod =
  | { kind: 'burn', maxBurn: bigint }
  | { kind: 'pow', block: number, work: bigint }

/** Registers `hotkey`, owned by `coldkey`, on `netuid`; returns its uid. */
export function register (
  state: State, ctx: TxContext, netuid: number, hotkey: Uint8Array, coldkey: Uint8Array, method: RegistrationMethod
): number {
  const subnet = getSubnet(state, netuid)
  const p = subnet.params
  if (p.registrationAllowed === 0n) throw new TransactionError('REGISTRATION_CLOSED', `Subnet ${netuid} does not accept registrations now.`)
  if (BigInt(subnet.registrationsThisBlock) >= p.maxRegistrationsPerBlock) {
    throw new TransactionError('RATE_LIMITED', `Subnet ${netuid} takes no more registrations in this block; try again in the next one.`)
  }
  if (state.has(K.uidOf(netuid, hotkey))) {
    throw new TransactionError('DUPLICATE_REGISTRATION', `That hotkey is already registered on subnet ${netuid}.`)
  }
  const owner = state.get<Uint8Array>(K.owner(hotkey))
  if (owner !== undefined && !equalBytes(owner, coldkey)) {
    throw new TransactionError('HOTKEY_OWNED_BY_OTHER', 'That hotkey belongs to another coldkey; register a hotkey of your own.')
  }

  if (method.kind === 'burn') {
    if (p.burn > method.maxBurn) {
      throw new TransactionError('BURN_TOO_HIGH', `Registering costs ${p.burn} base units now, more than the ${method.maxBurn} you allowed.`)
    }
    debit(state, coldkey, p.burn)
    // Burned base units leave the supply, as subtensor recycles them.
    const g = globals(state)
    state.set(K.globals, { ...g, issuance: g.issuance - p.burn })
  } else {
    const age = ctx.height - method.block
    const blockHash = ctx.blockHash(method.block)
    if (age <= 0 || BigInt(age) > p.powMaxAge || blockHash === undefined) {
      throw new TransactionError('POW_STALE', `The proof of work must name one of the last ${p.powMaxAge} blocks; solve it again on a recent block.`)
    }
    const seal = powSeal(ctx.chainId, blockHash, netuid, hotkey, coldkey, method.work)
    if (!meetsDifficulty(seal, p.difficulty)) {
      throw new TransactionError('POW_INSUFFICIENT', `The proof of work does not meet difficulty ${p.difficulty}.`)
    }
  }

  if (owner === undefined) state.set(K.owner(hotkey), coldkey)
  let uid: number
  let n = subnet.n
  if (BigInt(n) < p.maxUids) {
    uid = n++
  } else {
    uid = uidToPrune(state, subnet, ctx.height)
    replaceNeuron(state, subnet, uid)
  }
  const neuron: Neuron = {
    hotkey, registeredAt: ctx.height, lastUpdate: ctx.height, validatorPermit: false, emission: 0n,
    consensus: 0, incentive: 0, dividends: 0, validatorTrust: 0, stakeWeight: 0, active: true
  }
  state.set(K.neuron(netuid, uid), neuron)
  state.set(K.uidOf(netuid, hotkey), uid)
  state.set(K.subnet(netuid), {
    ...subnet,
    n,
    registrationsThisBlock: subnet.registrationsThisBlock + 1,
    registrationsThisInterval: subnet.registrationsThisInterval + 1,
    powRegistrationsThisInterval: subnet.powRegistrationsThisInterval + (method.kind === 'pow' ? 1 : 0),
    burnRegistrationsThisInterval: subnet.burnRegistrationsThisInterval + (method.kind === 'burn' ? 1 : 0)
  })
  return uid
}

/**
 * Frees `uid` for a new hotkey as subtensor's `replace_neuron` does: the old hotkey's own weights,
 * bonds and commit go; other validators' weights on the uid become explicit zeros (kept as
 * entries); its bond columns in other rows fall away at the next epoch (recently-registered mask).
 */
function replaceNeuron (state: State, subnet: Subnet, uid: number): void {
  const netuid = subnet.netuid
  const old = state.get<Neuron>(K.neuron(netuid, uid))!
  state.set(K.uidOf(netuid, old.hotkey), undefined)
  state.set(K.weights(netuid, uid), undefined)
  state.set(K.bonds(netuid, uid), undefined)
  state.set(K.commit(netuid, old.hotkey), undefined)
  for (let other = 0; other < subnet.n; other++) {
    const row = state.get<WeightRow>(K.weights(netuid, other))
    const at = row?.uids.indexOf(uid) ?? -1
    if (row !== undefined && at >= 0 && row.weights[at] !== 0) {
      state.set(K.weights(netuid, other), { uids: row.uids, weights: row.weights.map((w, i) => (i === at ? 0 : w)) })
    }
  }
}

/**
 * The uid a new registration replaces in a full subnet: lowest emission, then earliest
 * registration, then lowest uid — among non-immune uids if there is one, else among all.
 */
export function uidToPrune (state: State, subnet: Subnet, height: number): number {
  let best: { uid: number, immune: boolean, neuron: Neuron } | null = null
  for (let uid = 0; uid < subnet.n; uid++) {
    const neuron = state.get<Neuron>(K.neuron(subnet.netuid, uid))!
    const immune = BigInt(height - neuron.registeredAt) < subnet.params.immunityPeriod
    if (best === null || isBetterToPrune({ uid, immune, neuron }, best)) best = { uid, immune, neuron }
  }
  return best!.uid
}

function isBetterToPrune (
  a: { uid: number, immune: boolean, neuron: Neuron }, b: { uid: number, immune: boolean, neuron: Neuron }
): boolean {
  if (a.immune !== b.immune) return !a.immune
  if (a.neuron.emission !== b.neuron.emission) return a.neuron.emission < b.neuron.emission
  if (a.neuron.registeredAt !== b.neuron.registeredAt) return a.neuron.registeredAt < b.neuron.registeredAt
  return a.uid < b.uid
}

// ---- adjustment ------------------------------------------------------------------------------

/** I110F18: 18 fraction bits. */
const FRAC = 18n
const ONE = 1n << FRAC
const U64_MAX = (1n << 64n) - 1n

/**
 * subtensor's `upgraded_difficulty` / `upgraded_burn`: current × (regs + target) / (2·target),
 * smoothed by alpha = adjustmentAlpha / (2^64 − 1), clamped to [min, max]; fixed-point
 * multiplications and divisions truncate.
 */
export function adjustedValue (current: bigint, registrations: number, target: bigint, alphaRaw: bigint, min: bigint, max: bigint): bigint {
  const cur = current << FRAC
  const num = (BigInt(registrations) + target) << FRAC
  const den = (target + target) << FRAC
  const updated = den === 0n ? 0n : (((cur * num) >> FRAC) << FRAC) / den
  const alpha = ((alphaRaw << FRAC) << FRAC) / (U64_MAX << FRAC)
  const next = ((alpha * cur) >> FRAC) + (((ONE - alpha) * updated) >> FRAC)
  if (next >= max << FRAC) return max
  if (next <= min << FRAC) return min
  return next >> FRAC
}

/** End-of-block step for one subnet: adjust burn and difficulty when the interval is over. */
export function adjustRegistrationTerms (subnet: Subnet, height: number): Subnet {
  const p = subnet.params
  let next: Subnet = subnet.registrationsThisBlock === 0 ? subnet : { ...subnet, registrationsThisBlock: 0 }
  if (BigInt(height - subnet.lastAdjustment) < p.adjustmentInterval) return next
  const regs = subnet.registrationsThisInterval
  const pow = subnet.powRegistrationsThisInterval
  const burn = subnet.burnRegistrationsThisInterval
  const target = p.targetRegistrationsPerInterval
  // Too many registrations raise the cost of the method most used; too few lower the cost of
  // the other one; a tie moves both (subtensor's cases A–F).
  const tooMany = BigInt(regs) > target
  const moveDifficulty = tooMany ? pow >= burn : pow <= burn
  const moveBurn = tooMany ? burn >= pow : burn <= pow
  const params: SubnetParams = {
    ...p,
    difficulty: moveDifficulty ? adjustedValue(p.difficulty, regs, target, p.adjustmentAlpha, p.minDifficulty, p.maxDifficulty) : p.difficulty,
    burn: moveBurn ? adjustedValue(p.burn, regs, target, p.adjustmentAlpha, p.minBurn, p.maxBurn) : p.burn
  }
  next = {
    ...next,
    params,
    lastAdjustment: height,
    registrationsThisInterval: 0,
    powRegistrationsThisInterval: 0,
    burnRegistrationsThisInterval: 0
  }
  return next
}
