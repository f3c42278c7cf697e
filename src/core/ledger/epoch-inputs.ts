/**
 * What a subnet's epoch reads from the ledger, built through a key reader so that the relay (from
 * its state) and a tab (from values it proved against a verified state root) derive the very
 * same inputs with the same code. Values may come back decoded from CBOR, where small amounts are
 * numbers; everything is normalised here.
 */
import { PackedRowsBuilder } from '../yuma/packed.ts'
import type { EpochInputs, EpochParams, Rows, SparseRow } from '../yuma/types.ts'
import { K, type Globals, type Neuron, type Subnet, type WeightCommit, type WeightRow } from './schema.ts'
import { commitLive } from './weights.ts'

/** Reads a state key; undefined when the key holds nothing. */
export type StateReader = (key: string) => unknown

/** Fixed share of an owner's cut, read in u16 like the other shares. */
const U16_MAX = 65535n

export interface SubnetEpoch {
  params: EpochParams
  inputs: EpochInputs
  hotkeys: Uint8Array[]
  owner: Uint8Array
  /** Base units pending before the owner's cut. */
  pending: bigint
  ownerCut: bigint
  validatorTake: bigint
}

const big = (v: unknown): bigint => BigInt(v as bigint | number)
const num = (v: unknown): number => Number(v as bigint | number)

/** The inputs of `netuid`'s epoch at `height`, or undefined if the subnet does not exist. */
export function subnetEpochInputs (read: StateReader, netuid: number, height: number): SubnetEpoch | undefined {
  const subnet = read(K.subnet(netuid)) as Subnet | undefined
  if (subnet === undefined) return undefined
  const g = read(K.globals) as Globals
  const p = subnet.params
  const pending = big(subnet.pendingEmission)
  const ownerCut = pending * big(g.params.ownerCut) / U16_MAX
  const n = num(subnet.n)
  const hotkeys: Uint8Array[] = []
  const weights: Array<WeightRow | undefined> = []
  const bonds: Array<WeightRow | undefined> = []
  const inputs: EpochInputs & { stake: bigint[], commitBlock: Array<number | null> } = {
    block: height,
    emission: pending - ownerCut,
    stake: [], weights: [], lastUpdate: [], blockAtRegistration: [], validatorPermit: [], bonds: [], commitBlock: []
  }
  for (let uid = 0; uid < n; uid++) {
    const neuron = read(K.neuron(netuid, uid)) as Neuron
    hotkeys.push(neuron.hotkey)
    inputs.stake.push(big(read(K.hotkeyStake(neuron.hotkey)) ?? 0n))
    weights.push(read(K.weights(netuid, uid)) as WeightRow | undefined)
    bonds.push(read(K.bonds(netuid, uid)) as WeightRow | undefined)
    inputs.lastUpdate.push(num(neuron.lastUpdate))
    inputs.blockAtRegistration.push(num(neuron.registeredAt))
    inputs.validatorPermit.push(neuron.validatorPermit)
    const commit = read(K.commit(netuid, neuron.hotkey)) as WeightCommit | undefined
    const live = commit !== undefined && commitLive(num(commit.epoch), num(subnet.epochs), big(p.commitRevealPeriod))
    inputs.commitBlock.push(live ? num(commit.block) : null)
  }
  inputs.weights = packed(weights)
  inputs.bonds = packed(bonds)
  const params: EpochParams = {
    tempo: num(p.tempo),
    kappa: num(p.kappa),
    bondsMovingAverage: big(p.bondsMovingAverage),
    bondsPenalty: num(p.bondsPenalty),
    maxValidators: num(p.maxValidators),
    activityCutoffFactorMilli: num(p.activityCutoffFactorMilli),
    yuma3: big(p.yuma3) === 1n,
    liquidAlpha: big(p.liquidAlpha) === 1n,
    alphaLow: num(p.alphaLow),
    alphaHigh: num(p.alphaHigh),
    alphaSigmoidSteepness: num(p.alphaSigmoidSteepness),
    stakeThreshold: big(p.stakeThreshold),
    ownerUid: null,
    lastMechanismStepBlock: num(subnet.lastEpochBlock) > 0 ? num(subnet.lastEpochBlock) : 0
  }
  return { params, inputs, hotkeys, owner: subnet.owner, pending, ownerCut, validatorTake: big(p.validatorTake) }
}

/**
 * Weight and bond rows are stored as parallel lists; the epoch takes them packed. Rows holding
 * something other than u16 pairs (no transaction stores one, but a tab audits whatever proofs gave
 * it) are passed on as [uid, value] pairs instead, which the epoch's check refuses by row and uid.
 */
function packed (rows: ReadonlyArray<WeightRow | undefined>): Rows {
  let entries = 0
  for (const row of rows) {
    if (row === undefined) continue
    if (!row.uids.every(isU16) || !row.weights.every(isU16) || row.uids.length !== row.weights.length) return rows.map(pairs)
    entries += row.uids.length
  }
  const out = new PackedRowsBuilder(rows.length, entries)
  for (const row of rows) {
    if (row !== undefined) for (let k = 0; k < row.uids.length; k++) out.push(num(row.uids[k]), num(row.weights[k]))
    out.endRow()
  }
  return out.finish()
}

const isU16 = (v: unknown): boolean => (typeof v === 'number' || typeof v === 'bigint') && Number.isInteger(Number(v)) && Number(v) >= 0 && Number(v) <= 65535

function pairs (row: WeightRow | undefined): SparseRow {
  if (row === undefined) return []
  return row.uids.map((uid, i) => [num(uid), num(row.weights[i])])
}
