/** Wires the relay's parts together: identity, ledger, block producer, HTTP. */
import { mkdirSync } from 'node:fs'
import type { Logger } from 'pino'
import type { RelayConfig } from './config.ts'
import { bundleRoutes } from './bundle-api.ts'
import { startPriceFeed } from './price-feed.ts'
import { loadPriceHistory } from './price-history.ts'
import { subnetRoutes } from './subnet-api.ts'
import { networkRoutes } from './network-api.ts'
import { publishSubnetBundles } from './subnet-bundles.ts'
import { BundleStore } from './bundle-store.ts'
import { createHttp } from './http.ts'
import { faucetKey, loadGenesis, loadProducerKey } from './identity.ts'
import { loadTls } from './tls.ts'
import { LedgerNode } from './ledger-node.ts'
import { LedgerStore } from './store.ts'
import { createMetrics } from './metrics.ts'
import { startP2p, type RelayP2p } from './p2p.ts'
import { seedBundles } from './p2p/bundles.ts'
import type { BlockExchange } from '../src/net/block-exchange/index.ts'
import { bridgeLedgerGossip } from './p2p/gossip.ts'
import { serveLedger } from './p2p/ledger-sync.ts'
import { peerScore } from '../src/net/gossip/index.ts'

export interface Relay {
  url: string
  node: LedgerNode
  p2p: RelayP2p
  close (): Promise<void>
}

export async function startRelay (config: RelayConfig, log: Logger): Promise<Relay> {
  // First, so that a bad certificate or key stops the relay before it touches the data folder.
  const tls = loadTls(config.tlsCert, config.tlsKey)
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
  // Routes are fixed before the server listens, and libp2p needs the listening server: the
  // /api/p2p route reads the node through this variable once it has started.
  let p2p: RelayP2p | undefined
  const app = await createHttp({
    node, metrics, log, staticDir: config.staticDir, faucet: config.faucet ? faucetKey(producer) : null,
    p2pInfo: origin => p2p?.info(origin), behindProxy: config.behindProxy, tls
  })
  const bundles = await BundleStore.open(config.dataDir)
  let seed: BlockExchange | undefined
  bundleRoutes(app, { store: bundles, stats: () => seed?.stats() })
  const history = loadPriceHistory()
  subnetRoutes(app, { bundles: await publishSubnetBundles(bundles, history), feed: startPriceFeed(history, log) })
  networkRoutes(app, { chain: node.chain, p2p: () => p2p, listenHost: config.host, behindProxy: config.behindProxy })
  await app.listen({ port: config.port, host: config.host })
  const address = app.server.address()
  const port = typeof address === 'object' && address !== null ? address.port : config.port
  try {
    p2p = await startP2p({
      server: app.server, dataDir: config.dataDir, peers: config.peers, chain: { chainId: node.chain.chainId, producer: spec.producer }, log,
      onGossipVerdict: verdict => { metrics.gossipVerdict(verdict) }
    })
  } catch (err) {
    await app.close()
    node.close()
    throw err
  }
  const started = p2p
  const blocks = await seedBundles(started.node, bundles)
  seed = blocks
  const ledgerServed = await serveLedger(started.node, node.chain)
  const pubsub = started.node.services.pubsub
  metrics.observeP2p({
    peerScores: () => pubsub.getPeers().map(peer => peerScore(pubsub, peer.toString())),
    blocksServed: () => blocks.stats().served,
    ledgerServed: () => ({ ...ledgerServed })
  })
  const gossip = bridgeLedgerGossip(started.gossip, node, log)
  node.start()
  return {
    url: `${tls === undefined ? 'http' : 'https'}://${config.host}:${port}`,
    node,
    p2p: started,
    async close () {
      // libp2p first: its upgraded WebSockets would otherwise keep the HTTP server from closing.
      gossip.close()
      await started.close()
      await app.close()
      node.close()
    }
  }
}
