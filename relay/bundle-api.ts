/**
 * HTTP routes of the relay's bundles. `POST /api/bundles?name=NAME[&chunkSize=N]` takes a file's
 * raw bytes (`application/octet-stream`), publishes it as a bundle and answers its manifest CID;
 * it is open only to the relay's own machine (a loopback client address, the proxy's forwarded one
 * when `--behind-proxy`), since whatever the relay publishes it seeds to every tab.
 * `npm run publish-bundle -- FILE` is the command-line way to call it. `GET /api/bundles` lists
 * what is published and how much the relay has served. `GET /api/bundles/blocks/CID` answers one
 * block's bytes (a manifest or a chunk): the way a page without a peer-to-peer node (or before it
 * has one) fetches a bundle, checking every block against its CID as block exchange does.
 */
import type { FastifyError } from 'fastify'
import { CID } from 'multiformats/cid'
import { BlockExchangeError } from '../src/net/block-exchange/errors.ts'
import type { BlockExchangeStats } from '../src/net/block-exchange/index.ts'
import type { BundleStore } from './bundle-store.ts'
import type { createHttp } from './http.ts'

type App = Awaited<ReturnType<typeof createHttp>>

/** Largest file one `POST /api/bundles` publishes, in bytes. */
export const MAX_PUBLISH_BYTES = 1024 * 1024 * 1024

export interface BundleApiOptions {
  store: BundleStore
  /** What the relay's block exchange has served; undefined until libp2p has started. */
  stats: () => BlockExchangeStats | undefined
}

/** Whether `ip` is a loopback address (IPv4, IPv6, or IPv4 mapped into IPv6). */
export function isLoopback (ip: string): boolean {
  return ip === '::1' || /^(::ffff:)?127\.\d+\.\d+\.\d+$/.test(ip)
}

export function bundleRoutes (app: App, { store, stats }: BundleApiOptions): void {
  app.get('/api/bundles', async () => {
    const served = stats()?.served
    return { bundles: store.list(), served: { bytes: served?.bytes ?? 0, blocks: served?.blocks ?? 0 } }
  })

  app.get<{ Params: { cid: string } }>('/api/bundles/blocks/:cid', async (req, reply) => {
    let cid: CID
    try {
      cid = CID.parse(req.params.cid)
    } catch {
      return reply.status(400).send({ error: 'BAD_FIELD', message: `"${req.params.cid.slice(0, 100)}" is not a CID.` })
    }
    const bytes = await store.get(cid)
    if (bytes === undefined) return reply.status(404).send({ error: 'NOT_FOUND', message: `The relay holds no block ${cid.toString()}.` })
    // Content-addressed: the bytes behind a CID never change.
    return reply.type('application/octet-stream').header('Cache-Control', 'public, max-age=31536000, immutable').send(Buffer.from(bytes))
  })

  app.post<{ Querystring: { name?: string, chunkSize?: string } }>('/api/bundles', {
    bodyLimit: MAX_PUBLISH_BYTES,
    errorHandler: (err: FastifyError, _req, reply) => {
      if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return reply.status(413).send({ error: 'TOO_LARGE', message: `The file is over the ${MAX_PUBLISH_BYTES}-byte limit of one bundle; split it.` })
      if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return reply.status(415).send({ error: 'UNSUPPORTED_MEDIA_TYPE', message: 'Send the file\'s bytes as application/octet-stream.' })
      throw err
    }
  }, async (req, reply) => {
    if (!isLoopback(req.ip)) {
      return reply.status(403).send({ error: 'FORBIDDEN', message: 'Bundles are published only from the relay\'s own machine; run npm run publish-bundle there.' })
    }
    if (!(req.body instanceof Buffer)) {
      return reply.status(415).send({ error: 'UNSUPPORTED_MEDIA_TYPE', message: 'Send the file\'s bytes as application/octet-stream.' })
    }
    const name = req.query.name
    if (name === undefined || name === '') return reply.status(400).send({ error: 'BAD_FIELD', message: 'Give the bundle a name: POST /api/bundles?name=model.onnx.' })
    const chunkSize = req.query.chunkSize === undefined ? undefined : Number(req.query.chunkSize)
    try {
      return await store.publish(new Uint8Array(req.body.buffer, req.body.byteOffset, req.body.byteLength), name, chunkSize)
    } catch (err) {
      if (err instanceof BlockExchangeError) return reply.status(400).send({ error: err.code, message: err.message })
      throw err
    }
  })
}
