/**
 * The tab's wallet at rest: its BIP-39 recovery phrase, encrypted with a passphrase, in IndexedDB.
 *
 * Why the phrase and not the keys: the coldkey and every hotkey derive from it
 * (`walletFromMnemonic`), so one secret backs up, restores and unlocks everything, and the record
 * does not change when new hotkeys are used. The passphrase goes through PBKDF2-SHA256 (600,000
 * iterations, OWASP's 2023 figure; salt and count are stored with the record so the count can
 * rise later) into a non-extractable AES-GCM-256 key; a fresh salt and IV are drawn per write, and
 * the format version is bound in as additional data. GCM's tag is what tells a wrong passphrase
 * from a right one: nothing else about the passphrase is stored.
 *
 * Every rejected input (short passphrase, bad phrase, wrong passphrase, a wallet already present)
 * is refused before storage is touched, and a write is one `add`, so two tabs creating at once
 * cannot overwrite each other.
 *
 * A first visit starts without a passphrase (`createUnguarded`): the phrase is sealed with a
 * random, non-extractable AES-GCM key that IndexedDB keeps beside it, so no script can read the
 * key's bytes, but anyone who copies the browser profile copies the key with the record. Such a
 * wallet is protected by this browser only, until `guard(passphrase)` seals it the usual way and
 * deletes the device-sealed record in the same transaction. A page without WebCrypto (opened over
 * plain http from another device, e.g. a phone that scanned the demo screen's code) keeps that
 * phrase unsealed instead: the device key would protect it from nothing more there, since any
 * script of the page may use the key and a profile copy holds it. Setting a passphrase needs
 * WebCrypto, so such a wallet stays unguarded until the page is opened over https.
 *
 * Limits: a passphrase protects the keys from someone who copies the browser profile, not from code
 * running in the page (an XSS or a malicious extension sees the unlocked wallet), and JavaScript
 * cannot wipe strings from memory, so an unlocked wallet lives until the tab drops it. A short or
 * common passphrase can still be guessed offline; 8 characters is a floor, not a recommendation.
 */
import { base64 } from '@scure/base'
import { openDB } from 'idb'
import type { DBSchema, IDBPDatabase } from 'idb'
import { wordlist } from '@scure/bip39/wordlists/english.js'
import { isValidMnemonic, newMnemonic, walletFromMnemonic } from '../core/keys.ts'
import type { Wallet } from '../core/keys.ts'
import { KeystoreError, WrongPassphraseError } from './errors.ts'

/** PBKDF2-SHA256 iterations for new records. */
export const PBKDF2_ITERATIONS = 600_000
/** Fewest characters (Unicode code points) a passphrase may have. */
export const MIN_PASSPHRASE_LENGTH = 8
/** Random salt per record, in bytes. */
const SALT_BYTES = 16
/** AES-GCM nonce, in bytes (the size GCM is specified for). */
const IV_BYTES = 12
/** Record format; bound into the ciphertext as additional data. */
const FORMAT_VERSION = 1
const ADDITIONAL_DATA = utf8(`tabtensor/keystore/v${FORMAT_VERSION}`)
/** Word counts BIP-39 allows; new wallets use 24. */
const MNEMONIC_WORD_COUNTS = [12, 15, 18, 21, 24]

const STORE = 'wallet'
const RECORD_KEY = 'main'
/** Where a wallet made without a passphrase is kept, until one is set. */
const UNGUARDED_KEY = 'device'

/** Bytes backed by a plain ArrayBuffer, as WebCrypto takes them and IndexedDB gives them back. */
type Bytes = Uint8Array<ArrayBuffer>

interface SealedWallet {
  version: number
  kdf: { name: 'PBKDF2', hash: 'SHA-256', iterations: number, salt: Bytes }
  cipher: { name: 'AES-GCM', iv: Bytes }
  ciphertext: Bytes
  createdAt: number
}

/** A wallet sealed with a key that never leaves this browser (no passphrase yet); `plain` without WebCrypto. */
interface DeviceSealedWallet {
  version: number
  key?: CryptoKey
  cipher?: { name: 'AES-GCM', iv: Bytes }
  ciphertext?: Bytes
  /** The phrase itself, on a page without WebCrypto (see the header). */
  plain?: string
  createdAt: number
  /** The page has asked the person, once, to back the wallet up and set a passphrase. */
  backupAsked: boolean
}

interface KeystoreSchema extends DBSchema {
  [STORE]: { key: string, value: SealedWallet | DeviceSealedWallet }
}

/** A wallet without a passphrase, opened: its phrase (for the backup) and its keys. */
export interface UnguardedWallet {
  mnemonic: string
  wallet: Wallet
  backupAsked: boolean
}

export interface KeystoreOptions {
  /** IndexedDB database name; tests give each case its own. */
  dbName?: string
}

export interface Keystore {
  /** Whether this browser holds a wallet (locked or not). */
  exists (): Promise<boolean>
  /** Makes a new wallet, stores it sealed, and returns its recovery phrase to show once. */
  create (passphrase: string): Promise<{ mnemonic: string, wallet: Wallet }>
  /** Decrypts the stored wallet; a wrong passphrase throws `WrongPassphraseError`. */
  unlock (passphrase: string): Promise<Wallet>
  /** Stores the wallet a recovery phrase backs up, sealed with a new passphrase. */
  restore (mnemonic: string, passphrase: string): Promise<Wallet>
  /** Makes a new wallet without a passphrase, sealed with a key this browser keeps (see the header). */
  createUnguarded (): Promise<{ mnemonic: string, wallet: Wallet }>
  /** The wallet made without a passphrase, if this browser holds one. */
  openUnguarded (): Promise<UnguardedWallet | null>
  /** Remembers that the person was asked to back up the wallet made without a passphrase. */
  markBackupAsked (): Promise<void>
  /** Seals the wallet made without a passphrase with `passphrase`, and deletes its device-sealed record. */
  guard (passphrase: string): Promise<Wallet>
  /** Deletes the stored wallet from this browser; only its recovery phrase can bring it back. */
  forget (): Promise<void>
  /** The stored record as a JSON key file: still encrypted, so the passphrase is needed to use it. */
  exportRecord (): Promise<string>
  /** Stores a key file's record once `passphrase` opens it; a wrong one stores nothing. */
  importRecord (file: string, passphrase: string): Promise<Wallet>
}

/** What a key file says it is, so another JSON file is refused with a clear sentence. */
export const KEY_FILE_FORMAT = 'tabtensor-keystore'

export const DEFAULT_KEYSTORE_DB = 'tabtensor-keystore'

export function createKeystore ({ dbName = DEFAULT_KEYSTORE_DB }: KeystoreOptions = {}): Keystore {
  async function withDb<T> (use: (db: IDBPDatabase<KeystoreSchema>) => Promise<T>): Promise<T> {
    const db = await openDB<KeystoreSchema>(dbName, 1, {
      upgrade (db) { db.createObjectStore(STORE) }
    })
    try {
      return await use(db)
    } finally {
      db.close()
    }
  }

  const read = async (): Promise<SealedWallet | undefined> => await withDb(async db => await db.get(STORE, RECORD_KEY) as SealedWallet | undefined)
  const readUnguarded = async (): Promise<DeviceSealedWallet | undefined> =>
    await withDb(async db => await db.get(STORE, UNGUARDED_KEY) as DeviceSealedWallet | undefined)

  async function refuseIfExists (): Promise<void> {
    if (await read() !== undefined || await readUnguarded() !== undefined) throw walletExists()
  }

  async function openDevice (sealed: DeviceSealedWallet): Promise<string> {
    if (typeof sealed.plain === 'string') return sealed.plain
    if (sealed.key === undefined || !(sealed.cipher?.iv instanceof Uint8Array) || !(sealed.ciphertext instanceof Uint8Array)) throw corrupt()
    try {
      const plain = await crypto.subtle.decrypt({ name: 'AES-GCM', iv: sealed.cipher.iv, additionalData: ADDITIONAL_DATA }, sealed.key, sealed.ciphertext)
      return new TextDecoder().decode(plain)
    } catch {
      throw corrupt()
    }
  }

  async function store (mnemonic: string, passphrase: string): Promise<void> {
    const sealed = await seal(mnemonic, passphrase)
    try {
      await withDb(async db => { await db.add(STORE, sealed, RECORD_KEY) })
    } catch (err) {
      if ((err as Error).name === 'ConstraintError') throw walletExists()
      throw err
    }
  }

  return {
    async exists () {
      return await read() !== undefined || await readUnguarded() !== undefined
    },

    async create (passphrase) {
      checkPassphrase(passphrase)
      await refuseIfExists()
      const mnemonic = newMnemonic()
      const wallet = walletFromMnemonic(mnemonic)
      await store(mnemonic, passphrase)
      return { mnemonic, wallet }
    },

    async unlock (passphrase) {
      const sealed = await read()
      if (sealed === undefined) {
        throw new KeystoreError('NO_KEYSTORE', 'There is no wallet in this browser yet; create one or restore it from its recovery phrase.')
      }
      return walletFromStored(await open(checkSealed(sealed), passphrase))
    },

    async restore (mnemonic, passphrase) {
      const phrase = normalizeMnemonic(mnemonic)
      checkMnemonic(phrase)
      checkPassphrase(passphrase)
      await refuseIfExists()
      const wallet = walletFromMnemonic(phrase)
      await store(phrase, passphrase)
      return wallet
    },

    async createUnguarded () {
      await refuseIfExists()
      const mnemonic = newMnemonic()
      const wallet = walletFromMnemonic(mnemonic)
      let sealed: DeviceSealedWallet = { version: FORMAT_VERSION, plain: mnemonic, createdAt: Date.now(), backupAsked: false }
      if (hasWebCrypto()) {
        const key = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt'])
        const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES))
        const ciphertext = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: ADDITIONAL_DATA }, key, utf8(mnemonic)))
        sealed = { version: FORMAT_VERSION, key, cipher: { name: 'AES-GCM', iv }, ciphertext, createdAt: sealed.createdAt, backupAsked: false }
      }
      try {
        await withDb(async db => { await db.add(STORE, sealed, UNGUARDED_KEY) })
      } catch (err) {
        if ((err as Error).name === 'ConstraintError') throw walletExists()
        throw err
      }
      return { mnemonic, wallet }
    },

    async openUnguarded () {
      const sealed = await readUnguarded()
      if (sealed === undefined) return null
      const mnemonic = await openDevice(sealed)
      return { mnemonic, wallet: walletFromStored(mnemonic), backupAsked: sealed.backupAsked === true }
    },

    async markBackupAsked () {
      await withDb(async db => {
        const tx = db.transaction(STORE, 'readwrite')
        const sealed = await tx.store.get(UNGUARDED_KEY) as DeviceSealedWallet | undefined
        if (sealed !== undefined) await tx.store.put({ ...sealed, backupAsked: true }, UNGUARDED_KEY)
        await tx.done
      })
    },

    async guard (passphrase) {
      checkPassphrase(passphrase)
      const device = await readUnguarded()
      if (device === undefined) throw new KeystoreError('KEYSTORE_EXISTS', 'This wallet already has a passphrase; to change it, forget the wallet and restore it from its recovery phrase.')
      const mnemonic = await openDevice(device)
      const sealed = await seal(mnemonic, passphrase)
      // One transaction: the wallet is never in neither place, nor left in both.
      await withDb(async db => {
        const tx = db.transaction(STORE, 'readwrite')
        await tx.store.add(sealed, RECORD_KEY)
        await tx.store.delete(UNGUARDED_KEY)
        await tx.done
      })
      return walletFromStored(mnemonic)
    },

    async forget () {
      await withDb(async db => {
        const tx = db.transaction(STORE, 'readwrite')
        await tx.store.delete(RECORD_KEY)
        await tx.store.delete(UNGUARDED_KEY)
        await tx.done
      })
    },

    async exportRecord () {
      const sealed = await read()
      if (sealed === undefined && await readUnguarded() !== undefined) {
        throw new KeystoreError('NO_PASSPHRASE', 'Set a passphrase first: a key file is the wallet sealed with one.')
      }
      if (sealed === undefined) throw new KeystoreError('NO_KEYSTORE', 'There is no wallet in this browser to export; create or restore one first.')
      return toKeyFile(checkSealed(sealed))
    },

    async importRecord (file, passphrase) {
      const sealed = fromKeyFile(file)
      // Opened before it is stored, so a wrong passphrase or a damaged file leaves nothing behind.
      const wallet = walletFromStored(await open(sealed, passphrase))
      await refuseIfExists()
      try {
        await withDb(async db => { await db.add(STORE, sealed, RECORD_KEY) })
      } catch (err) {
        if ((err as Error).name === 'ConstraintError') throw walletExists()
        throw err
      }
      return wallet
    }
  }
}

// ---- key files ---------------------------------------------------------------------------

function toKeyFile (sealed: SealedWallet): string {
  return JSON.stringify({
    format: KEY_FILE_FORMAT,
    version: sealed.version,
    kdf: { ...sealed.kdf, salt: base64.encode(sealed.kdf.salt) },
    cipher: { ...sealed.cipher, iv: base64.encode(sealed.cipher.iv) },
    ciphertext: base64.encode(sealed.ciphertext),
    createdAt: sealed.createdAt
  }, null, 2)
}

function fromKeyFile (file: string): SealedWallet {
  const notKeyFile = new KeystoreError('BAD_KEY_FILE', 'That file is not a Tabtensor key file; choose the .json file this page exported.')
  let json: Record<string, unknown>
  try {
    json = JSON.parse(file) as Record<string, unknown>
  } catch {
    throw notKeyFile
  }
  if (json === null || typeof json !== 'object' || json.format !== KEY_FILE_FORMAT) throw notKeyFile
  try {
    const kdf = json.kdf as SealedWallet['kdf'] & { salt: string }
    const cipher = json.cipher as SealedWallet['cipher'] & { iv: string }
    return checkSealed({
      version: json.version as number,
      kdf: { name: kdf.name, hash: kdf.hash, iterations: kdf.iterations, salt: bytes(base64.decode(kdf.salt)) },
      cipher: { name: cipher.name, iv: bytes(base64.decode(cipher.iv)) },
      ciphertext: bytes(base64.decode(json.ciphertext as string)),
      createdAt: typeof json.createdAt === 'number' ? json.createdAt : Date.now()
    })
  } catch {
    throw new KeystoreError('BAD_KEY_FILE', 'That key file is damaged; export it again from the browser that holds the wallet.')
  }
}

/** A copy backed by a plain ArrayBuffer, as WebCrypto and IndexedDB take it. */
function bytes (view: Uint8Array): Bytes {
  return new Uint8Array(view)
}

// ---- checks ------------------------------------------------------------------------------

function checkPassphrase (passphrase: string): void {
  if ([...passphrase.normalize('NFKC')].length < MIN_PASSPHRASE_LENGTH) {
    throw new KeystoreError('WEAK_PASSPHRASE', `Choose a passphrase of at least ${MIN_PASSPHRASE_LENGTH} characters; a longer sentence is stronger.`)
  }
}

function normalizeMnemonic (mnemonic: string): string {
  return mnemonic.trim().toLowerCase().split(/\s+/).join(' ')
}

/** Refuses a phrase with a sentence that points at what is wrong with it. */
function checkMnemonic (phrase: string): void {
  if (isValidMnemonic(phrase)) return
  const words = phrase === '' ? [] : phrase.split(' ')
  if (!MNEMONIC_WORD_COUNTS.includes(words.length)) {
    throw new KeystoreError('BAD_MNEMONIC', `A recovery phrase has 24 words (or 12, 15, 18, 21); this one has ${words.length}.`)
  }
  const unknown = words.find(word => !wordlist.includes(word))
  if (unknown !== undefined) {
    throw new KeystoreError('BAD_MNEMONIC', `"${unknown}" is not a recovery-phrase word; check its spelling.`)
  }
  throw new KeystoreError('BAD_MNEMONIC', 'That recovery phrase is not valid: its words are right but one is wrong or out of order.')
}

function walletExists (): KeystoreError {
  return new KeystoreError('KEYSTORE_EXISTS', 'This browser already holds a wallet; unlock it, or forget it first.')
}

function corrupt (): KeystoreError {
  return new KeystoreError('CORRUPT_KEYSTORE', 'The stored wallet is damaged; forget it and restore from your recovery phrase.')
}

function checkSealed (value: SealedWallet): SealedWallet {
  const ok = value.version === FORMAT_VERSION &&
    value.kdf?.name === 'PBKDF2' && value.kdf.hash === 'SHA-256' &&
    Number.isSafeInteger(value.kdf.iterations) && value.kdf.iterations > 0 &&
    value.kdf.salt instanceof Uint8Array && value.cipher?.name === 'AES-GCM' &&
    value.cipher.iv instanceof Uint8Array && value.cipher.iv.length === IV_BYTES &&
    value.ciphertext instanceof Uint8Array
  if (!ok) throw corrupt()
  return value
}

function walletFromStored (mnemonic: string): Wallet {
  try {
    return walletFromMnemonic(mnemonic)
  } catch {
    throw corrupt()
  }
}

// ---- sealing -----------------------------------------------------------------------------

function utf8 (text: string): Bytes {
  return new TextEncoder().encode(text)
}

/** WebCrypto's `subtle` exists only in a secure context (https, or this machine). */
function hasWebCrypto (): boolean {
  return (globalThis.crypto as Crypto | undefined)?.subtle !== undefined
}

async function deriveKey (passphrase: string, salt: Bytes, iterations: number): Promise<CryptoKey> {
  if (!hasWebCrypto()) {
    throw new KeystoreError('INSECURE_CONTEXT', 'A passphrase needs the page over https (this browser withholds its cryptography over plain http from another device); write your recovery phrase down, and set the passphrase from an https page.')
  }
  const material = await crypto.subtle.importKey('raw', utf8(passphrase.normalize('NFKC')), 'PBKDF2', false, ['deriveKey'])
  return await crypto.subtle.deriveKey(
    { name: 'PBKDF2', hash: 'SHA-256', salt, iterations },
    material,
    { name: 'AES-GCM', length: 256 },
    false,
    ['encrypt', 'decrypt']
  )
}

async function seal (mnemonic: string, passphrase: string): Promise<SealedWallet> {
  const salt = crypto.getRandomValues(new Uint8Array(SALT_BYTES))
  const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES))
  const key = await deriveKey(passphrase, salt, PBKDF2_ITERATIONS)
  const ciphertext = await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: ADDITIONAL_DATA }, key, utf8(mnemonic))
  return {
    version: FORMAT_VERSION,
    kdf: { name: 'PBKDF2', hash: 'SHA-256', iterations: PBKDF2_ITERATIONS, salt },
    cipher: { name: 'AES-GCM', iv },
    ciphertext: new Uint8Array(ciphertext),
    createdAt: Date.now()
  }
}

async function open (sealed: SealedWallet, passphrase: string): Promise<string> {
  const key = await deriveKey(passphrase, sealed.kdf.salt, sealed.kdf.iterations)
  let plain: ArrayBuffer
  try {
    plain = await crypto.subtle.decrypt({ name: 'AES-GCM', iv: sealed.cipher.iv, additionalData: ADDITIONAL_DATA }, key, sealed.ciphertext)
  } catch {
    throw new WrongPassphraseError()
  }
  return new TextDecoder().decode(plain)
}
