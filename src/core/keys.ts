/**
 * Keys and domain-separated signatures (ed25519, @noble/curves).
 *
 * A signature is always over `"tabtensor/" + domain + 0x00 + chain id + payload`, so a signature
 * made for one kind of message (a transaction, a block header, a result, a weight vector) never
 * verifies as another kind, nor on another chain. One BIP-39 mnemonic backs up a wallet: the
 * coldkey and every hotkey are derived from its seed with HKDF, each under its own label.
 */
import { ed25519 } from '@noble/curves/ed25519.js'
import { hkdf } from '@noble/hashes/hkdf.js'
import { sha256 } from '@noble/hashes/sha2.js'
import { generateMnemonic, mnemonicToSeedSync, validateMnemonic } from '@scure/bip39'
import { wordlist } from '@scure/bip39/wordlists/english.js'
import { LedgerError } from './errors.ts'
import { concatBytes, utf8ToBytes } from './hash.ts'

/** The kinds of signed message; each gets its own domain tag. */
export type SignDomain = 'tx' | 'block' | 'result' | 'weights' | 'gossip' | 'task'

export const PUBLIC_KEY_BYTES = 32
export const SIGNATURE_BYTES = 64
/** A chain id is the SHA-256 of the genesis. */
export const CHAIN_ID_BYTES = 32

export interface Keypair {
  readonly secretKey: Uint8Array
  readonly publicKey: Uint8Array
}

/** Checks signatures; the relay swaps in a faster native implementation with the same answers. */
export interface SignatureVerifier {
  verify (signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean
}

export const nobleVerifier: SignatureVerifier = {
  verify (signature, message, publicKey) {
    try {
      return ed25519.verify(signature, message, publicKey, { zip215: false })
    } catch {
      return false
    }
  }
}

/** The exact bytes a signature of `domain` covers. */
export function signingBytes (domain: SignDomain, chainId: Uint8Array, payload: Uint8Array): Uint8Array {
  // A fixed length keeps chain id and payload from running into each other.
  if (chainId.length !== CHAIN_ID_BYTES) throw new LedgerError('BAD_FIELD', `A chain id is ${CHAIN_ID_BYTES} bytes.`)
  return concatBytes(utf8ToBytes(`tabtensor/${domain}`), new Uint8Array([0]), chainId, payload)
}

export function sign (key: Keypair, domain: SignDomain, chainId: Uint8Array, payload: Uint8Array): Uint8Array {
  return ed25519.sign(signingBytes(domain, chainId, payload), key.secretKey)
}

export function verify (
  signature: Uint8Array, domain: SignDomain, chainId: Uint8Array, payload: Uint8Array,
  publicKey: Uint8Array, verifier: SignatureVerifier = nobleVerifier
): boolean {
  if (signature.length !== SIGNATURE_BYTES || publicKey.length !== PUBLIC_KEY_BYTES) return false
  return verifier.verify(signature, signingBytes(domain, chainId, payload), publicKey)
}

export function keypairFromSecret (secretKey: Uint8Array): Keypair {
  if (secretKey.length !== 32) throw new LedgerError('BAD_FIELD', 'A secret key is 32 bytes.')
  return { secretKey, publicKey: ed25519.getPublicKey(secretKey) }
}

export function randomKeypair (): Keypair {
  return keypairFromSecret(ed25519.utils.randomSecretKey())
}

/** A keypair derived from a label, for tests, genesis and benchmarks (never for real funds). */
export function keypairFromLabel (label: string): Keypair {
  return keypairFromSecret(sha256(utf8ToBytes(`tabtensor/test-key/${label}`)))
}

// ---- wallets -----------------------------------------------------------------------------

export interface Wallet {
  readonly coldkey: Keypair
  hotkey (index: number): Keypair
}

export function newMnemonic (): string {
  return generateMnemonic(wordlist, 256)
}

export function isValidMnemonic (mnemonic: string): boolean {
  return validateMnemonic(normalizeMnemonic(mnemonic), wordlist)
}

function normalizeMnemonic (mnemonic: string): string {
  return mnemonic.trim().toLowerCase().split(/\s+/).join(' ')
}

/** The wallet a mnemonic backs up. Throws BAD_FIELD with a readable sentence for a wrong phrase. */
export function walletFromMnemonic (mnemonic: string): Wallet {
  const phrase = normalizeMnemonic(mnemonic)
  if (!validateMnemonic(phrase, wordlist)) {
    throw new LedgerError('BAD_FIELD', 'That recovery phrase is not valid: check every word and its order.')
  }
  const seed = mnemonicToSeedSync(phrase)
  const derive = (label: string): Keypair =>
    keypairFromSecret(hkdf(sha256, seed, utf8ToBytes('tabtensor/wallet'), utf8ToBytes(label), 32))
  return {
    coldkey: derive('coldkey'),
    hotkey: (index: number) => derive(`hotkey/${index}`)
  }
}
