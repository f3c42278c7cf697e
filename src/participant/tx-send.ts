/**
 * Signing and sending a coldkey's transactions from the page (stake, unstake, propose, vote).
 * The nonce is asked of the relay at every send, since only it knows the transactions it holds
 * but has not included yet; the ledger's refusal comes back as a `RelayError` with its sentence.
 */
import { fromHex } from '../core/hash.ts'
import type { Wallet } from '../core/keys.ts'
import { signTx, type TxBody } from '../core/tx.ts'
import { toAddress } from '../core/address.ts'
import type { RelayClient } from './relay-client.ts'

/** A transaction body without its signer and nonce, which the send fills in. */
export type TxFields = TxBody extends infer B ? B extends TxBody ? Omit<B, 'from' | 'nonce'> : never : never

/** The canonical bytes of `fields` signed by the wallet's coldkey for the chain `chainId` (hex). */
export function buildTx (wallet: Wallet, fields: TxFields, nonce: number, chainId: string): Uint8Array {
  const body = { ...fields, from: wallet.coldkey.publicKey, nonce } as TxBody
  return signTx(body, wallet.coldkey, fromHex(chainId)).bytes
}

/** Signs `fields` with the next nonce and submits them; resolves to the transaction id. */
export async function sendTx (relay: Pick<RelayClient, 'getHealth' | 'getAccount' | 'submitTx'>, wallet: Wallet, fields: TxFields): Promise<string> {
  const { chainId } = await relay.getHealth()
  const { pendingNonce } = await relay.getAccount(toAddress(wallet.coldkey.publicKey))
  return (await relay.submitTx(buildTx(wallet, fields, pendingNonce, chainId))).id
}
