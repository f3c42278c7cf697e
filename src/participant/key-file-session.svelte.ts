/**
 * Export and import of the wallet's key file: the keystore's record, still encrypted with the
 * passphrase, as JSON. Export needs no passphrase (the file is useless without it); import opens
 * the file with the passphrase before storing anything, then unlocks the wallet with it.
 */
import { toAddress } from '../core/address.ts'
import { userMessage } from './errors.ts'
import type { Keystore } from './keystore.ts'

/** Largest key file read, in bytes; a real one is under 1 KiB. */
export const MAX_KEY_FILE_BYTES = 64 * 1024

export interface KeyFileDeps {
  keystore: Pick<Keystore, 'exportRecord' | 'importRecord'>
  /** Opens the just-imported wallet (the wallet session's unlock). */
  unlock: (passphrase: string) => Promise<void>
}

export class KeyFileSession {
  pending = $state<'export' | 'import' | null>(null)
  error = $state<string | null>(null)
  notice = $state<string | null>(null)

  readonly #deps: KeyFileDeps

  constructor (deps: KeyFileDeps) {
    this.#deps = deps
  }

  /** The key file's name and text, or null when it could not be read (the error says why). */
  async exportFile (address: string | null): Promise<{ name: string, text: string } | null> {
    if (this.pending !== null) return null
    this.pending = 'export'
    this.error = null
    this.notice = null
    try {
      const text = await this.#deps.keystore.exportRecord()
      this.notice = 'Key file saved. It is encrypted: keep it with your passphrase, which it needs.'
      return { name: `tabtensor-key-${address === null ? 'wallet' : address.slice(3, 11)}.json`, text }
    } catch (err) {
      this.error = userMessage(err)
      return null
    } finally {
      this.pending = null
    }
  }

  /** Stores the key file's wallet once the passphrase opens it; true on success. */
  async importFile (file: { size: number, text: () => Promise<string> } | null, passphrase: string): Promise<boolean> {
    if (this.pending !== null) return false
    this.error = null
    this.notice = null
    if (file === null) {
      this.error = 'Choose the key file (.json) you exported.'
      return false
    }
    if (file.size > MAX_KEY_FILE_BYTES) {
      this.error = 'That file is too large to be a key file; choose the .json file this page exported.'
      return false
    }
    if (passphrase === '') {
      this.error = 'Enter the passphrase the key file was saved with.'
      return false
    }
    this.pending = 'import'
    try {
      const wallet = await this.#deps.keystore.importRecord(await file.text(), passphrase)
      await this.#deps.unlock(passphrase)
      this.notice = `Imported the wallet ${toAddress(wallet.coldkey.publicKey).slice(0, 12)}….`
      return true
    } catch (err) {
      this.error = userMessage(err)
      return false
    } finally {
      this.pending = null
    }
  }
}
