/**
 * Genesis: the spec a network starts from, and the block 0 and state it determines.
 *
 * The chain id is H(canonical spec); every signature is bound to it, so transactions and headers
 * of one network never verify on another. Block 0 is not signed: anyone who holds the spec
 * rebuilds it, and its hash must match. The JSON form (addresses, decimal amounts) is what
 * genesis files and the relay's `/api/genesis` use.
 */
import { fromAddress, toAddress } from './address.ts'
import { encode } from './codec.ts'
import { LedgerError } from './errors.ts'
import { hash, toHex } from './hash.ts'
import { SIGNATURE_BYTES } from './keys.ts'
import { K, setAccount, type Globals } from './ledger/schema.ts'
import { newSubnet, putSubnet } from './ledger/subnets.ts'
import { defaultNetworkParams, paramSpec, type NetworkParams, type SubnetParams } from './params.ts'
import { State } from './state.ts'
import { TOTAL_SUPPLY } from './supply.ts'
import { txRoot, type Block, type BlockHeader } from './block.ts'

export interface GenesisSpec {
  chain: string
  time: number
  producer: Uint8Array
  balances: Array<{ key: Uint8Array, amount: bigint }>
  subnets: Array<{ name: string, owner: Uint8Array, params: Partial<SubnetParams> }>
  params: Partial<NetworkParams>
}

export interface GenesisJson {
  chain: string
  time: number
  producer: string
  balances: Array<{ address: string, amount: string }>
  subnets: Array<{ name: string, owner: string, params?: Record<string, string | number> }>
  params?: Record<string, string | number>
}

export function chainIdOf (spec: GenesisSpec): Uint8Array {
  return hash(encode(spec))
}

function readParams (netuid: number, params: Record<string, string | number> | undefined): Record<string, bigint> {
  const out: Record<string, bigint> = {}
  for (const [name, raw] of Object.entries(params ?? {})) {
    const spec = paramSpec(netuid, name)
    if (spec === undefined) throw new LedgerError('UNKNOWN_PARAM', `The genesis names an unknown parameter "${name}".`)
    let value: bigint
    try {
      value = BigInt(raw)
    } catch {
      throw new LedgerError('BAD_FIELD', `The genesis parameter "${name}" must be an integer.`)
    }
    if (value < spec.min || value > spec.max) {
      throw new LedgerError('PARAM_OUT_OF_RANGE', `The genesis parameter ${name} must be between ${spec.min} and ${spec.max}.`)
    }
    out[name] = value
  }
  return out
}

function readAmount (raw: unknown, address: string): bigint {
  if ((typeof raw === 'string' && /^\d+$/.test(raw)) || (typeof raw === 'number' && Number.isSafeInteger(raw))) return BigInt(raw)
  throw new LedgerError('BAD_FIELD', `The genesis balance of ${address} must be a whole number of base units.`)
}

/** Throws when one key is funded twice, which would count issuance that no balance holds. */
function checkUniqueBalances (balances: GenesisSpec['balances']): void {
  const seen = new Set<string>()
  for (const { key } of balances) {
    const hex = toHex(key)
    if (seen.has(hex)) throw new LedgerError('BAD_FIELD', `The genesis funds ${toAddress(key)} twice; list each address once.`)
    seen.add(hex)
  }
}

export function genesisFromJson (json: GenesisJson): GenesisSpec {
  if (typeof json?.chain !== 'string' || !Number.isSafeInteger(json.time) || !Array.isArray(json.balances) || !Array.isArray(json.subnets)) {
    throw new LedgerError('MALFORMED', 'A genesis needs chain, time, producer, balances and subnets.')
  }
  const balances = json.balances.map(b => ({ key: fromAddress(b.address), amount: readAmount(b.amount, b.address) }))
  const total = balances.reduce((sum, b) => sum + b.amount, 0n)
  checkUniqueBalances(balances)
  if (balances.some(b => b.amount <= 0n) || total > TOTAL_SUPPLY) {
    throw new LedgerError('CAP_EXCEEDED', 'Genesis balances must be positive and sum to at most the 21,000,000-token cap.')
  }
  return {
    chain: json.chain,
    time: json.time,
    producer: fromAddress(json.producer),
    balances,
    subnets: json.subnets.map((s, i) => ({ name: s.name, owner: fromAddress(s.owner), params: readParams(i + 1, s.params) })),
    params: readParams(0, json.params)
  }
}

export function genesisToJson (spec: GenesisSpec): GenesisJson {
  const str = (params: Record<string, bigint | undefined>): Record<string, string> =>
    Object.fromEntries(Object.entries(params).map(([k, v]) => [k, String(v)]))
  return {
    chain: spec.chain,
    time: spec.time,
    producer: toAddress(spec.producer),
    balances: spec.balances.map(b => ({ address: toAddress(b.key), amount: b.amount.toString() })),
    subnets: spec.subnets.map(s => ({ name: s.name, owner: toAddress(s.owner), params: str(s.params) })),
    params: str(spec.params)
  }
}

/** The state after genesis (committed) and block 0. */
export function buildGenesis (spec: GenesisSpec): { state: State, block: Block } {
  checkUniqueBalances(spec.balances)
  const state = new State()
  const issuance = spec.balances.reduce((sum, b) => sum + b.amount, 0n)
  const globals: Globals = {
    issuance,
    totalStake: 0n,
    params: { ...defaultNetworkParams(), ...spec.params },
    netuids: [],
    nextProposal: 0,
    openProposals: [],
    passedProposals: []
  }
  state.set(K.globals, globals)
  for (const { key, amount } of spec.balances) setAccount(state, key, { balance: amount, nonce: 0 })
  spec.subnets.forEach((s, i) => putSubnet(state, newSubnet(i + 1, s.name, s.owner, 0n, 0, s.params)))
  const header: BlockHeader = {
    height: 0,
    parent: new Uint8Array(32),
    time: spec.time,
    txRoot: txRoot([]),
    stateRoot: state.commit(),
    producer: spec.producer
  }
  return { state, block: { header, sig: new Uint8Array(SIGNATURE_BYTES), txs: [] } }
}
