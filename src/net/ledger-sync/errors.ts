/** Why a ledger-sync exchange failed. */
export type LedgerSyncCode =
  /** The request or answer is not what the protocol allows. */
  | 'MALFORMED'
  /** The peer sent a header the light client rejected, or a proof for something else. */
  | 'BAD_HEADER'
  /** The peer answered with an error frame. */
  | 'REMOTE'

/** A ledger-sync exchange failed; with `misbehaved`, the peer broke the protocol or lied. */
export class LedgerSyncError extends Error {
  static override name = 'LedgerSyncError'
  override name = 'LedgerSyncError'
  constructor (readonly code: LedgerSyncCode, message: string, readonly misbehaved = code !== 'REMOTE') {
    super(message)
  }
}
