/** Transfers and staking: moving base units between balances and stakes, never creating any. */
import { TransactionError } from '../errors.ts'
import { equalBytes } from '../hash.ts'
import type { State } from '../state.ts'
import { K, account, amountAt, globals, setAccount, setAmount } from './schema.ts'

export function requirePositive (amount: bigint): void {
  if (amount <= 0n) throw new TransactionError('ZERO_AMOUNT', 'The amount must be more than zero.')
}

/** Takes `amount` from `key`'s balance, or throws INSUFFICIENT_BALANCE. */
export function debit (state: State, key: Uint8Array, amount: bigint): void {
  const acct = account(state, key)
  if (acct.balance < amount) {
    throw new TransactionError('INSUFFICIENT_BALANCE', `The balance is ${acct.balance} base units; ${amount} are needed.`)
  }
  setAccount(state, key, { ...acct, balance: acct.balance - amount })
}

export function credit (state: State, key: Uint8Array, amount: bigint): void {
  const acct = account(state, key)
  setAccount(state, key, { ...acct, balance: acct.balance + amount })
}

export function transfer (state: State, from: Uint8Array, to: Uint8Array, amount: bigint): void {
  requirePositive(amount)
  debit(state, from, amount)
  credit(state, to, amount)
}

/** Moves stake of `coldkey` on `hotkey` by `delta` (negative to unstake), keeping the totals. */
export function changeStake (state: State, hotkey: Uint8Array, coldkey: Uint8Array, delta: bigint): void {
  const key = K.stake(hotkey, coldkey)
  const current = amountAt(state, key)
  if (current + delta < 0n) {
    throw new TransactionError('INSUFFICIENT_STAKE', `The stake on that hotkey is ${current} base units; ${-delta} were asked for.`)
  }
  setAmount(state, key, current + delta)
  if (current === 0n || current + delta === 0n) {
    const stakers = state.get<Uint8Array[]>(K.stakers(hotkey)) ?? []
    const next = current === 0n ? [...stakers, coldkey] : stakers.filter(c => !equalBytes(c, coldkey))
    state.set(K.stakers(hotkey), next.length === 0 ? undefined : next)
  }
  setAmount(state, K.hotkeyStake(hotkey), amountAt(state, K.hotkeyStake(hotkey)) + delta)
  setAmount(state, K.coldkeyStake(coldkey), amountAt(state, K.coldkeyStake(coldkey)) + delta)
  const g = globals(state)
  state.set(K.globals, { ...g, totalStake: g.totalStake + delta })
}

export function addStake (state: State, coldkey: Uint8Array, hotkey: Uint8Array, amount: bigint): void {
  requirePositive(amount)
  if (!state.has(K.owner(hotkey))) {
    throw new TransactionError('UNKNOWN_HOTKEY', 'That hotkey is not registered on any subnet, so it cannot take stake.')
  }
  debit(state, coldkey, amount)
  changeStake(state, hotkey, coldkey, amount)
}

export function removeStake (state: State, coldkey: Uint8Array, hotkey: Uint8Array, amount: bigint): void {
  requirePositive(amount)
  changeStake(state, hotkey, coldkey, -amount)
  credit(state, coldkey, amount)
}
