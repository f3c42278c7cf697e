/**
 * Checks a stake or unstake form before anything is signed: a registered hotkey, an amount above
 * zero and not above what can be moved (the balance to stake, the stake on that hotkey to
 * unstake). The ledger checks again; this keeps a doomed transaction from being sent at all.
 */
import { fromAddress, toAddress } from '../core/address.ts'
import { userMessage } from './errors.ts'
import { formatTokens, parseTokens } from './format.ts'

export type StakeMode = 'stake' | 'unstake'

export interface StakeFields {
  hotkey: string
  amount: string
}

export interface StakeErrors {
  hotkey?: string
  amount?: string
}

export interface StakeLimits {
  /** Spendable balance; null while it has not loaded. */
  balance: bigint | null
  /** This coldkey's stake per hotkey address. */
  staked: ReadonlyMap<string, bigint>
  /** Hotkeys registered on some subnet (only they take stake); null while unknown. */
  registered: ReadonlySet<string> | null
}

export type StakeCheck =
  | { ok: true, hotkey: Uint8Array, address: string, amount: bigint }
  | { ok: false, errors: StakeErrors }

export function checkStake (mode: StakeMode, fields: StakeFields, limits: StakeLimits): StakeCheck {
  const errors: StakeErrors = {}
  let hotkey: Uint8Array = new Uint8Array()
  let address = ''
  if (fields.hotkey.trim() === '') {
    errors.hotkey = mode === 'stake' ? 'Choose the validator to stake to.' : 'Choose the validator to unstake from.'
  } else {
    try {
      hotkey = fromAddress(fields.hotkey)
      address = toAddress(hotkey)
      if (mode === 'stake' && limits.registered !== null && !limits.registered.has(address)) {
        errors.hotkey = 'That hotkey is not registered on any subnet, so it cannot take stake; pick one from the list.'
      }
    } catch (err) {
      errors.hotkey = userMessage(err)
    }
  }
  try {
    const amount = parseTokens(fields.amount)
    const staked = limits.staked.get(address) ?? 0n
    if (amount === 0n) {
      errors.amount = 'Enter an amount above zero.'
    } else if (mode === 'stake' && limits.balance !== null && amount > limits.balance) {
      errors.amount = `That is more than your balance of ${formatTokens(limits.balance)}.`
    } else if (mode === 'unstake' && errors.hotkey === undefined && amount > staked) {
      errors.amount = staked === 0n
        ? 'You have no stake on that validator.'
        : `That is more than your stake of ${formatTokens(staked)} on that validator.`
    }
    if (Object.keys(errors).length === 0) return { ok: true, hotkey, address, amount }
  } catch (err) {
    errors.amount = userMessage(err)
  }
  return { ok: false, errors }
}

/** A validator's take (u16 fraction of 65535) as a percentage with one decimal, e.g. "18.0 %". */
export function formatTake (take: bigint): string {
  const tenths = (take * 1000n + 32767n) / 65535n
  return `${tenths / 10n}.${tenths % 10n} %`
}
