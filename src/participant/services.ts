/**
 * What the wallet screens depend on, in one place: the keystore, the relay client, and the
 * ledger hooks — building a signed transfer, reading an account over libp2p and checking an
 * account proof with the light client. The app builds these once (`createServices`) and tests
 * pass their own.
 *
 * The defaults are the real ones: transfers signed with the wallet's coldkey for the relay's
 * chain, and verdicts from the tab's own light client (`light`, which the network session also
 * serves to other tabs).
 */
import { fromAddress } from '../core/address.ts'
import { fromHex } from '../core/hash.ts'
import type { Wallet } from '../core/keys.ts'
import { signTx } from '../core/tx.ts'
import { createKeystore } from './keystore.ts'
import type { Keystore } from './keystore.ts'
import { auditOneEpoch, type EpochVerdict } from './epoch-audit.ts'
import { createLightSync, type LightSync, type LightSyncOptions } from './light-sync.ts'
import { createRelayClient } from './relay-client.ts'
import type { AccountState, ChainHead, RelayClient } from './relay-client.ts'

/**
 * The canonical bytes of a transfer of `amount` base units from the wallet's coldkey to
 * `toAddress`, signed for the chain `chainId` (hex, from `/api/health`) with account nonce `nonce`.
 */
export type BuildTransfer = (wallet: Wallet, toAddress: string, amount: bigint, nonce: number, chainId: string) => Uint8Array | Promise<Uint8Array>

/** Whether `account` is proven against a header the light client has verified. */
export type VerifyAccount = (account: AccountState) => boolean | Promise<boolean>

/** The account at `address` read over libp2p and proven by the light client; undefined when no peer could give it. */
export type PeerAccount = (address: string) => Promise<AccountState | undefined>

/** Whether `head` is a header the light client has verified (signature and hash link). */
export type VerifyHead = (head: ChainHead) => boolean | Promise<boolean>

/** This tab's own check of one epoch's payouts. */
export type AuditEpoch = (netuid: number, height: number) => Promise<EpochVerdict>

export interface Services {
  keystore: Keystore
  relay: RelayClient
  buildTransfer: BuildTransfer
  verifyAccount: VerifyAccount
  peerAccount: PeerAccount
  verifyHead: VerifyHead
  auditEpoch: AuditEpoch
  /** The tab's light client: what the network session serves to other tabs, and where headers came from. */
  light?: Pick<LightSync, 'source' | 'stats' | 'offer' | 'height'>
}

export const signTransfer: BuildTransfer = (wallet, toAddress, amount, nonce, chainId) =>
  signTx({ kind: 'transfer', from: wallet.coldkey.publicKey, nonce, to: fromAddress(toAddress), amount }, wallet.coldkey, fromHex(chainId)).bytes

/** With `light.peers` (the network session's peers), the light client follows headers and reads accounts over libp2p while online. */
export function createServices (overrides: Partial<Services> = {}, options: { light?: LightSyncOptions } = {}): Services {
  const relay = overrides.relay ?? createRelayClient()
  const light = createLightSync(relay, options.light)
  return {
    keystore: createKeystore(),
    relay,
    buildTransfer: signTransfer,
    verifyAccount: account => light.verifyAccount(account),
    peerAccount: address => light.readAccount(address),
    verifyHead: head => light.verifyHead(head),
    auditEpoch: (netuid, height) => auditOneEpoch(relay, light, netuid, height),
    light,
    ...overrides
  }
}
