/**
 * `npm start`: the relay of a local Tabtensor network — the ledger in SQLite, the block
 * producer, and the page with its API at http://localhost:8080.
 */
// First: libp2p needs what Node 20 lacks (Promise.withResolvers, a global WebSocket).
import './node-polyfills.ts'
import pino from 'pino'
import { startRelay } from './relay.ts'
import { readConfig } from './config.ts'
import { startDemo, type Demo } from './demo.ts'

const config = readConfig(process.argv.slice(2), process.env)
const log = pino({ level: config.logLevel })
const relay = await startRelay(config, log).catch(err => {
  log.fatal({ err }, (err as Error).message)
  process.exit(1)
})
log.info({ url: relay.url, dataDir: config.dataDir, blockTimeMs: config.blockTimeMs }, `Tabtensor relay ready at ${relay.url}`)

let demo: Demo | undefined
if (config.demo > 0) {
  if (!config.faucet) log.warn('the demo validators stake tokens from the faucet, which --no-faucet turned off')
  demo = await startDemo(relay.url, config.demo, log).catch(err => {
    log.error({ err }, `could not start the demo: ${(err as Error).message}`)
    return undefined
  })
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    log.info({ signal }, 'stopping')
    void (demo?.close() ?? Promise.resolve()).catch(() => {}).then(async () => await relay.close()).then(() => process.exit(0))
  })
}
