/** Wires the relay's parts together: identity, ledger, block producer, HTTP. */
import { mkdirSync } from 'node:fs'
import type { Logger } from 'pino'
import type { RelayConfig } from './config.ts'
import { createHttp } from './http.ts'
import { faucetKey, loadGenesis, loadProducerKey } from './identity.ts'
import { LedgerNode } from './ledger-node.ts'
import { LedgerStore } from './store.ts'
import { createMetrics } from './metrics.ts'

export interface Relay {
  url: string
  node: LedgerNode
  close (): Promise<void>
}

export async function startRelay (config: RelayConfig, log: Logger): Promise<Relay> {
  mkdirSync(config.dataDir, { recursive: true })
  const producer = loadProducerKey(config.dataDir, config.keyFile)
  const store = new LedgerStore(config.dataDir)
  const { spec, json } = loadGenesis(store.getMeta('genesis'), config.genesisFile, producer, Date.now())
  store.setMeta('genesis', json)

  const metrics = createMetrics()
  const node = new LedgerNode({ store, spec, producer, blockTimeMs: config.blockTimeMs, log })
  node.on('block', (block, seconds) => {
    metrics.blockSeconds.observe(seconds)
    log.debug({ height: block.header.height, txs: block.txs.length, ms: Math.round(seconds * 1000) }, 'block')
  })
  const app = await createHttp({ node, metrics, log, staticDir: config.staticDir, faucet: config.faucet ? faucetKey(producer) : null })
  await app.listen({ port: config.port, host: config.host })
  const address = app.server.address()
  const port = typeof address === 'object' && address !== null ? address.port : config.port
  node.start()
  return {
    url: `http://${config.host}:${port}`,
    node,
    async close () {
      await app.close()
      node.close()
    }
  }
}
