/**
 * The shape of the ledger's state: which keys exist and what records they hold.
 *
 * Every value is a plain record of canonical-CBOR-encodable fields (bigint, number, bytes,
 * string, boolean, arrays, null — never undefined). Keys are short prefixes plus hex ids, so the
 * sorted order, and so the state root, is the same everywhere.
 */
import { toHex } from '../hash.ts'
import type { NetworkParams, SubnetParams } from '../params.ts'
import type { State } from '../state.ts'

export interface Account { balance: bigint, nonce: number }

export interface Globals {
  issuance: bigint
  totalStake: bigint
  params: NetworkParams
  netuids: number[]
  nextProposal: number
  openProposals: number[]
  passedProposals: number[]
}

export interface Subnet {
  netuid: number
  name: string
  owner: Uint8Array
  locked: bigint
  createdAt: number
  params: SubnetParams
  /** Number of uids in use. */
  n: number
  lastAdjustment: number
  registrationsThisBlock: number
  registrationsThisInterval: number
  powRegistrationsThisInterval: number
  burnRegistrationsThisInterval: number
  /** Base units routed to the subnet and not yet paid out by an epoch. */
  pendingEmission: bigint
  /** Block of the subnet's last epoch (staggered at creation). */
  lastEpochBlock: number
  /** How many epochs the subnet has run; weight commits are timed by it. */
  epochs: number
  /** Heights of the subnet's most recent epochs, whose records the state keeps. */
  recentEpochs: number[]
}

export interface Neuron {
  hotkey: Uint8Array
  registeredAt: number
  lastUpdate: number
  validatorPermit: boolean
  /** Base units paid to this uid at its subnet's last epoch (pruning looks at it). */
  emission: bigint
  /** The last epoch's terms, as u16 proportions of 65535. */
  consensus: number
  incentive: number
  dividends: number
  validatorTrust: number
  stakeWeight: number
  active: boolean
}

/** What one epoch paid, kept in the state so any tab can check it against a recomputation. */
export interface EpochRecord {
  netuid: number
  height: number
  /** Base units the subnet had pending. */
  emission: bigint
  ownerCut: bigint
  /** Per uid: [hotkey, miner part, validator part, of which the validator's take]. */
  payouts: Array<[Uint8Array, bigint, bigint, bigint]>
  /** Base units the epoch's rounding left over, carried to the next epoch. */
  carried: bigint
}

export interface WeightRow { uids: number[], weights: number[] }
/** A weight commit: its hash, the block it landed in, and the subnet's epoch count then. */
export interface WeightCommit { hash: Uint8Array, block: number, epoch: number }

export type ProposalStatus = 'open' | 'passed' | 'rejected' | 'enacted' | 'lapsed'

export interface Proposal {
  id: number
  proposer: Uint8Array
  netuid: number
  param: string
  value: bigint
  createdAt: number
  closesAt: number
  enactAt: number | null
  status: ProposalStatus
  voters: Uint8Array[]
  yes: bigint
  no: bigint
}

export const K = {
  globals: 'g',
  account: (key: Uint8Array) => `a/${toHex(key)}`,
  owner: (hotkey: Uint8Array) => `o/${toHex(hotkey)}`,
  stake: (hotkey: Uint8Array, coldkey: Uint8Array) => `s/${toHex(hotkey)}/${toHex(coldkey)}`,
  hotkeyStake: (hotkey: Uint8Array) => `hs/${toHex(hotkey)}`,
  coldkeyStake: (coldkey: Uint8Array) => `cs/${toHex(coldkey)}`,
  /** The coldkeys with stake on a hotkey, in the order they first staked. */
  stakers: (hotkey: Uint8Array) => `st/${toHex(hotkey)}`,
  subnet: (netuid: number) => `n/${netuid}`,
  neuron: (netuid: number, uid: number) => `u/${netuid}/${uid}`,
  uidOf: (netuid: number, hotkey: Uint8Array) => `h/${netuid}/${toHex(hotkey)}`,
  weights: (netuid: number, uid: number) => `w/${netuid}/${uid}`,
  commit: (netuid: number, hotkey: Uint8Array) => `c/${netuid}/${toHex(hotkey)}`,
  bonds: (netuid: number, uid: number) => `b/${netuid}/${uid}`,
  epoch: (netuid: number, height: number) => `e/${netuid}/${height}`,
  proposal: (id: number) => `p/${id}`,
  vote: (id: number, coldkey: Uint8Array) => `v/${id}/${toHex(coldkey)}`
} as const

export function globals (state: State): Globals {
  const g = state.get<Globals>(K.globals)
  if (g === undefined) throw new Error('state has no globals: it was not built from a genesis')
  return g
}

export function account (state: State, key: Uint8Array): Account {
  return state.get<Account>(K.account(key)) ?? { balance: 0n, nonce: 0 }
}

export function setAccount (state: State, key: Uint8Array, value: Account): void {
  state.set(K.account(key), value.balance === 0n && value.nonce === 0 ? undefined : value)
}

export function amountAt (state: State, key: string): bigint {
  return state.get<bigint>(key) ?? 0n
}

export function setAmount (state: State, key: string, value: bigint): void {
  state.set(key, value === 0n ? undefined : value)
}
