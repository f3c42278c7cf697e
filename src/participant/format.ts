/**
 * Amounts as people read and type them. The ledger counts base units (1 TT = 10^9) in bigint;
 * this converts both ways with integer arithmetic only, so "0.1" is exactly 100,000,000 base
 * units and never 0.1000000000000000055….
 *
 * Display groups thousands with a narrow no-break space (the SI way) rather than a comma, because
 * a comma is the decimal mark in much of the world: the parser refuses commas outright instead of
 * guessing, and accepts what the display shows, so a pasted balance parses back to itself.
 */
import { AmountError } from './errors.ts'

/** Digits after the decimal point; 1 token = 10^9 base units. */
export const TOKEN_DECIMALS = 9
export const BASE_UNITS_PER_TOKEN = 10n ** BigInt(TOKEN_DECIMALS)
/** Most tokens that will ever exist; no amount a person types can be above it. */
export const MAX_SUPPLY_BASE_UNITS = 21_000_000n * BASE_UNITS_PER_TOKEN
export const TOKEN_SYMBOL = 'TT'

/** The thousands separator used for display: U+202F narrow no-break space. */
const GROUP_SEPARATOR = '\u202f'

export interface FormatOptions {
  /** Append " TT" (default true). */
  symbol?: boolean
  /** Most fraction digits to show, rounding toward zero (default: all 9). */
  maxDecimals?: number
}

/** `1234567890n` → "1.23456789 TT"; trailing zeros dropped, thousands grouped. */
export function formatTokens (baseUnits: bigint, { symbol = true, maxDecimals = TOKEN_DECIMALS }: FormatOptions = {}): string {
  const sign = baseUnits < 0n ? '-' : ''
  const abs = baseUnits < 0n ? -baseUnits : baseUnits
  const whole = (abs / BASE_UNITS_PER_TOKEN).toString().replace(/\B(?=(\d{3})+$)/g, GROUP_SEPARATOR)
  const fraction = (abs % BASE_UNITS_PER_TOKEN).toString().padStart(TOKEN_DECIMALS, '0')
    .slice(0, Math.max(0, Math.min(TOKEN_DECIMALS, maxDecimals))).replace(/0+$/, '')
  const number = fraction === '' ? whole : `${whole}.${fraction}`
  return `${sign}${number}${symbol ? ` ${TOKEN_SYMBOL}` : ''}`
}

/** Digits grouped in threes by a space-like separator, or not grouped at all. */
const WHOLE = /^(?:\d+|\d{1,3}(?:[ \u00a0\u202f]\d{3})+)$/

/** Parses "12.5", ".5", "1 000.25 TT" into base units; throws `AmountError` with a sentence. */
export function parseTokens (text: string): bigint {
  let value = text.trim()
  if (value === '') throw new AmountError('EMPTY_AMOUNT', 'Enter an amount.')
  value = value.replace(new RegExp(`\\s*${TOKEN_SYMBOL}$`, 'i'), '')
  if (value.startsWith('-')) throw new AmountError('NEGATIVE_AMOUNT', 'An amount cannot be negative.')
  if (value.startsWith('+')) value = value.slice(1)
  if (value.includes(',')) {
    throw new AmountError('NOT_A_NUMBER', 'Use a dot for decimals and no commas, e.g. 1234.5.')
  }
  const parts = value.split('.')
  const whole = parts[0] ?? ''
  const fraction = parts[1] ?? ''
  const wellFormed = parts.length <= 2 && (whole !== '' || fraction !== '') &&
    (whole === '' || WHOLE.test(whole)) && /^\d*$/.test(fraction)
  if (!wellFormed) throw new AmountError('NOT_A_NUMBER', `"${text.trim()}" is not a number of tokens; write it like 12.5.`)
  if (fraction.length > TOKEN_DECIMALS) {
    throw new AmountError('TOO_MANY_DECIMALS', `${TOKEN_SYMBOL} has at most ${TOKEN_DECIMALS} decimals; shorten the amount.`)
  }
  const digits = whole.replace(/\D/g, '') + fraction.padEnd(TOKEN_DECIMALS, '0')
  const baseUnits = BigInt(digits)
  if (baseUnits > MAX_SUPPLY_BASE_UNITS) {
    throw new AmountError('AMOUNT_TOO_LARGE', `That is more than the ${formatTokens(MAX_SUPPLY_BASE_UNITS)} that will ever exist.`)
  }
  return baseUnits
}

/** A byte count for people: `0 B`, `512 B`, `1.5 KiB`, `16.0 MiB`, `2.3 GiB`. */
export function formatBytes (bytes: number): string {
  if (bytes < 1024) return `${bytes} B`
  const units = ['KiB', 'MiB', 'GiB', 'TiB']
  let value = bytes / 1024
  let unit = 0
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024
    unit++
  }
  return `${value.toFixed(1)} ${units[unit]}`
}

/** "3fa9c2…81d0e7": enough of a hash to recognise, short enough for a header. */
export function shortHash (hex: string, keep = 6): string {
  return hex.length <= 2 * keep + 1 ? hex : `${hex.slice(0, keep)}…${hex.slice(-keep)}`
}

/** "tt1qxy2k…9f3a": the prefix and both ends of an address. */
export function shortAddress (address: string, keep = 6): string {
  return address.length <= 2 * keep + 6 ? address : `${address.slice(0, keep + 3)}…${address.slice(-keep)}`
}
