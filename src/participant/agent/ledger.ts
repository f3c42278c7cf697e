/**
 * What the agent reads from and sends to the ledger, through the relay's HTTP API: a subnet's
 * metagraph (uid → hotkey, permit, stake, emission), the head, and signed transactions at the
 * signer's next nonce.
 *
 * The metagraph is read, not proven: a relay that lies about it can only send a validator's tasks
 * to the wrong peers (whose results then fail the signature check) or hide a miner. Balances and
 * payouts are what the light client verifies, elsewhere.
 */
import { fromAddress, toAddress } from '../../core/address.ts'
import { fromHex } from '../../core/hash.ts'
import type { Keypair } from '../../core/keys.ts'
import { signTx, type TxBody } from '../../core/tx.ts'
import type { RelayClient } from '../relay-client.ts'
import { AgentError } from './errors.ts'

export interface NeuronView {
  uid: number
  hotkey: Uint8Array
  validatorPermit: boolean
  /** Base units staked on the hotkey. */
  stake: bigint
  /** Base units paid to the uid at the subnet's last epoch. */
  emission: bigint
  /** The last epoch's incentive, as a fraction of 65535. */
  incentive: number
}

export interface Metagraph {
  height: number
  netuid: number
  name: string
  lastEpochBlock: number
  tempo: number
  /** Proof-of-work difficulty to register now. */
  difficulty: bigint
  neurons: NeuronView[]
}

/** A transaction's fields besides the signer and nonce, which `send` fills in. */
export type TxFields = DistributiveOmit<TxBody, 'from' | 'nonce'>
type DistributiveOmit<T, K extends keyof any> = T extends unknown ? Omit<T, K> : never

export interface LedgerApi {
  metagraph (netuid: number): Promise<Metagraph>
  /** The netuid of the subnet called `name`, or undefined. */
  netuidOf (name: string): Promise<number | undefined>
  head (): Promise<{ height: number, headHash: Uint8Array, chainId: Uint8Array }>
  balance (key: Uint8Array): Promise<bigint>
  /** Signs `fields` with `key` at its next nonce and submits it; the relay's refusal throws with its code. */
  send (key: Keypair, fields: TxFields): Promise<string>
  /** Asks the local network's faucet for test tokens for `key`. */
  faucet (key: Uint8Array): Promise<void>
}

type Json = Record<string, unknown>

function bad (what: string): AgentError {
  return new AgentError('BAD_RESPONSE', `The relay's metagraph has a bad "${what}"; reload the page to get the matching version.`)
}

function int (v: unknown, what: string): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) throw bad(what)
  return v
}

/** Any whole number: a subnet's epoch block starts below zero to stagger subnets' epochs. */
function whole (v: unknown, what: string): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v)) throw bad(what)
  return v
}

function units (v: unknown, what: string): bigint {
  if (typeof v !== 'string' || !/^(0|[1-9]\d*)$/.test(v)) throw bad(what)
  return BigInt(v)
}

/** Reads `/api/subnets/:netuid` as the relay serves it (relay/views.ts, metagraphView). */
export function parseMetagraph (json: Json): Metagraph {
  const params = json.params as Json | undefined
  if (params === undefined || params === null || typeof params !== 'object') throw bad('params')
  if (!Array.isArray(json.neurons)) throw bad('neurons')
  return {
    height: int(json.height, 'height'),
    netuid: int(json.netuid, 'netuid'),
    name: typeof json.name === 'string' ? json.name : '',
    lastEpochBlock: whole(json.lastEpochBlock, 'lastEpochBlock'),
    tempo: Number(units(params.tempo, 'params.tempo')),
    difficulty: units(params.difficulty, 'params.difficulty'),
    neurons: (json.neurons as Json[]).map(n => {
      let hotkey: Uint8Array
      try {
        hotkey = fromAddress(String(n.hotkey))
      } catch {
        throw bad('hotkey')
      }
      return {
        uid: int(n.uid, 'uid'),
        hotkey,
        validatorPermit: n.validatorPermit === true,
        stake: units(n.stake, 'stake'),
        emission: units(n.emission, 'emission'),
        incentive: int(n.incentive, 'incentive')
      }
    })
  }
}

export function createLedgerApi (relay: RelayClient, options: { baseUrl?: string, fetch?: typeof globalThis.fetch } = {}): LedgerApi {
  const root = (options.baseUrl ?? '').replace(/\/+$/, '')
  const fetchImpl = options.fetch ?? globalThis.fetch.bind(globalThis)
  let chainId: Uint8Array | undefined

  const head: LedgerApi['head'] = async () => {
    const h = await relay.getHealth()
    chainId ??= fromHex(h.chainId)
    return { height: h.height, headHash: fromHex(h.headHash), chainId }
  }

  return {
    async metagraph (netuid) {
      const res = await fetchImpl(`${root}/api/subnets/${netuid}`)
      if (!res.ok) throw new AgentError('BAD_RESPONSE', `The relay has no subnet ${netuid} (HTTP ${res.status}).`)
      return parseMetagraph(await res.json() as Json)
    },
    async netuidOf (name) {
      return (await relay.getSubnets()).find(s => s.name === name)?.netuid
    },
    head,
    async balance (key) {
      return (await relay.getAccount(toAddress(key))).balance
    },
    async send (key, fields) {
      const { chainId: id } = await head()
      const { pendingNonce } = await relay.getAccount(toAddress(key.publicKey))
      const tx = signTx({ ...fields, from: key.publicKey, nonce: pendingNonce } as TxBody, key, id)
      return (await relay.submitTx(tx.bytes)).id
    },
    async faucet (key) {
      await relay.requestFaucet(toAddress(key))
    }
  }
}
