/**
 * Auditing an epoch without trusting the relay: every value the epoch read is proven against the
 * state root of the block before it, the epoch is recomputed with the same code the ledger runs,
 * and the result is compared with the epoch record the ledger stored (proven against a later
 * verified root). A relay that paid anything else, or that fed the epoch other inputs than its
 * own ledger held, is caught.
 */
import { decode } from './codec.ts'
import { equalBytes, toHex } from './hash.ts'
import { subnetEpochInputs, type StateReader } from './ledger/epoch-inputs.ts'
import { epochPayouts } from './ledger/emission.ts'
import { K, type EpochRecord } from './ledger/schema.ts'
import { verifyStateProof, type StateProof, type StateSnapshot } from './state.ts'
import { runEpoch } from './yuma/epoch.ts'

/** Largest state value an audit decodes, in bytes. */
const MAX_VALUE_BYTES = 1 << 20

/** The state keys `netuid`'s epoch at `height` reads, in the order it reads them. */
export function epochInputKeys (before: StateSnapshot, netuid: number, height: number): string[] {
  const keys: string[] = []
  subnetEpochInputs(key => {
    keys.push(key)
    const bytes = before.committed(key)
    return bytes === undefined ? undefined : decode(bytes, MAX_VALUE_BYTES)
  }, netuid, height)
  return keys
}

export type AuditResult = { ok: true } | { ok: false, reason: string }

export interface EpochEvidence {
  netuid: number
  height: number
  /** Proofs of every key the epoch reads, against `preRoot` (the state root of block height − 1). */
  inputs: StateProof[]
  preRoot: Uint8Array
  /** Proof of the epoch record, against `recordRoot` (the state root of a block at or after `height`). */
  record: StateProof
  recordRoot: Uint8Array
}

export function auditEpoch (evidence: EpochEvidence): AuditResult {
  const { netuid, height } = evidence
  const proven = new Map<string, unknown>()
  for (const proof of evidence.inputs) {
    const { ok, value } = verifyStateProof(evidence.preRoot, proof)
    if (!ok) return { ok: false, reason: `the value of ${proof.key} does not match the state root of block ${height - 1}` }
    proven.set(proof.key, value === null ? undefined : decode(value, MAX_VALUE_BYTES))
  }
  const recordKey = K.epoch(netuid, height)
  if (evidence.record.key !== recordKey) return { ok: false, reason: 'the record proof is for another key' }
  const checked = verifyStateProof(evidence.recordRoot, evidence.record)
  if (!checked.ok || checked.value === null) return { ok: false, reason: `the epoch record of block ${height} is not in the verified state` }
  const record = decode(checked.value, MAX_VALUE_BYTES) as EpochRecord

  const read: StateReader = key => {
    if (!proven.has(key)) throw new Error(`no proof was given for ${key}`)
    return proven.get(key)
  }
  let epoch
  try {
    epoch = subnetEpochInputs(read, netuid, height)
  } catch (err) {
    return { ok: false, reason: (err as Error).message }
  }
  if (epoch === undefined) return { ok: false, reason: `subnet ${netuid} did not exist before block ${height}` }
  const { payouts, carried } = epochPayouts(epoch, runEpoch(epoch.params, epoch.inputs))
  if (BigInt(record.ownerCut) !== epoch.ownerCut) return { ok: false, reason: `the owner was paid ${record.ownerCut}, not ${epoch.ownerCut}` }
  if (BigInt(record.carried) !== carried) return { ok: false, reason: `the record carries ${record.carried} forward, not ${carried}` }
  if (record.payouts.length !== payouts.length) return { ok: false, reason: `the record pays ${record.payouts.length} uids, not ${payouts.length}` }
  for (let uid = 0; uid < payouts.length; uid++) {
    const [hotkey, miner, validator, take] = payouts[uid]!
    const [rHotkey, rMiner, rValidator, rTake] = record.payouts[uid]!
    if (!equalBytes(hotkey, rHotkey) || BigInt(rMiner) !== miner || BigInt(rValidator) !== validator || BigInt(rTake) !== take) {
      return { ok: false, reason: `uid ${uid} (${toHex(hotkey).slice(0, 12)}…) was paid ${rMiner}/${rValidator}, recomputed ${miner}/${validator}` }
    }
  }
  return { ok: true }
}
