/**
 * Ledger sync over libp2p, `/tabtensor/ledger-sync/1.0.0`. The asker opens a stream and writes one
 * length-prefixed canonical CBOR request; the server writes one answer and closes:
 *
 *   {op: 'headers', from, limit}  →  {height, headers: [encoded signed header, …]}  (at most MAX_SYNC_HEADERS)
 *   {op: 'account', key}          →  {height, proof}  (proof: base64, as `GET /api/accounts/…` sends it)
 *                                     or {error: 'NOT_HELD'} from a tab that holds no verified proof of it
 *   anything malformed            →  {error, message}, or a reset stream when over the frame cap
 *   a peer over its request rate  →  {error: 'BUSY'}
 *
 * Headers are the bytes of `encodeSignedHeader`; the asker feeds each to its LightClient, and a
 * peer that sends one the light client refuses is reported as misbehaving. A proof is only ever
 * checked against a state root the light client verified. What a relay and a tab each serve is in
 * `source.ts`.
 */
import type { AbortOptions, Connection, Stream } from '@libp2p/interface'
import { lpStream } from '@libp2p/utils'
import { decodeSignedHeader, encodeSignedHeader, type SignedHeader } from '../../core/block.ts'
import { decode, encode, readBytes, readList, readString, readUint, record } from '../../core/codec.ts'
import { decodeStateProof, encodeStateProof, type LightClient } from '../../core/light-client.ts'
import { K, type Account } from '../../core/ledger/schema.ts'
import { LedgerSyncError } from './errors.ts'
import type { LedgerSource } from './source.ts'
import { PeerRateLimit } from '../rate-limit.ts'
import {
  LEDGER_SYNC_PROTOCOL, LEDGER_SYNC_REQUEST_BURST_PER_PEER, LEDGER_SYNC_REQUESTS_PER_SECOND_PER_PEER, LEDGER_SYNC_TIMEOUT_MS, MAX_SYNC_ANSWER_BYTES,
  MAX_SYNC_HEADERS, MAX_SYNC_REQUEST_BYTES
} from './constants.ts'

export * from './constants.ts'
export * from './errors.ts'
export * from './source.ts'

export type LedgerSyncRequest =
  | { op: 'headers', from: number, limit: number }
  | { op: 'account', key: Uint8Array }

export type LedgerSyncAnswer =
  | { height: number, headers: Uint8Array[] }
  | { height: number, proof: string }
  | { error: string, message: string }

const PUBLIC_KEY_BYTES = 32

export function encodeRequest (request: LedgerSyncRequest): Uint8Array {
  return encode(request)
}

export function decodeRequest (bytes: Uint8Array): LedgerSyncRequest {
  try {
    const value = decode(bytes, MAX_SYNC_REQUEST_BYTES, 'ledger-sync request')
    const op = (value !== null && typeof value === 'object') ? (value as Record<string, unknown>).op : undefined
    if (op === 'headers') {
      const f = record(value, ['op', 'from', 'limit'], 'headers request')
      return { op, from: readUint(f.from, 'from', Number.MAX_SAFE_INTEGER), limit: readUint(f.limit, 'limit', Number.MAX_SAFE_INTEGER) }
    }
    if (op === 'account') {
      const f = record(value, ['op', 'key'], 'account request')
      return { op, key: readBytes(f.key, 'key', PUBLIC_KEY_BYTES) }
    }
    throw new Error('The request\'s "op" must be "headers" or "account".')
  } catch (err) {
    throw new LedgerSyncError('MALFORMED', (err as Error).message)
  }
}

export function decodeAnswer (bytes: Uint8Array): LedgerSyncAnswer {
  let value: Record<string, unknown>
  try {
    value = decode(bytes, MAX_SYNC_ANSWER_BYTES, 'ledger-sync answer') as Record<string, unknown>
    if (value !== null && typeof value === 'object' && 'error' in value) {
      const f = record(value, ['error', 'message'], 'error answer')
      return { error: readString(f.error, 'error', 64), message: readString(f.message, 'message', 1024) }
    }
    if (value !== null && typeof value === 'object' && 'headers' in value) {
      const f = record(value, ['height', 'headers'], 'headers answer')
      return {
        height: readUint(f.height, 'height', Number.MAX_SAFE_INTEGER),
        headers: readList(f.headers, 'headers', MAX_SYNC_HEADERS).map((h, i) => readBytes(h, `headers[${i}]`))
      }
    }
    const f = record(value, ['height', 'proof'], 'account answer')
    return { height: readUint(f.height, 'height', Number.MAX_SAFE_INTEGER), proof: readString(f.proof, 'proof', MAX_SYNC_ANSWER_BYTES) }
  } catch (err) {
    throw new LedgerSyncError('MALFORMED', (err as Error).message)
  }
}

/** The answer `source` gives to `request`. */
export function answerRequest (source: LedgerSource, request: LedgerSyncRequest): LedgerSyncAnswer {
  const height = source.height
  if (request.op === 'headers') {
    const headers: Uint8Array[] = []
    const limit = Math.min(request.limit, MAX_SYNC_HEADERS)
    for (let h = request.from; h <= height && headers.length < limit; h++) {
      const signed = source.header(h)
      if (signed === undefined) break
      headers.push(encodeSignedHeader(signed))
    }
    return { height, headers }
  }
  const proof = source.prove(K.account(request.key))
  if (proof === undefined) return { error: 'NOT_HELD', message: 'This peer holds no verified proof of that account at its head; ask a relay.' }
  return { height, proof: encodeStateProof(proof) }
}

/** What a ledger-sync server has answered since it started. */
export interface LedgerServeStats {
  /** Headers sent. */
  headers: number
  /** Account proofs sent. */
  proofs: number
  /** Requests answered with an error frame (malformed, or a proof not held). */
  refused: number
}

/** How a server answers: what it counts in, and whether the asker is within its request rate. */
export interface ServeOptions extends AbortOptions {
  stats?: LedgerServeStats
  /** False when the asker is over its rate: it is answered BUSY. */
  allowed?: boolean
}

/** Answers one ledger-sync stream, counting what it sends in `stats`; never throws. Garbage gets an error frame, an oversized frame a reset. */
export async function serveLedgerSync (stream: Stream, source: LedgerSource, { stats, allowed = true, signal = AbortSignal.timeout(LEDGER_SYNC_TIMEOUT_MS) }: ServeOptions = {}): Promise<void> {
  const options = { signal }
  const lp = lpStream(stream, { maxDataLength: MAX_SYNC_REQUEST_BYTES, maxBufferSize: MAX_SYNC_REQUEST_BYTES + 16 })
  let bytes: Uint8Array
  try {
    bytes = (await lp.read(options)).subarray()
  } catch (err) {
    stream.abort(err as Error)
    return
  }
  try {
    let answer: LedgerSyncAnswer
    try {
      const request = decodeRequest(bytes)
      answer = allowed ? answerRequest(source, request) : { error: 'BUSY', message: 'Too many ledger-sync requests from this peer; slow down or ask another.' }
    } catch (err) {
      answer = { error: err instanceof LedgerSyncError ? err.code : 'FAILED', message: (err as Error).message.slice(0, 1024) }
    }
    await lp.write(encode(answer), options)
    await stream.close(options)
    if (stats !== undefined) {
      if ('headers' in answer) stats.headers += answer.headers.length
      else if ('proof' in answer) stats.proofs++
      else stats.refused++
    }
  } catch (err) {
    stream.abort(err as Error)
  }
}

type Handler = (stream: Stream, connection: Pick<Connection, 'remotePeer'>) => void

/** Registers the ledger-sync handler on `node`, answering from `source` within a request rate per peer; returns the counters it keeps. */
export async function handleLedgerSync (node: { handle: (protocol: string, handler: Handler, options?: { runOnLimitedConnection?: boolean }) => Promise<void> }, source: LedgerSource): Promise<LedgerServeStats> {
  const stats: LedgerServeStats = { headers: 0, proofs: 0, refused: 0 }
  const limit = new PeerRateLimit(LEDGER_SYNC_REQUESTS_PER_SECOND_PER_PEER, LEDGER_SYNC_REQUEST_BURST_PER_PEER)
  await node.handle(LEDGER_SYNC_PROTOCOL, (stream, connection) => {
    void serveLedgerSync(stream, source, { stats, allowed: limit.take(connection.remotePeer.toString()) })
  }, { runOnLimitedConnection: false })
  return stats
}

/** Something a ledger-sync stream can be opened on: a connection, or `peerOf(node, peer)`. */
export type LedgerSyncPeer = Pick<Connection, 'newStream'>

/** A peer reached by dialing `peer` on `node` (a `Libp2p` with `dialProtocol`). */
export function peerOf<P> (node: { dialProtocol: (peer: P, protocols: string, options?: AbortOptions) => Promise<Stream> }, peer: P): LedgerSyncPeer {
  return { newStream: (async (protocols: string | string[], options?: AbortOptions) => await node.dialProtocol(peer, Array.isArray(protocols) ? protocols[0]! : protocols, options)) as Connection['newStream'] }
}

/** Sends `request` to `peer` and returns its answer (an error answer throws REMOTE). */
export async function requestLedgerSync (peer: LedgerSyncPeer, request: LedgerSyncRequest, options: AbortOptions = { signal: AbortSignal.timeout(LEDGER_SYNC_TIMEOUT_MS) }): Promise<Exclude<LedgerSyncAnswer, { error: string }>> {
  const stream = await peer.newStream(LEDGER_SYNC_PROTOCOL, options)
  let answer: LedgerSyncAnswer
  try {
    const lp = lpStream(stream, { maxDataLength: MAX_SYNC_ANSWER_BYTES })
    await lp.write(encodeRequest(request), options)
    const bytes = await lp.read(options)
    await stream.close(options)
    answer = decodeAnswer(bytes.subarray())
  } catch (err) {
    stream.abort(err as Error)
    if (err instanceof LedgerSyncError) throw err
    throw new LedgerSyncError('MALFORMED', `The ledger-sync answer could not be read: ${(err as Error).message}`)
  }
  if ('error' in answer) throw new LedgerSyncError('REMOTE', `The peer refused: ${answer.error}: ${answer.message}`)
  return answer
}

/** Signed headers from `from`, at most `limit` (capped at MAX_SYNC_HEADERS), not yet verified. */
export async function fetchHeaders (peer: LedgerSyncPeer, from: number, limit: number, options?: AbortOptions): Promise<{ height: number, headers: SignedHeader[] }> {
  const answer = await requestLedgerSync(peer, { op: 'headers', from, limit: Math.min(limit, MAX_SYNC_HEADERS) }, options)
  if (!('headers' in answer)) throw new LedgerSyncError('MALFORMED', 'The peer answered a headers request with something else.')
  if (answer.headers.length > limit) throw new LedgerSyncError('MALFORMED', `The peer sent ${answer.headers.length} headers; ${limit} were asked for.`)
  try {
    return { height: answer.height, headers: answer.headers.map(decodeSignedHeader) }
  } catch (err) {
    throw new LedgerSyncError('MALFORMED', `The peer sent a header that does not decode: ${(err as Error).message}`)
  }
}

/**
 * Follows the chain from `peer` into `lc` up to `target` (the peer's head by default), accepting
 * each header with `lc.accept`. A header the light client refuses throws BAD_HEADER (the headers
 * before it stay accepted; nothing after it is); the caller should drop or mark down the peer.
 * Returns the light client's height.
 */
export async function syncHeaders (peer: LedgerSyncPeer, lc: LightClient, options: AbortOptions & { target?: number } = {}): Promise<number> {
  const target = options.target ?? Number.MAX_SAFE_INTEGER
  while (lc.height < target) {
    const want = Math.min(MAX_SYNC_HEADERS, target - lc.height)
    const { headers } = await fetchHeaders(peer, lc.height + 1, want, options.signal === undefined ? undefined : options)
    if (headers.length === 0) break
    for (const signed of headers) {
      try {
        lc.accept(signed)
      } catch (err) {
        throw new LedgerSyncError('BAD_HEADER', `The peer sent a header the light client refused: ${(err as Error).message}`)
      }
    }
  }
  return lc.height
}

/** An account proof at the peer's head: what light-sync checks, like `GET /api/accounts/…`. */
export interface FetchedAccount {
  height: number
  /** Base64, as the HTTP API sends it. */
  proof: string
}

/** Asks `peer` for the state proof of the account `publicKey` at its head. Unverified: see `verifyFetchedAccount`. */
export async function fetchAccount (peer: LedgerSyncPeer, publicKey: Uint8Array, options?: AbortOptions): Promise<FetchedAccount> {
  const answer = await requestLedgerSync(peer, { op: 'account', key: publicKey }, options)
  if (!('proof' in answer)) throw new LedgerSyncError('MALFORMED', 'The peer answered an account request with something else.')
  try {
    decodeStateProof(answer.proof)
  } catch (err) {
    throw new LedgerSyncError('MALFORMED', `The peer sent a proof that does not decode: ${(err as Error).message}`)
  }
  return answer
}

/** Syncs `lc` to the proof's height from `peer` if needed and checks the proof; a lie throws BAD_HEADER. */
export async function verifyFetchedAccount (peer: LedgerSyncPeer, lc: LightClient, publicKey: Uint8Array, fetched: FetchedAccount, options?: AbortOptions): Promise<Account> {
  if (lc.height < fetched.height) await syncHeaders(peer, lc, { ...options, target: fetched.height })
  try {
    return lc.verifyAccount(publicKey, decodeStateProof(fetched.proof), fetched.height)
  } catch (err) {
    throw new LedgerSyncError('BAD_HEADER', `The peer's account proof does not check out: ${(err as Error).message}`)
  }
}
