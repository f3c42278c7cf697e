/**
 * Errors a person meets in the tab: a locked or missing wallet, a relay that does not answer, an
 * amount typed wrong. Like the ledger's `LedgerError`, each carries a stable `code` for callers and
 * tests and a one-sentence message that says what to do next; the UI shows the message as is.
 */

export type KeystoreErrorCode =
  | 'WRONG_PASSPHRASE'
  | 'WEAK_PASSPHRASE'
  | 'BAD_MNEMONIC'
  | 'KEYSTORE_EXISTS'
  | 'NO_KEYSTORE'
  | 'CORRUPT_KEYSTORE'
  | 'BAD_KEY_FILE'
  | 'NO_PASSPHRASE'
  | 'INSECURE_CONTEXT'

export class KeystoreError extends Error {
  static override name = 'KeystoreError'
  override name = 'KeystoreError'
  constructor (readonly code: KeystoreErrorCode, message: string) {
    super(message)
  }
}

/** The passphrase does not decrypt the stored wallet. */
export class WrongPassphraseError extends KeystoreError {
  static override name = 'WrongPassphraseError'
  override name = 'WrongPassphraseError'
  constructor (message = 'That passphrase does not unlock this wallet; check it and try again.') {
    super('WRONG_PASSPHRASE', message)
  }
}

/** Codes the relay client adds to the ones the relay itself returns (`LedgerError` codes and others). */
export type RelayClientErrorCode = 'UNREACHABLE' | 'TIMEOUT' | 'BAD_RESPONSE' | 'HTTP_ERROR'

/** A request to the relay that failed; `code` is the relay's own code when it sent one. */
export class RelayError extends Error {
  static override name = 'RelayError'
  override name = 'RelayError'
  constructor (readonly code: RelayClientErrorCode | (string & {}), message: string, readonly status?: number) {
    super(message)
  }
}

export type AmountErrorCode = 'EMPTY_AMOUNT' | 'NOT_A_NUMBER' | 'NEGATIVE_AMOUNT' | 'TOO_MANY_DECIMALS' | 'AMOUNT_TOO_LARGE'

/** Text that is not an amount of tokens. */
export class AmountError extends Error {
  static override name = 'AmountError'
  override name = 'AmountError'
  constructor (readonly code: AmountErrorCode, message: string) {
    super(message)
  }
}

/** Something this version of the page cannot do yet. */
export class NotAvailableError extends Error {
  static override name = 'NotAvailableError'
  override name = 'NotAvailableError'
  readonly code = 'NOT_AVAILABLE'
}

/** The sentence to show a person for `err`: ours and the ledger's say what to do; anything else is wrapped. */
export function userMessage (err: unknown): string {
  if (err instanceof Error && 'code' in err && err.message !== '') return err.message
  const detail = err instanceof Error ? err.message : String(err)
  return `Something went wrong (${detail}); reload the page and try again.`
}
