/** Prometheus metrics of the relay (prom-client), on its own registry. */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client'

export function createMetrics () {
  const registry = new Registry()
  collectDefaultMetrics({ register: registry })
  return {
    registry,
    height: new Gauge({ name: 'tabtensor_chain_height', help: 'Height of the head block.', registers: [registry] }),
    mempool: new Gauge({ name: 'tabtensor_mempool_transactions', help: 'Acknowledged transactions waiting for a block.', registers: [registry] }),
    stateKeys: new Gauge({ name: 'tabtensor_state_keys', help: 'Keys in the ledger state.', registers: [registry] }),
    transactions: new Counter({ name: 'tabtensor_transactions_total', help: 'Transactions received, by result code.', labelNames: ['result'], registers: [registry] }),
    blockSeconds: new Histogram({
      name: 'tabtensor_block_seconds', help: 'Time to seal and store a block.', registers: [registry],
      buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5]
    })
  }
}

export type Metrics = ReturnType<typeof createMetrics>
