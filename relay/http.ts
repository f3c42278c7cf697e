/**
 * The relay's HTTP side (Fastify): the JSON API, Prometheus metrics and the built page. Every
 * response carries the cross-origin isolation headers the inference worker needs for threads.
 * Errors are `{error: CODE, message}`; no input makes a handler throw past the error handler.
 */
import fastifyStatic from '@fastify/static'
import Fastify, { LogController, type FastifyError } from 'fastify'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import type { Logger } from 'pino'
import { fromAddress } from '../src/core/address.ts'
import { decodeBlock, MAX_HEADER_BYTES } from '../src/core/block.ts'
import { LedgerError } from '../src/core/errors.ts'
import { toHex } from '../src/core/hash.ts'
import { genesisToJson } from '../src/core/genesis.ts'
import { account } from '../src/core/ledger/schema.ts'
import { signTx, MAX_TX_BYTES } from '../src/core/tx.ts'
import type { Keypair } from '../src/core/keys.ts'
import { BASE_UNITS_PER_TOKEN } from '../src/core/supply.ts'
import type { LedgerNode } from './ledger-node.ts'
import type { PageOrigin } from './p2p/addresses.ts'
import type { Metrics } from './metrics.ts'
import type { TlsFiles } from './tls.ts'
import { MAX_MINER_EPOCHS, minerEpochsView } from './miner-epochs.ts'
import { accountView, blockView, epochEvidenceView, epochsView, headerView, metagraphView, proposalsView, stakesView, subnetsView } from './views.ts'

/** Most headers one `/api/headers` request returns. */
const MAX_HEADERS_PER_REQUEST = 1000
/** Test tokens the faucet gives per request. */
const FAUCET_AMOUNT = 100n * BASE_UNITS_PER_TOKEN
/** Blocks an address waits between two faucet requests. */
const FAUCET_COOLDOWN_BLOCKS = 5

export interface HttpOptions {
  node: LedgerNode
  metrics: Metrics
  log: Logger
  staticDir: string
  faucet: Keypair | null
  /** The relay's libp2p peer id and addresses for a page at `origin`; undefined until libp2p has started. */
  p2pInfo?: (origin: PageOrigin) => { peerId: string, addrs: string[] } | undefined
  /** Whether X-Forwarded-Proto/-Host from a proxy in front are trusted. */
  behindProxy?: boolean
  /** A certificate and key to serve https (and the libp2p WebSocket upgrades) with; plain http without. */
  tls?: TlsFiles
}

const STATUS: Partial<Record<string, number>> = { BLOCK_FULL: 503, TOO_LARGE: 413, RATE_LIMITED: 429 }

function sendError (code: string, message: string, status = STATUS[code] ?? 400) {
  return { status, body: { error: code, message } }
}

export async function createHttp ({ node, metrics, log, staticDir, faucet, p2pInfo, behindProxy = false, tls }: HttpOptions) {
  // Per-request logs would drown the ledger's own; errors are still logged by the error handler.
  const app = Fastify({
    // Hidden from the types, so the server stays typed as http's: the routes and libp2p's upgrade handling use only what an https server also has.
    ...(tls === undefined ? {} : { https: tls } as object),
    loggerInstance: log,
    bodyLimit: MAX_TX_BYTES,
    logController: new LogController({ disableRequestLogging: true }),
    trustProxy: behindProxy
  })
  const chain = node.chain

  app.addContentTypeParser(['application/cbor', 'application/octet-stream'], { parseAs: 'buffer', bodyLimit: MAX_TX_BYTES },
    (_req, body, done) => done(null, body))

  app.addHook('onSend', async (_req, reply) => {
    reply.header('Cross-Origin-Opener-Policy', 'same-origin')
    reply.header('Cross-Origin-Embedder-Policy', 'require-corp')
    reply.header('Cross-Origin-Resource-Policy', 'same-origin')
  })

  app.setErrorHandler((err: FastifyError, _req, reply) => {
    if (err instanceof LedgerError) {
      const { status, body } = sendError(err.code, err.message)
      return reply.status(status).send(body)
    }
    if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      return reply.status(413).send({ error: 'TOO_LARGE', message: `The body is over the ${MAX_TX_BYTES}-byte limit.` })
    }
    if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
      return reply.status(415).send({ error: 'UNSUPPORTED_MEDIA_TYPE', message: 'Send transactions as application/cbor.' })
    }
    if (err.statusCode !== undefined && err.statusCode < 500) {
      return reply.status(err.statusCode).send({ error: 'MALFORMED', message: err.message })
    }
    log.error({ err }, 'unexpected error in a request')
    return reply.status(500).send({ error: 'INTERNAL', message: 'The relay failed to answer; it has logged why.' })
  })

  app.get('/api/health', async () => ({
    ok: true,
    height: chain.height,
    headHash: toHex(chain.headHash),
    chainId: toHex(chain.chainId),
    time: chain.head.header.time,
    pending: chain.pending.length
  }))

  app.get('/api/p2p', async (req, reply) => {
    const info = p2pInfo?.({ host: req.host, secure: req.protocol === 'https' })
    if (info === undefined) return reply.status(503).send({ error: 'P2P_STARTING', message: 'The relay\'s peer-to-peer node is starting; try again in a moment.' })
    return info
  })

  app.get('/api/genesis', async () => ({ chainId: toHex(chain.chainId), genesis: genesisToJson(chain.spec) }))

  app.get<{ Params: { height: string } }>('/api/blocks/:height', async (req, reply) => {
    const height = Number(req.params.height)
    const bytes = Number.isSafeInteger(height) && height >= 0 ? node.blockBytes(height) : undefined
    if (bytes === undefined) return reply.status(404).send({ error: 'NOT_FOUND', message: `There is no block ${req.params.height}; the head is ${chain.height}.` })
    if (req.headers.accept === 'application/cbor') return reply.type('application/cbor').send(Buffer.from(bytes))
    return blockView(decodeBlock(bytes))
  })

  app.get<{ Querystring: { from?: string, limit?: string } }>('/api/headers', async (req, reply) => {
    const from = Number(req.query.from ?? 0)
    const limit = Math.min(Number(req.query.limit ?? 100), MAX_HEADERS_PER_REQUEST)
    if (!Number.isSafeInteger(from) || from < 0 || !Number.isSafeInteger(limit) || limit < 1) {
      return reply.status(400).send({ error: 'BAD_FIELD', message: 'from and limit must be whole numbers (limit at least 1).' })
    }
    const headers = []
    for (let h = from; h <= chain.height && headers.length < limit; h++) headers.push(headerView(chain.header(h)!))
    return { height: chain.height, maxHeaderBytes: MAX_HEADER_BYTES, headers }
  })

  app.get<{ Params: { address: string } }>('/api/accounts/:address', async req => accountView(chain, fromAddress(req.params.address)))

  app.get<{ Params: { address: string } }>('/api/accounts/:address/stakes', async req => stakesView(chain, fromAddress(req.params.address)))

  app.get('/api/subnets', async () => subnetsView(chain))

  app.get<{ Params: { id: string } }>('/api/subnets/:id', async (req, reply) => {
    const netuid = Number(req.params.id)
    const view = Number.isSafeInteger(netuid) ? metagraphView(chain, netuid) : undefined
    if (view === undefined) return reply.status(404).send({ error: 'UNKNOWN_SUBNET', message: `There is no subnet ${req.params.id}.` })
    return view
  })

  app.get('/api/proposals', async () => proposalsView(chain))

  app.get<{ Params: { netuid: string } }>('/api/epochs/:netuid', async (req, reply) => {
    const view = epochsView(chain, Number(req.params.netuid))
    if (view === undefined) return reply.status(404).send({ error: 'UNKNOWN_SUBNET', message: `There is no subnet ${req.params.netuid}.` })
    return view
  })

  app.get<{ Params: { netuid: string, height: string } }>('/api/epochs/:netuid/:height', async (req, reply) => {
    const netuid = Number(req.params.netuid)
    const height = Number(req.params.height)
    const evidence = Number.isSafeInteger(netuid) && Number.isSafeInteger(height) ? epochEvidenceView(chain, netuid, height) : undefined
    if (evidence === undefined) {
      return reply.status(404).send({ error: 'NO_EPOCH_EVIDENCE', message: `The relay holds no proofs for an epoch of subnet ${req.params.netuid} at block ${req.params.height}; only recent epochs can be audited.` })
    }
    return evidence
  })

  app.get<{ Params: { netuid: string, hotkey: string }, Querystring: { limit?: string } }>('/api/epochs/:netuid/miners/:hotkey', async (req, reply) => {
    const limit = req.query.limit === undefined ? MAX_MINER_EPOCHS : Number(req.query.limit)
    if (!Number.isSafeInteger(limit) || limit < 1 || limit > MAX_MINER_EPOCHS) {
      return reply.status(400).send({ error: 'BAD_LIMIT', message: `Ask for 1 to ${MAX_MINER_EPOCHS} epochs with ?limit=N.` })
    }
    const netuid = Number(req.params.netuid)
    const view = Number.isSafeInteger(netuid) ? minerEpochsView(chain, netuid, fromAddress(req.params.hotkey), limit) : undefined
    if (view === undefined) return reply.status(404).send({ error: 'UNKNOWN_SUBNET', message: `There is no subnet ${req.params.netuid}.` })
    return view
  })

  app.post('/api/tx', async (req, reply) => {
    if (!(req.body instanceof Buffer)) {
      return reply.status(415).send({ error: 'UNSUPPORTED_MEDIA_TYPE', message: 'Send transactions as application/cbor.' })
    }
    try {
      const tx = await node.submit(new Uint8Array(req.body))
      metrics.transactions.inc({ result: 'accepted' })
      return { id: tx.id }
    } catch (err) {
      metrics.transactions.inc({ result: err instanceof LedgerError ? err.code : 'INTERNAL' })
      throw err
    }
  })

  const lastFaucet = new Map<string, number>()
  app.post<{ Body: { address?: unknown } }>('/api/faucet', async (req, reply) => {
    if (faucet === null) return reply.status(404).send({ error: 'NO_FAUCET', message: 'This network has no faucet.' })
    const address = req.body?.address
    if (typeof address !== 'string') return reply.status(400).send({ error: 'BAD_ADDRESS', message: 'Send {"address": "tt1…"}.' })
    const to = fromAddress(address)
    const last = lastFaucet.get(address)
    if (last !== undefined && chain.height - last < FAUCET_COOLDOWN_BLOCKS) {
      return reply.status(429).send({ error: 'RATE_LIMITED', message: `Test tokens were sent to this address just now; ask again in ${FAUCET_COOLDOWN_BLOCKS} blocks.` })
    }
    const nonce = account(chain.state, faucet.publicKey).nonce
    const tx = signTx({ kind: 'transfer', from: faucet.publicKey, nonce, to, amount: FAUCET_AMOUNT }, faucet, chain.chainId)
    await node.submit(tx.bytes)
    lastFaucet.set(address, chain.height)
    // Entries past their cooldown no longer matter; dropping them keeps the map small.
    if (lastFaucet.size > 10_000) {
      for (const [a, h] of lastFaucet) if (chain.height - h >= FAUCET_COOLDOWN_BLOCKS) lastFaucet.delete(a)
    }
    return { id: tx.id, amount: FAUCET_AMOUNT.toString() }
  })

  app.get('/metrics', async (_req, reply) => {
    metrics.height.set(chain.height)
    metrics.mempool.set(chain.pending.length)
    metrics.stateKeys.set(chain.state.size)
    return reply.type(metrics.registry.contentType).send(await metrics.registry.metrics())
  })

  if (existsSync(join(staticDir, 'index.html'))) {
    await app.register(fastifyStatic, { root: staticDir, wildcard: false })
    app.setNotFoundHandler((req, reply) => {
      if (req.method === 'GET' && !req.url.startsWith('/api/')) return reply.sendFile('index.html')
      return reply.status(404).send({ error: 'NOT_FOUND', message: `Nothing is at ${req.method} ${req.url}.` })
    })
  } else {
    log.warn({ staticDir }, 'the page is not built (run npm run build); serving the API only')
    app.setNotFoundHandler((req, reply) => reply.status(404).send({ error: 'NOT_FOUND', message: `Nothing is at ${req.method} ${req.url}.` }))
  }
  return app
}
