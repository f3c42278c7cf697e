/**
 * Relay settings from flags and environment variables, with embedded defaults so that a plain
 * `npm start` runs a local network. Flags win over environment variables.
 */
import { parseArgs } from 'node:util'
import { resolve } from 'node:path'

export interface RelayConfig {
  /** HTTP port of the page, the API and metrics. */
  port: number
  /** Interface to listen on. */
  host: string
  /** Folder of the ledger database, keys and genesis. */
  dataDir: string
  /** Milliseconds between blocks. */
  blockTimeMs: number
  /** A genesis JSON file for a new data folder (default: a local network). */
  genesisFile: string | undefined
  /** A file holding the producer's 32-byte secret key in hex (default: made on first start). */
  keyFile: string | undefined
  /** Whether POST /api/faucet gives test tokens (local networks only). */
  faucet: boolean
  /** Folder of the built page. */
  staticDir: string
  logLevel: string
  /** Other relays' libp2p multiaddrs to peer with (gossip mesh and peer exchange across relays). */
  peers: string[]
  /** Whether a TLS proxy in front sets X-Forwarded-Proto/-Host, which then decide the page's origin. */
  behindProxy: boolean
  /** PEM certificate and key files: with both, the relay serves https (and wss for libp2p) itself. */
  tlsCert: string | undefined
  tlsKey: string | undefined
  /** Headless demo miners to start beside the relay (0: none), with a validator per demo subnet. */
  demo: number
}

/** Most demo miners one relay starts: each headless tab takes ~100 MiB and a share of the CPU. */
export const MAX_DEMO_MINERS = 16

/** Block time of a demo network when none is given, so a newcomer sees an epoch pay within a minute. */
export const DEMO_BLOCK_TIME_MS = 1000

export const HELP = `Usage: npm start -- [options]
  --port N            HTTP port (env PORT, default 8080)
  --host ADDR         interface to listen on (env HOST, default localhost)
  --data-dir DIR      ledger, keys and genesis (env TABTENSOR_DATA, default ./data)
  --block-time MS     milliseconds between blocks (env BLOCK_TIME_MS, default 12000)
  --genesis FILE      genesis JSON for a new data folder (env TABTENSOR_GENESIS)
  --key FILE          producer secret key, hex (env TABTENSOR_KEY)
  --no-faucet         disable the test-token faucet (env FAUCET=0)
  --peer MULTIADDR    another relay to peer with, repeatable (env TABTENSOR_PEERS, comma-separated)
  --behind-proxy      trust X-Forwarded-Proto/-Host from a TLS proxy in front (env BEHIND_PROXY=1)
  --tls-cert FILE     serve https with this PEM certificate (env TLS_CERT; needs --tls-key)
  --tls-key FILE      the certificate's PEM private key (env TLS_KEY)
  --demo N            also run N headless miners and a validator per demo subnet (env DEMO; block time 1000 by default)
  --log-level LEVEL   pino level (env LOG_LEVEL, default info)`

function positiveInt (value: string, name: string): number {
  const n = Number(value)
  if (!Number.isSafeInteger(n) || n <= 0) throw new Error(`${name} must be a positive whole number, not "${value}".`)
  return n
}

export function readConfig (argv: string[], env: NodeJS.ProcessEnv): RelayConfig {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      'data-dir': { type: 'string' },
      'block-time': { type: 'string' },
      genesis: { type: 'string' },
      key: { type: 'string' },
      'no-faucet': { type: 'boolean' },
      'log-level': { type: 'string' },
      'static-dir': { type: 'string' },
      peer: { type: 'string', multiple: true },
      'behind-proxy': { type: 'boolean' },
      'tls-cert': { type: 'string' },
      'tls-key': { type: 'string' },
      demo: { type: 'string' },
      help: { type: 'boolean' }
    }
  })
  if (values.help === true) {
    console.log(HELP)
    process.exit(0)
  }
  const port = values.port ?? env.PORT ?? '8080'
  const demoValue = values.demo ?? env.DEMO ?? '0'
  const demo = demoValue === '0' ? 0 : positiveInt(demoValue, 'The number of demo miners')
  if (demo > MAX_DEMO_MINERS) throw new Error(`At most ${MAX_DEMO_MINERS} demo miners, not ${demo}: each is a headless browser tab.`)
  const defaultBlockTime = demo > 0 ? String(DEMO_BLOCK_TIME_MS) : '12000'
  return {
    port: Number(port) === 0 ? 0 : positiveInt(port, 'The port'),
    host: values.host ?? env.HOST ?? 'localhost',
    dataDir: resolve(values['data-dir'] ?? env.TABTENSOR_DATA ?? 'data'),
    blockTimeMs: positiveInt(values['block-time'] ?? env.BLOCK_TIME_MS ?? defaultBlockTime, 'The block time'),
    genesisFile: values.genesis ?? env.TABTENSOR_GENESIS,
    keyFile: values.key ?? env.TABTENSOR_KEY,
    faucet: values['no-faucet'] !== true && env.FAUCET !== '0',
    staticDir: resolve(values['static-dir'] ?? 'dist'),
    logLevel: values['log-level'] ?? env.LOG_LEVEL ?? 'info',
    peers: values.peer ?? (env.TABTENSOR_PEERS ?? '').split(',').map(p => p.trim()).filter(p => p !== ''),
    behindProxy: values['behind-proxy'] === true || env.BEHIND_PROXY === '1',
    tlsCert: values['tls-cert'] ?? env.TLS_CERT,
    tlsKey: values['tls-key'] ?? env.TLS_KEY,
    demo
  }
}
