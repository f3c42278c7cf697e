/** What a transaction sees of the chain besides the state: where it lands and recent block hashes. */
import type { SignatureVerifier } from '../keys.ts'

export interface TxContext {
  /** Height of the block the transaction lands in. */
  readonly height: number
  readonly chainId: Uint8Array
  /** Hash of the block at `height`, for heights below the current one that the chain still knows. */
  blockHash (height: number): Uint8Array | undefined
  readonly verifier?: SignatureVerifier
}
