import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { LedgerError } from '../../../src/core/errors.ts'
import { toHex } from '../../../src/core/hash.ts'
import {
  isValidMnemonic, keypairFromLabel, keypairFromSecret, newMnemonic, sign, signingBytes, verify, walletFromMnemonic,
  type SignDomain, type SignatureVerifier
} from '../../../src/core/keys.ts'

const DOMAINS: SignDomain[] = ['tx', 'block', 'result', 'weights', 'gossip', 'task']
const ZERO_ENTROPY_24 = `${'abandon '.repeat(23)}art`

const secret = fc.uint8Array({ minLength: 32, maxLength: 32 })
const chainId = fc.uint8Array({ minLength: 32, maxLength: 32 })
const domain = fc.constantFrom(...DOMAINS)
const payload = fc.uint8Array({ maxLength: 200 })

describe('domain-separated signatures', () => {
  it('verifies a signature under the same key, domain, chain id and payload', () => {
    fc.assert(fc.property(secret, domain, chainId, payload, (sk, d, c, p) => {
      const key = keypairFromSecret(sk)
      expect(verify(sign(key, d, c, p), d, c, p, key.publicKey)).toBe(true)
    }), { numRuns: 40 })
  })

  it('never verifies a signature under another domain', () => {
    fc.assert(fc.property(secret, fc.uniqueArray(domain, { minLength: 2, maxLength: 2 }), chainId, payload, (sk, [d1, d2], c, p) => {
      const key = keypairFromSecret(sk)
      expect(verify(sign(key, d1!, c, p), d2!, c, p, key.publicKey)).toBe(false)
    }), { numRuns: 40 })
  })

  it('never verifies a signature under another chain id', () => {
    fc.assert(fc.property(secret, domain, chainId, chainId, payload, (sk, d, c1, c2, p) => {
      fc.pre(toHex(c1) !== toHex(c2))
      const key = keypairFromSecret(sk)
      expect(verify(sign(key, d, c1, p), d, c2, p, key.publicKey)).toBe(false)
    }), { numRuns: 40 })
  })

  it('never verifies a signature under another key', () => {
    fc.assert(fc.property(secret, secret, domain, chainId, payload, (sk1, sk2, d, c, p) => {
      fc.pre(toHex(sk1) !== toHex(sk2))
      const signer = keypairFromSecret(sk1)
      const other = keypairFromSecret(sk2)
      expect(verify(sign(signer, d, c, p), d, c, p, other.publicKey)).toBe(false)
    }), { numRuns: 40 })
  })

  it('never verifies a signature once one payload bit is flipped', () => {
    fc.assert(fc.property(secret, domain, chainId, fc.uint8Array({ minLength: 1, maxLength: 200 }), fc.nat(), (sk, d, c, p, pick) => {
      const key = keypairFromSecret(sk)
      const sig = sign(key, d, c, p)
      const flipped = p.slice()
      const bit = pick % (p.length * 8)
      flipped[bit >> 3]! ^= 1 << (bit & 7)
      expect(verify(sig, d, c, flipped, key.publicKey)).toBe(false)
    }), { numRuns: 40 })
  })

  it('never verifies a signature once one signature bit is flipped', () => {
    fc.assert(fc.property(secret, domain, chainId, payload, fc.nat({ max: 511 }), (sk, d, c, p, bit) => {
      const key = keypairFromSecret(sk)
      const sig = sign(key, d, c, p).slice()
      sig[bit >> 3]! ^= 1 << (bit & 7)
      expect(verify(sig, d, c, p, key.publicKey)).toBe(false)
    }), { numRuns: 40 })
  })

  it('signs exactly "tabtensor/" + domain + 0x00 + chain id + payload', () => {
    const chain = new Uint8Array(32).fill(7)
    const bytes = signingBytes('tx', chain, new Uint8Array([9]))
    expect([...bytes]).toStrictEqual([...new TextEncoder().encode('tabtensor/tx'), 0, ...chain, 9])
  })

  it('refuses a chain id that is not 32 bytes, so it cannot run into the payload', () => {
    expect(() => signingBytes('tx', new Uint8Array([7, 7]), new Uint8Array([9]))).toThrow(/32 bytes/)
  })

  it('returns false, without asking the verifier, for a signature or key of the wrong length', () => {
    const key = keypairFromLabel('alice')
    const c = new Uint8Array(32)
    const sig = sign(key, 'tx', c, new Uint8Array([1]))
    let calls = 0
    const counting: SignatureVerifier = { verify: () => { calls++; return true } }
    expect(verify(sig.subarray(0, 63), 'tx', c, new Uint8Array([1]), key.publicKey, counting)).toBe(false)
    expect(verify(sig, 'tx', c, new Uint8Array([1]), key.publicKey.subarray(0, 31), counting)).toBe(false)
    expect(calls).toBe(0)
  })

  it('returns false rather than throwing for a public key that is not a curve point', () => {
    const key = keypairFromLabel('alice')
    const c = new Uint8Array(32)
    const sig = sign(key, 'tx', c, new Uint8Array([1]))
    expect(verify(sig, 'tx', c, new Uint8Array([1]), new Uint8Array(32).fill(0xff))).toBe(false)
  })
})

describe('keypairs', () => {
  it('derives the same keypair from the same label, and different ones from different labels', () => {
    expect(keypairFromLabel('alice').publicKey).toStrictEqual(keypairFromLabel('alice').publicKey)
    expect(toHex(keypairFromLabel('alice').publicKey)).not.toBe(toHex(keypairFromLabel('bob').publicKey))
  })

  it('refuses a secret key that is not 32 bytes with BAD_FIELD', () => {
    expect(() => keypairFromSecret(new Uint8Array(31))).toThrow(expect.objectContaining({ code: 'BAD_FIELD' }))
  })
})

describe('wallets from a mnemonic', () => {
  it('restores the same coldkey and hotkeys from the same mnemonic twice', () => {
    const a = walletFromMnemonic(ZERO_ENTROPY_24)
    const b = walletFromMnemonic(ZERO_ENTROPY_24)
    expect(a.coldkey.publicKey).toStrictEqual(b.coldkey.publicKey)
    expect(a.coldkey.secretKey).toStrictEqual(b.coldkey.secretKey)
    expect(a.hotkey(0).publicKey).toStrictEqual(b.hotkey(0).publicKey)
    expect(a.hotkey(7).publicKey).toStrictEqual(b.hotkey(7).publicKey)
  })

  it('derives a distinct key for the coldkey and each hotkey', () => {
    const w = walletFromMnemonic(ZERO_ENTROPY_24)
    const keys = [w.coldkey, w.hotkey(0), w.hotkey(1), w.hotkey(2)].map(k => toHex(k.publicKey))
    expect(new Set(keys).size).toBe(4)
  })

  it('ignores case and extra spaces in the phrase', () => {
    const messy = `  ${ZERO_ENTROPY_24.toUpperCase().split(' ').join('   ')}\n`
    expect(walletFromMnemonic(messy).coldkey.publicKey).toStrictEqual(walletFromMnemonic(ZERO_ENTROPY_24).coldkey.publicKey)
  })

  it('gives different wallets for different mnemonics', () => {
    const one = walletFromMnemonic(newMnemonic())
    const two = walletFromMnemonic(newMnemonic())
    expect(toHex(one.coldkey.publicKey)).not.toBe(toHex(two.coldkey.publicKey))
  })

  it('makes new mnemonics of 24 valid words', () => {
    const m = newMnemonic()
    expect(m.split(' ')).toHaveLength(24)
    expect(isValidMnemonic(m)).toBe(true)
  })

  it('refuses a phrase with a wrong checksum, an unknown word or no words with BAD_FIELD and a sentence', () => {
    const bad = [
      `${'abandon '.repeat(23)}abandon`,
      `${'abandon '.repeat(23)}tabtensor`,
      ZERO_ENTROPY_24.split(' ').slice(1).join(' '),
      ''
    ]
    for (const phrase of bad) {
      expect(isValidMnemonic(phrase)).toBe(false)
      let err: unknown
      try {
        walletFromMnemonic(phrase)
      } catch (e) {
        err = e
      }
      expect(err, phrase).toBeInstanceOf(LedgerError)
      expect((err as LedgerError).code).toBe('BAD_FIELD')
      // A sentence a person can act on: starts with a capital, ends with a full stop.
      expect((err as LedgerError).message).toMatch(/^[A-Z].{20,}\.$/)
    }
  })
})
