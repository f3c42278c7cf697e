/**
 * The page's data layer: the relay's JSON API at the page's origin, over `fetch`.
 *
 * Every call has a deadline, and every failure becomes a `RelayError` whose message a person can
 * act on: the relay's own `{error, message}` keeps its code (the ledger's `LedgerError` codes,
 * among others), a dropped connection says the relay cannot be reached, and an answer that does
 * not have the agreed shape is refused here rather than shown half-parsed. Amounts arrive as
 * decimal strings and leave as bigint. What the relay says is not trusted for being said: the
 * light client checks `proof` against a verified header (see `ledger-hooks.ts`).
 */
import type { GenesisJson } from '../core/genesis.ts'
import { RelayError } from './errors.ts'

/** How long one request may take, body included, in milliseconds. */
export const DEFAULT_TIMEOUT_MS = 15_000

export interface ChainHead {
  ok: boolean
  height: number
  /** Hex hash of the head block. */
  headHash: string
  /** Hex chain id; signatures are bound to it. */
  chainId: string
}

export interface AccountState {
  address: string
  /** Base units. */
  balance: bigint
  /** Nonce of the account in the state at `height`. */
  nonce: number
  /** Nonce the next transaction must carry, counting ones the relay holds but has not included. */
  pendingNonce: number
  height: number
  /** Hex state root at `height`; `proof` links the account to it. */
  stateRoot: string
  /** Inclusion proof, opaque here and checked by the light client. */
  proof: unknown
}

export interface SubmittedTx {
  /** Transaction id (CID of its bytes). */
  id: string
}

export interface FaucetGrant {
  /** Id of the faucet's transfer. */
  id: string
  /** Base units sent. */
  amount: bigint
}

export interface RelayClient {
  getHealth (): Promise<ChainHead>
  getAccount (address: string): Promise<AccountState>
  /** The network's genesis (JSON form) and the chain id the relay claims for it. */
  getGenesis (): Promise<{ chainId: string, genesis: GenesisJson }>
  /** Up to `limit` signed headers from `from` on, each as base64 canonical CBOR. */
  getHeaders (from: number, limit: number): Promise<string[]>
  /** The subnets' ids and names at the head. */
  getSubnets (): Promise<Array<{ netuid: number, name: string }>>
  /** Heights of a subnet's recent epochs, oldest first. */
  getEpochs (netuid: number): Promise<number[]>
  /** Proofs for auditing one epoch (base64 state proofs). */
  getEpochEvidence (netuid: number, height: number): Promise<EpochEvidenceJson>
  /** Sends a signed transaction's canonical CBOR bytes. */
  submitTx (bytes: Uint8Array): Promise<SubmittedTx>
  /** Asks the development network's faucet for test tokens. */
  requestFaucet (address: string): Promise<FaucetGrant>
  /** The relay's libp2p peer id and the multiaddrs this page dials it at. */
  getP2p (): Promise<P2pInfo>
}

export interface P2pInfo {
  peerId: string
  /** Multiaddrs ending with `/p2p/<peerId>`, at the page's origin. */
  addrs: string[]
}

export interface EpochEvidenceJson {
  netuid: number
  height: number
  preHeight: number
  inputs: string[]
  recordHeight: number
  record: string
}

export interface RelayClientOptions {
  /** Origin (and optional path) of the relay; empty means the page's own origin. */
  baseUrl?: string
  fetch?: typeof globalThis.fetch
  timeoutMs?: number
}

export type Json = Record<string, unknown>

/** One JSON request to the relay, with the deadline and the error sentences described above. */
export type RelayRequest = (method: 'GET' | 'POST', path: string, body?: { type: string, data: BodyInit }) => Promise<Json>

/** The request function every client of the relay's API shares (this one, the explorer's). */
export function relayRequester ({
  baseUrl = '',
  fetch: fetchImpl = globalThis.fetch.bind(globalThis),
  timeoutMs = DEFAULT_TIMEOUT_MS
}: RelayClientOptions = {}): RelayRequest {
  const root = baseUrl.replace(/\/+$/, '')
  const where = root === '' ? 'the relay' : `the relay at ${root}`

  return async function request (method, path, body) {
    const controller = new AbortController()
    const timer = setTimeout(() => controller.abort(), timeoutMs)
    try {
      let response: Response
      let text: string
      try {
        response = await fetchImpl(root + path, {
          method,
          headers: { accept: 'application/json', ...(body !== undefined && { 'content-type': body.type }) },
          body: body?.data,
          signal: controller.signal
        })
        text = await response.text()
      } catch {
        if (controller.signal.aborted) {
          throw new RelayError('TIMEOUT', `${capitalize(where)} did not answer within ${Math.round(timeoutMs / 1000)} s; check your connection and try again.`)
        }
        throw new RelayError('UNREACHABLE', `Cannot reach ${where}; check your connection, then try again.`)
      }
      const json = parseJson(text)
      if (!response.ok) {
        if (json !== undefined && typeof json.error === 'string' && typeof json.message === 'string') {
          throw new RelayError(json.error, json.message, response.status)
        }
        const status = `${response.status} ${response.statusText}`.trim()
        throw new RelayError('HTTP_ERROR', `${capitalize(where)} answered "${status}"; try again in a moment.`, response.status)
      }
      if (json === undefined) throw malformed(path)
      return json
    } finally {
      clearTimeout(timer)
    }
  }
}

export function createRelayClient (options: RelayClientOptions = {}): RelayClient {
  const request = relayRequester(options)
  return {
    async getHealth () {
      const json = await request('GET', '/api/health')
      return {
        ok: field(json, 'ok', isBoolean, '/api/health'),
        height: count(json, 'height', '/api/health'),
        headHash: field(json, 'headHash', isString, '/api/health'),
        chainId: field(json, 'chainId', isString, '/api/health')
      }
    },

    async getAccount (address) {
      const path = `/api/accounts/${encodeURIComponent(address)}`
      const json = await request('GET', path)
      if (!('proof' in json)) throw malformed(path)
      return {
        address: field(json, 'address', isString, path),
        balance: amount(json, 'balance', path),
        nonce: count(json, 'nonce', path),
        pendingNonce: count(json, 'pendingNonce', path),
        height: count(json, 'height', path),
        stateRoot: field(json, 'stateRoot', isString, path),
        proof: json.proof
      }
    },

    async getGenesis () {
      const json = await request('GET', '/api/genesis')
      const genesis = json.genesis
      if (genesis === null || typeof genesis !== 'object') throw malformed('/api/genesis', 'genesis')
      return { chainId: field(json, 'chainId', isString, '/api/genesis'), genesis: genesis as GenesisJson }
    },

    async getHeaders (from, limit) {
      const path = `/api/headers?from=${from}&limit=${limit}`
      const json = await request('GET', path)
      const headers = json.headers
      if (!Array.isArray(headers)) throw malformed(path, 'headers')
      return headers.map(h => field(h as Json, 'encoded', isString, path))
    },

    async getSubnets () {
      const json = await request('GET', '/api/subnets')
      if (!Array.isArray(json.subnets)) throw malformed('/api/subnets', 'subnets')
      return json.subnets.map(s => ({ netuid: count(s as Json, 'netuid', '/api/subnets'), name: field(s as Json, 'name', isString, '/api/subnets') }))
    },

    async getEpochs (netuid) {
      const path = `/api/epochs/${netuid}`
      const json = await request('GET', path)
      if (!Array.isArray(json.epochs)) throw malformed(path, 'epochs')
      return json.epochs.map(e => count(e as Json, 'height', path))
    },

    async getEpochEvidence (netuid, height) {
      const path = `/api/epochs/${netuid}/${height}`
      const json = await request('GET', path)
      const inputs = json.inputs
      if (!Array.isArray(inputs) || !inputs.every(isString)) throw malformed(path, 'inputs')
      return {
        netuid: count(json, 'netuid', path),
        height: count(json, 'height', path),
        preHeight: count(json, 'preHeight', path),
        inputs,
        recordHeight: count(json, 'recordHeight', path),
        record: field(json, 'record', isString, path)
      }
    },

    async submitTx (bytes) {
      // A copy, so the body is backed by a plain ArrayBuffer whatever `bytes` views.
      const json = await request('POST', '/api/tx', { type: 'application/cbor', data: new Uint8Array(bytes) })
      return { id: field(json, 'id', isString, '/api/tx') }
    },

    async requestFaucet (address) {
      const json = await request('POST', '/api/faucet', { type: 'application/json', data: JSON.stringify({ address }) })
      return { id: field(json, 'id', isString, '/api/faucet'), amount: amount(json, 'amount', '/api/faucet') }
    },

    async getP2p () {
      const json = await request('GET', '/api/p2p')
      const addrs = json.addrs
      if (!Array.isArray(addrs) || !addrs.every(isString)) throw malformed('/api/p2p', 'addrs')
      return { peerId: field(json, 'peerId', isString, '/api/p2p'), addrs }
    }
  }
}

// ---- reading answers ---------------------------------------------------------------------

function parseJson (text: string): Json | undefined {
  try {
    const value: unknown = JSON.parse(text)
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? value as Json : undefined
  } catch {
    return undefined
  }
}

export function malformed (path: string, name?: string): RelayError {
  const what = name === undefined ? 'an answer' : `an answer with a bad "${name}"`
  return new RelayError('BAD_RESPONSE', `The relay sent ${what} to ${path} that this page does not understand; reload the page to get the matching version.`)
}

export const isString = (v: unknown): v is string => typeof v === 'string'
export const isBoolean = (v: unknown): v is boolean => typeof v === 'boolean'

export function field<T> (json: Json, name: string, is: (v: unknown) => v is T, path: string): T {
  const value = json[name]
  if (!is(value)) throw malformed(path, name)
  return value
}

/** A non-negative safe integer (heights, nonces). */
export function count (json: Json, name: string, path: string): number {
  const value = json[name]
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) throw malformed(path, name)
  return value
}

/** Base units, sent as a decimal string so no amount loses precision in JSON. */
export function amount (json: Json, name: string, path: string): bigint {
  const value = json[name]
  if (typeof value !== 'string' || !/^(0|[1-9]\d*)$/.test(value)) throw malformed(path, name)
  return BigInt(value)
}

function capitalize (text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1)
}
