import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { bech32, bech32m } from '@scure/base'
import { ADDRESS_PREFIX, fromAddress, isAddress, toAddress } from '../../../src/core/address.ts'
import { LedgerError } from '../../../src/core/errors.ts'
import { keypairFromLabel } from '../../../src/core/keys.ts'

const CHARSET = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l'
const publicKey = fc.uint8Array({ minLength: 32, maxLength: 32 })

function addressError (address: string): LedgerError {
  try {
    fromAddress(address)
  } catch (err) {
    expect(err).toBeInstanceOf(LedgerError)
    return err as LedgerError
  }
  throw new Error(`"${address}" was accepted`)
}

describe('addresses', () => {
  it('round-trips every public key through its address', () => {
    fc.assert(fc.property(publicKey, key => {
      const address = toAddress(key)
      expect(address.startsWith(`${ADDRESS_PREFIX}1`)).toBe(true)
      expect(address).toBe(address.toLowerCase())
      expect(fromAddress(address)).toStrictEqual(key)
      expect(isAddress(address)).toBe(true)
    }), { numRuns: 200 })
  })

  it('rejects every one-character typo with BAD_ADDRESS', () => {
    fc.assert(fc.property(publicKey, fc.nat(), fc.constantFrom(...CHARSET), (key, pick, replacement) => {
      const address = toAddress(key)
      // Any position after "tt1": the data and the checksum.
      const i = 3 + (pick % (address.length - 3))
      fc.pre(address[i] !== replacement)
      const typo = address.slice(0, i) + replacement + address.slice(i + 1)
      expect(addressError(typo).code).toBe('BAD_ADDRESS')
      expect(isAddress(typo)).toBe(false)
    }), { numRuns: 300 })
  })

  it('rejects a typo in the prefix, a dropped character and a swapped pair of characters', () => {
    const address = toAddress(keypairFromLabel('alice').publicKey)
    const cases = [
      `tu${address.slice(2)}`,
      address.slice(0, 10) + address.slice(11),
      address.slice(0, 10) + address[11] + address[10] + address.slice(12)
    ]
    for (const bad of cases) {
      if (bad === address) continue
      expect(addressError(bad).code).toBe('BAD_ADDRESS')
    }
  })

  it('rejects a valid bech32m string with another prefix, saying which prefix it needs', () => {
    const key = keypairFromLabel('alice').publicKey
    const err = addressError(bech32m.encode('bc', bech32m.toWords(key)))
    expect(err.code).toBe('BAD_ADDRESS')
    expect(err.message).toContain('"tt1"')
  })

  it('rejects the same key written as bech32 instead of bech32m', () => {
    const key = keypairFromLabel('alice').publicKey
    expect(addressError(bech32.encode(ADDRESS_PREFIX, bech32.toWords(key))).code).toBe('BAD_ADDRESS')
  })

  it('rejects a well-formed address that holds a key of the wrong length', () => {
    expect(addressError(bech32m.encode(ADDRESS_PREFIX, bech32m.toWords(new Uint8Array(31)))).code).toBe('BAD_ADDRESS')
    expect(addressError(bech32m.encode(ADDRESS_PREFIX, bech32m.toWords(new Uint8Array(33)))).code).toBe('BAD_ADDRESS')
  })

  it('rejects empty input and text that is not bech32 at all', () => {
    for (const bad of ['', 'tt1', 'hello', '0x1234', 'tt1bbbbbb']) expect(addressError(bad).code).toBe('BAD_ADDRESS')
  })

  it('accepts an address with surrounding whitespace or in upper case', () => {
    const key = keypairFromLabel('alice').publicKey
    const address = toAddress(key)
    expect(fromAddress(`  ${address}\n`)).toStrictEqual(key)
    expect(fromAddress(address.toUpperCase())).toStrictEqual(key)
  })
})
