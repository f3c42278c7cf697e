/**
 * The relay answers `/tabtensor/ledger-sync/1.0.0` from its chain: signed headers and account
 * state proofs at the head, the same bytes its HTTP API sends, so a tab can follow the chain over
 * its libp2p connection.
 */
import type { Libp2p } from '@libp2p/interface'
import type { Chain } from '../../src/core/chain.ts'
import { handleLedgerSync, type LedgerServeStats, type LedgerSource } from '../../src/net/ledger-sync/index.ts'

export function chainSource (chain: Chain): LedgerSource {
  return {
    get height () { return chain.height },
    header: height => chain.header(height),
    prove: key => chain.state.prove(key)
  }
}

/** Serves ledger sync from `chain`; returns the counts of what it served. */
export async function serveLedger (node: Pick<Libp2p, 'handle'>, chain: Chain): Promise<LedgerServeStats> {
  return await handleLedgerSync(node, chainSource(chain))
}
