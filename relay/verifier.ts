/**
 * ed25519 verification through node:crypto (OpenSSL), several times faster than the pure
 * JavaScript verifier, with the same strict RFC 8032 answers. Public keys are parsed once and
 * kept in a bounded cache.
 */
import { createPublicKey, verify, type KeyObject } from 'node:crypto'
import type { SignatureVerifier } from '../src/core/keys.ts'

/** DER prefix of an ed25519 SubjectPublicKeyInfo; the 32 key bytes follow it. */
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex')
/** Public keys kept parsed. */
const CACHE_SIZE = 10_000

export function nodeVerifier (): SignatureVerifier {
  const cache = new Map<string, KeyObject | null>()
  const keyObject = (publicKey: Uint8Array): KeyObject | null => {
    const id = Buffer.from(publicKey).toString('hex')
    let key = cache.get(id)
    if (key === undefined) {
      try {
        key = createPublicKey({ key: Buffer.concat([SPKI_PREFIX, publicKey]), format: 'der', type: 'spki' })
      } catch {
        key = null
      }
      if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value!)
      cache.set(id, key)
    }
    return key
  }
  return {
    verify (signature, message, publicKey) {
      const key = keyObject(publicKey)
      if (key === null) return false
      try {
        return verify(null, message, key, signature)
      } catch {
        return false
      }
    }
  }
}
