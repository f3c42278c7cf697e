/**
 * Checks a send form before anything is signed, so the person sees every problem at once, next to
 * the field it concerns. The ledger checks again; this only saves a round trip and a signature.
 */
import { fromAddress, toAddress } from '../core/address.ts'
import { formatTokens, parseTokens } from './format.ts'
import { userMessage } from './errors.ts'

export interface TransferFields {
  to: string
  amount: string
}

export interface TransferErrors {
  to?: string
  amount?: string
}

export type TransferCheck =
  | { ok: true, to: string, amount: bigint }
  | { ok: false, errors: TransferErrors }

/** `balance` is null while it has not loaded; the amount is then checked only for form. */
export function checkTransfer (fields: TransferFields, own: { address: string, balance: bigint | null }): TransferCheck {
  const errors: TransferErrors = {}
  let to = ''
  let amount = 0n
  if (fields.to.trim() === '') {
    errors.to = 'Enter the address to send to.'
  } else {
    try {
      to = toAddress(fromAddress(fields.to))
      if (to === own.address) errors.to = 'That is this wallet\'s own address; enter someone else\'s.'
    } catch (err) {
      errors.to = userMessage(err)
    }
  }
  try {
    amount = parseTokens(fields.amount)
    if (amount === 0n) {
      errors.amount = 'Enter an amount above zero.'
    } else if (own.balance !== null && amount > own.balance) {
      errors.amount = `That is more than your balance of ${formatTokens(own.balance)}.`
    }
  } catch (err) {
    errors.amount = userMessage(err)
  }
  return errors.to === undefined && errors.amount === undefined ? { ok: true, to, amount } : { ok: false, errors }
}
