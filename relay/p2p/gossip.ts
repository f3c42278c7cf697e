/**
 * The relay's part in application gossip. It publishes every stored block's signed header on the
 * headers topic (after the block is durable, as the ledger announces it), takes valid
 * transactions from the transactions topic into the ledger — a gossiped transaction is
 * acknowledged by its inclusion in a block, not by a reply — and joins the results and scores
 * topics of every subnet on the chain, so that it forwards them between tabs that have no direct
 * connection to each other.
 */
import type { Logger } from 'pino'
import { encodeSignedHeader, type Block } from '../../src/core/block.ts'
import { LedgerError } from '../../src/core/errors.ts'
import { globals } from '../../src/core/ledger/schema.ts'
import type { GossipHub } from '../../src/net/gossip/index.ts'
import type { LedgerNode } from '../ledger-node.ts'

export interface LedgerGossip {
  close (): void
}

export function bridgeLedgerGossip (gossip: GossipHub, ledger: LedgerNode, log: Logger): LedgerGossip {
  const subnets = new Set<number>()
  const joinSubnets = (): void => {
    for (const netuid of globals(ledger.chain.state).netuids) {
      if (subnets.has(netuid)) continue
      subnets.add(netuid)
      gossip.join({ kind: 'results', netuid })
      gossip.join({ kind: 'scores', netuid })
    }
  }

  const onBlock = (block: Block): void => {
    gossip.publish('headers', encodeSignedHeader(block)).catch((err: unknown) => {
      log.warn({ err, height: block.header.height }, 'could not gossip a block header')
    })
    joinSubnets()
  }

  const unsubscribe = gossip.subscribe('tx', message => {
    ledger.submit(message.payload).catch((err: unknown) => {
      // Valid signatures with a stale nonce or too little balance are the sender's problem, not the relay's.
      if (err instanceof LedgerError) log.debug({ code: err.code, from: message.peerId }, 'a gossiped transaction was refused by the ledger')
      else log.error({ err }, 'a gossiped transaction could not be stored')
    })
  })
  ledger.on('block', onBlock)
  joinSubnets()

  return {
    close () {
      ledger.off('block', onBlock)
      unsubscribe()
    }
  }
}
