/**
 * JSON views of ledger data for the HTTP API: addresses as `tt1…`, hashes as hex, amounts as
 * decimal strings (they exceed 2^53). Reads describe the committed head; the only exception is
 * `pendingNonce`, which counts transactions already acknowledged for the next block.
 */
import { base64 } from '@scure/base'
import { toAddress } from '../src/core/address.ts'
import { blockId, encodeSignedHeader, headerHash, type Block, type SignedHeader } from '../src/core/block.ts'
import type { Chain } from '../src/core/chain.ts'
import { decode } from '../src/core/codec.ts'
import { toHex } from '../src/core/hash.ts'
import { K, account, type EpochRecord, type Neuron, type Proposal, type Subnet } from '../src/core/ledger/schema.ts'
import { epochInputKeys } from '../src/core/audit.ts'
import { encodeStateProof } from '../src/core/light-client.ts'
import { decodeTx } from '../src/core/tx.ts'

type Json = string | number | boolean | null | Json[] | { [key: string]: Json }

/** Turns a value into JSON: key fields become addresses, other bytes hex, bigints strings. */
function plain (value: unknown, key = ''): Json {
  if (typeof value === 'bigint') return value.toString()
  if (value instanceof Uint8Array) return ADDRESS_FIELDS.has(key) ? toAddress(value) : toHex(value)
  if (Array.isArray(value)) return value.map(v => plain(v, key))
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v, k)]))
  }
  return value as Json
}
const ADDRESS_FIELDS = new Set(['from', 'to', 'hotkey', 'owner', 'producer', 'proposer', 'voters', 'coldkey'])

/** The committed (head) value of `key`, decoded; amounts may come back as numbers or bigints. */
function committed<T> (chain: Chain, key: string): T | undefined {
  const bytes = chain.state.committed(key)
  return bytes === undefined ? undefined : (decode(bytes, Infinity) as T)
}

export function headerView (signed: SignedHeader): Json {
  const { header } = signed
  return {
    height: header.height,
    hash: toHex(headerHash(header)),
    id: blockId(header),
    parent: toHex(header.parent),
    time: header.time,
    txRoot: toHex(header.txRoot),
    stateRoot: toHex(header.stateRoot),
    producer: toAddress(header.producer),
    signature: toHex(signed.sig),
    encoded: base64.encode(encodeSignedHeader(signed))
  }
}

export function blockView (block: Block): Json {
  return {
    ...(headerView(block) as Record<string, Json>),
    transactions: block.txs.map(bytes => {
      const tx = decodeTx(bytes)
      return { id: tx.id, ...(plain(tx.body) as Record<string, Json>) }
    })
  }
}

export function accountView (chain: Chain, publicKey: Uint8Array): Json {
  const head = committed<{ balance: number | bigint, nonce: number }>(chain, K.account(publicKey))
  const stake = committed<number | bigint>(chain, K.coldkeyStake(publicKey)) ?? 0
  return {
    address: toAddress(publicKey),
    balance: String(head?.balance ?? 0),
    nonce: head?.nonce ?? 0,
    pendingNonce: account(chain.state, publicKey).nonce,
    stake: String(stake),
    height: chain.height,
    stateRoot: toHex(chain.head.header.stateRoot),
    proof: encodeStateProof(chain.state.prove(K.account(publicKey)))
  }
}

/** Decoded amounts come back as numbers when small; the API always gives decimal strings. */
const amounts = (values: Record<string, unknown>): Record<string, string> =>
  Object.fromEntries(Object.entries(values).map(([k, v]) => [k, String(v)]))

function subnetSummary (subnet: Subnet): Record<string, Json> {
  return {
    netuid: subnet.netuid,
    name: subnet.name,
    owner: toAddress(subnet.owner),
    locked: String(subnet.locked),
    pendingEmission: String(subnet.pendingEmission),
    lastEpochBlock: subnet.lastEpochBlock,
    createdAt: subnet.createdAt,
    n: subnet.n,
    params: amounts(subnet.params)
  }
}

export function subnetsView (chain: Chain): Json {
  const g = committed<{ netuids: number[] }>(chain, K.globals)!
  return { height: chain.height, subnets: g.netuids.map(netuid => subnetSummary(committed<Subnet>(chain, K.subnet(netuid))!)) }
}

/** The metagraph of a subnet at the head, or undefined if it does not exist. */
export function metagraphView (chain: Chain, netuid: number): Json | undefined {
  const subnet = committed<Subnet>(chain, K.subnet(netuid))
  if (subnet === undefined) return undefined
  const neurons: Json[] = []
  for (let uid = 0; uid < subnet.n; uid++) {
    const neuron = committed<Neuron>(chain, K.neuron(netuid, uid))!
    neurons.push({
      uid,
      hotkey: toAddress(neuron.hotkey),
      coldkey: toAddress(committed<Uint8Array>(chain, K.owner(neuron.hotkey))!),
      stake: String(committed<number | bigint>(chain, K.hotkeyStake(neuron.hotkey)) ?? 0),
      registeredAt: neuron.registeredAt,
      lastUpdate: neuron.lastUpdate,
      validatorPermit: neuron.validatorPermit,
      active: neuron.active,
      consensus: neuron.consensus,
      incentive: neuron.incentive,
      dividends: neuron.dividends,
      validatorTrust: neuron.validatorTrust,
      stakeWeight: neuron.stakeWeight,
      emission: String(neuron.emission)
    })
  }
  return { height: chain.height, ...subnetSummary(subnet), neurons }
}

/** Stake a coldkey holds at the head, as the ledger stores it. */
const stakeOf = (chain: Chain, coldkey: Uint8Array): bigint => BigInt(committed<number | bigint>(chain, K.coldkeyStake(coldkey)) ?? 0)

/**
 * The latest 100 proposals, newest first. Closed ones carry the ledger's tally; each vote also
 * shows its voter's stake now, so an open proposal's standing can be read before it closes (the
 * ledger weighs votes by stake at closing, so these live weights may still move).
 */
export function proposalsView (chain: Chain): Json {
  const g = committed<{ nextProposal: number, totalStake: number | bigint, params: Record<string, unknown> }>(chain, K.globals)!
  const proposals: Json[] = []
  for (let id = g.nextProposal - 1; id >= 0 && proposals.length < 100; id--) {
    const p = committed<Proposal>(chain, K.proposal(id))!
    const votes = p.voters.map(voter => ({
      voter: toAddress(voter),
      approve: committed<boolean>(chain, K.vote(id, voter)) === true,
      stake: String(stakeOf(chain, voter))
    }))
    proposals.push({ ...(plain(p) as Record<string, Json>), ...amounts({ value: p.value, yes: p.yes, no: p.no }), votes })
  }
  const { proposalPeriod, enactmentDelay, quorumPpm, proposeMinStake } = g.params
  return {
    height: chain.height,
    totalStake: String(g.totalStake),
    params: amounts({ proposalPeriod, enactmentDelay, quorumPpm, proposeMinStake }),
    proposals
  }
}

/** Where a coldkey's stake sits: each hotkey it stakes on, the amount, and the subnets that hotkey serves. */
export function stakesView (chain: Chain, coldkey: Uint8Array): Json {
  const g = committed<{ netuids: number[] }>(chain, K.globals)!
  const byHotkey = new Map<string, { hotkey: string, amount: string, subnets: Array<{ netuid: number, uid: number }> }>()
  for (const netuid of g.netuids) {
    const subnet = committed<Subnet>(chain, K.subnet(netuid))!
    for (let uid = 0; uid < subnet.n; uid++) {
      const { hotkey } = committed<Neuron>(chain, K.neuron(netuid, uid))!
      const address = toAddress(hotkey)
      const known = byHotkey.get(address)
      if (known !== undefined) {
        known.subnets.push({ netuid, uid })
        continue
      }
      const amount = committed<number | bigint>(chain, K.stake(hotkey, coldkey))
      if (amount !== undefined) byHotkey.set(address, { hotkey: address, amount: String(amount), subnets: [{ netuid, uid }] })
    }
  }
  return { address: toAddress(coldkey), height: chain.height, total: String(stakeOf(chain, coldkey)), stakes: [...byHotkey.values()] }
}

/** The recent epochs of a subnet, newest last, with what each paid. */
export function epochsView (chain: Chain, netuid: number): Json | undefined {
  const subnet = committed<Subnet>(chain, K.subnet(netuid))
  if (subnet === undefined) return undefined
  return {
    height: chain.height,
    netuid,
    epochs: subnet.recentEpochs.map(h => {
      const record = committed<EpochRecord>(chain, K.epoch(netuid, h))!
      return { height: h, ...amounts({ emission: record.emission, ownerCut: record.ownerCut, carried: record.carried }) }
    })
  }
}

/** Everything a tab needs to audit one epoch: proofs of its inputs and of its record. */
export function epochEvidenceView (chain: Chain, netuid: number, height: number): Json | undefined {
  const before = chain.stateBeforeEpochs(height)
  if (before === undefined || chain.state.committed(K.epoch(netuid, height)) === undefined) return undefined
  return {
    netuid,
    height,
    preHeight: height - 1,
    inputs: epochInputKeys(before, netuid, height).map(key => encodeStateProof(before.prove(key))),
    recordHeight: chain.height,
    record: encodeStateProof(chain.state.prove(K.epoch(netuid, height)))
  }
}
