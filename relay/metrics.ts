/**
 * Prometheus metrics of the relay (prom-client), on its own registry. Ledger metrics are set as
 * things happen; the libp2p side's are read at each scrape from what its parts already count
 * (`observeP2p`), so the hot paths carry no metrics code beyond one gossip verdict callback.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client'
import { GOSSIP_THRESHOLD, GRAYLIST_THRESHOLD, PUBLISH_THRESHOLD } from '../src/net/gossip/constants.ts'
import type { GossipVerdictEvent } from '../src/net/gossip/index.ts'

/** What the relay's libp2p side reports at each scrape. */
export interface P2pReadings {
  /** The current gossipsub score of every peer the relay's gossipsub knows. */
  peerScores (): number[]
  /** Block-exchange blocks and bytes served since start. */
  blocksServed (): { blocks: number, bytes: number }
  /** Ledger-sync headers and proofs served, and requests refused, since start. */
  ledgerServed (): { headers: number, proofs: number, refused: number }
}

/** The score bands a peer can fall below, from mildly to fully shut out (see src/net/gossip/constants.ts). */
const SCORE_THRESHOLDS = { zero: 0, gossip: GOSSIP_THRESHOLD, publish: PUBLISH_THRESHOLD, graylist: GRAYLIST_THRESHOLD } as const

export function createMetrics () {
  const registry = new Registry()
  collectDefaultMetrics({ register: registry })
  let p2p: P2pReadings | undefined
  // Counters that mirror a running total kept elsewhere: each scrape adds what it grew by.
  const mirrored = new Map<string, number>()
  const mirror = (name: string, counter: Counter, total: number, labels: Record<string, string> = {}): void => {
    const key = `${name}${JSON.stringify(labels)}`
    const grown = total - (mirrored.get(key) ?? 0)
    if (grown > 0) counter.inc(labels, grown)
    mirrored.set(key, total)
  }

  const gossipMessages = new Counter({
    name: 'tabtensor_gossip_messages_total',
    help: 'Gossip messages received, by topic and result (accepted, rejected: the sender is scored down, ignored), and the reason when not accepted.',
    labelNames: ['topic', 'result', 'reason'],
    registers: [registry]
  })
  return {
    registry,
    height: new Gauge({ name: 'tabtensor_chain_height', help: 'Height of the head block.', registers: [registry] }),
    mempool: new Gauge({ name: 'tabtensor_mempool_transactions', help: 'Acknowledged transactions waiting for a block.', registers: [registry] }),
    stateKeys: new Gauge({ name: 'tabtensor_state_keys', help: 'Keys in the ledger state.', registers: [registry] }),
    transactions: new Counter({ name: 'tabtensor_transactions_total', help: 'Transactions received, by result code.', labelNames: ['result'], registers: [registry] }),
    blockSeconds: new Histogram({
      name: 'tabtensor_block_seconds', help: 'Time to seal and store a block.', registers: [registry],
      buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5]
    }),
    gossipPeersBelow: new Gauge({
      name: 'tabtensor_gossip_peers_scored_below',
      help: 'Gossip peers whose score is below each threshold now: zero (scored down), gossip, publish, graylist.',
      labelNames: ['threshold'],
      registers: [registry],
      collect () {
        const scores = p2p?.peerScores() ?? []
        for (const [name, threshold] of Object.entries(SCORE_THRESHOLDS)) this.set({ threshold: name }, scores.filter(s => s < threshold).length)
      }
    }),
    blocksServedBytes: new Counter({
      name: 'tabtensor_blocks_served_bytes_total',
      help: 'Bytes of bundle blocks the relay served over block exchange.',
      registers: [registry],
      collect () { mirror('bytes', this, p2p?.blocksServed().bytes ?? 0) }
    }),
    blocksServed: new Counter({
      name: 'tabtensor_blocks_served_total',
      help: 'Bundle blocks the relay served over block exchange.',
      registers: [registry],
      collect () { mirror('blocks', this, p2p?.blocksServed().blocks ?? 0) }
    }),
    ledgerSyncServed: new Counter({
      name: 'tabtensor_ledger_sync_served_total',
      help: 'Ledger-sync answers over libp2p: headers and account proofs sent, requests refused.',
      labelNames: ['kind'],
      registers: [registry],
      collect () {
        const served = p2p?.ledgerServed() ?? { headers: 0, proofs: 0, refused: 0 }
        for (const [kind, total] of Object.entries(served)) mirror('ledger', this, total, { kind })
      }
    }),
    /** Counts one gossip verdict; give it to the relay's gossip hub. */
    gossipVerdict (verdict: GossipVerdictEvent): void {
      gossipMessages.inc({ topic: verdict.topic, result: verdict.result, reason: verdict.reason ?? '' })
    },
    /** Reads the libp2p side's counts from now on. */
    observeP2p (readings: P2pReadings): void {
      p2p = readings
    }
  }
}

export type Metrics = ReturnType<typeof createMetrics>
