/**
 * Errors a participant can meet when it hands the ledger bad input.
 *
 * Every rejection carries a stable `code` that callers and tests match on (and that the relay
 * returns as `{error: code}`), and a sentence a person understands. Rejecting never changes state.
 */

export type ErrorCode =
  // decoding
  | 'TOO_LARGE'
  | 'MALFORMED'
  | 'NON_CANONICAL'
  | 'UNKNOWN_FIELD'
  | 'MISSING_FIELD'
  | 'BAD_FIELD'
  | 'UNKNOWN_KIND'
  | 'BAD_ADDRESS'
  // signatures and replay
  | 'BAD_SIGNATURE'
  | 'BAD_NONCE'
  // funds
  | 'ZERO_AMOUNT'
  | 'INSUFFICIENT_BALANCE'
  | 'INSUFFICIENT_STAKE'
  | 'CAP_EXCEEDED'
  // subnets and registration
  | 'UNKNOWN_SUBNET'
  | 'UNKNOWN_HOTKEY'
  | 'HOTKEY_OWNED_BY_OTHER'
  | 'DUPLICATE_REGISTRATION'
  | 'REGISTRATION_CLOSED'
  | 'RATE_LIMITED'
  | 'BURN_TOO_HIGH'
  | 'POW_STALE'
  | 'POW_INSUFFICIENT'
  | 'SUBNET_LIMIT'
  | 'LOCK_TOO_HIGH'
  // weights
  | 'NOT_REGISTERED'
  | 'NO_PERMIT'
  | 'DUPLICATE_UID'
  | 'UID_OUT_OF_RANGE'
  | 'WEIGHTS_LENGTH_MISMATCH'
  | 'NO_COMMIT'
  | 'REVEAL_MISMATCH'
  | 'REVEAL_TOO_EARLY'
  | 'REVEAL_EXPIRED'
  // governance
  | 'UNKNOWN_PARAM'
  | 'PARAM_OUT_OF_RANGE'
  | 'UNKNOWN_PROPOSAL'
  | 'PROPOSAL_CLOSED'
  | 'NO_STAKE'
  // blocks
  | 'BAD_HEIGHT'
  | 'BAD_PARENT'
  | 'BAD_TIMESTAMP'
  | 'BAD_TX_ROOT'
  | 'BAD_STATE_ROOT'
  | 'BAD_PRODUCER'
  | 'BAD_PROOF'
  | 'BLOCK_FULL'

/** Base class: a rejected input, with a stable code and a readable sentence. */
export class LedgerError extends Error {
  static override name = 'LedgerError'
  override name = 'LedgerError'
  constructor (readonly code: ErrorCode, message: string) {
    super(message)
  }
}

/** Bytes that are not a well-formed, canonical, size-capped encoding of the expected message. */
export class DecodeError extends LedgerError {
  static override name = 'DecodeError'
  override name = 'DecodeError'
}

/** A signature that does not verify for its key, domain and chain. */
export class InvalidSignatureError extends LedgerError {
  static override name = 'InvalidSignatureError'
  override name = 'InvalidSignatureError'
  constructor (message = 'The signature does not match the signer and message; sign it again with the right key.') {
    super('BAD_SIGNATURE', message)
  }
}

/** A well-formed transaction that the current state does not allow. */
export class TransactionError extends LedgerError {
  static override name = 'TransactionError'
  override name = 'TransactionError'
}

/** A block that does not extend the chain correctly. */
export class BlockError extends LedgerError {
  static override name = 'BlockError'
  override name = 'BlockError'
}
