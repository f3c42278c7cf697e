/**
 * What the wallet screens depend on, in one place: the keystore, the relay client, and the two
 * ledger hooks — building a signed transfer and checking an account proof with the light
 * client. The app builds these once (`createServices`) and tests pass their own.
 *
 * Until the ledger is wired, the hooks are honest placeholders: sending says it is not available,
 * and nothing is shown as verified.
 */
import type { Wallet } from '../core/keys.ts'
import { NotAvailableError } from './errors.ts'
import { createKeystore } from './keystore.ts'
import type { Keystore } from './keystore.ts'
import { createRelayClient } from './relay-client.ts'
import type { AccountState, ChainHead, RelayClient } from './relay-client.ts'

/**
 * The canonical bytes of a transfer of `amount` base units from the wallet's coldkey to
 * `toAddress`, signed for the chain `chainId` (hex, from `/api/health`) with account nonce `nonce`.
 */
export type BuildTransfer = (wallet: Wallet, toAddress: string, amount: bigint, nonce: number, chainId: string) => Uint8Array | Promise<Uint8Array>

/** Whether `account` is proven against a header the light client has verified. */
export type VerifyAccount = (account: AccountState) => boolean | Promise<boolean>

/** Whether `head` is a header the light client has verified (signature and hash link). */
export type VerifyHead = (head: ChainHead) => boolean | Promise<boolean>

export interface Services {
  keystore: Keystore
  relay: RelayClient
  buildTransfer: BuildTransfer
  verifyAccount: VerifyAccount
  verifyHead: VerifyHead
}

/** Placeholder until transfers are built from `src/core/tx.ts`. */
export const transfersUnavailable: BuildTransfer = () => {
  throw new NotAvailableError('Sending is not available in this version of the page yet.')
}

/** Placeholder until the light client runs: nothing counts as verified. */
export const notVerified = (): boolean => false

export function createServices (overrides: Partial<Services> = {}): Services {
  return {
    keystore: createKeystore(),
    relay: createRelayClient(),
    buildTransfer: transfersUnavailable,
    verifyAccount: notVerified,
    verifyHead: notVerified,
    ...overrides
  }
}
