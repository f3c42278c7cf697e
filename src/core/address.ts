/**
 * Addresses: an ed25519 public key written as bech32m with the prefix `tt` (e.g. `tt1q…`).
 * The checksum catches typos, the alphabet has no look-alike characters, and the text is all
 * lower case, so an address survives being read aloud or copied from a phone.
 */
import { bech32m } from '@scure/base'
import { LedgerError } from './errors.ts'
import { PUBLIC_KEY_BYTES } from './keys.ts'

export const ADDRESS_PREFIX = 'tt'

export function toAddress (publicKey: Uint8Array): string {
  return bech32m.encode(ADDRESS_PREFIX, bech32m.toWords(publicKey))
}

/** The public key an address names; throws BAD_ADDRESS with a readable sentence otherwise. */
export function fromAddress (address: string): Uint8Array {
  let decoded
  try {
    decoded = bech32m.decode(address.trim().toLowerCase() as `${string}1${string}`, 90)
  } catch {
    throw new LedgerError('BAD_ADDRESS', `"${address}" is not a Tabtensor address (check it for typos).`)
  }
  if (decoded.prefix !== ADDRESS_PREFIX) {
    throw new LedgerError('BAD_ADDRESS', `"${address}" is not a Tabtensor address: it must start with "${ADDRESS_PREFIX}1".`)
  }
  const key = bech32m.fromWords(decoded.words)
  if (key.length !== PUBLIC_KEY_BYTES) throw new LedgerError('BAD_ADDRESS', `"${address}" does not hold a 32-byte key.`)
  return key
}

export function isAddress (address: string): boolean {
  try {
    fromAddress(address)
    return true
  } catch {
    return false
  }
}
