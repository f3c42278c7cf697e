import type { Wallet } from '../core/keys.ts'

/** What the staking and governance sessions need of the open wallet (the wallet session has it). */
export interface WalletAccess {
  /** The unlocked wallet, else null. */
  readonly wallet: Wallet | null
  readonly address: string | null
  readonly balance: bigint | null
  refreshAccount (): Promise<void>
}
