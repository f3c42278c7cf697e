/**
 * What storage validators say of the subnet's miners, as this tab hears it on the subnet's scores
 * topic: the latest report of each validator (bytes held, challenges passed of those set, per
 * miner uid). The gossip envelope is signed by the validator's hotkey, so a report is shown as
 * that validator's and nobody else's; it is one validator's view, not the chain's.
 */
import { toAddress } from '../core/address.ts'
import { toHex } from '../core/hash.ts'
import { decodeScores } from './agent/scores-message.ts'

/** Validators whose latest report is kept; past it, the one heard from longest ago is dropped. */
export const MAX_REPORTING_VALIDATORS = 16

export interface MinerHolding {
  uid: number
  bytes: number
  passes: number
  trials: number
}

export interface ValidatorReport {
  /** The validator's hotkey, as an address. */
  validator: string
  /** The validator's round the report closed. */
  round: number
  /** When this tab heard it, in ms since the epoch. */
  heardAt: number
  miners: MinerHolding[]
}

export class StorageReports {
  readonly #latest = new Map<string, ValidatorReport>()

  constructor (readonly netuid: number) {}

  /**
   * Takes a scores message from `from`; false (and nothing changed) when it cannot be read, is
   * for another subnet, or carries no storage report.
   */
  accept (from: Uint8Array, payload: Uint8Array, now = Date.now()): boolean {
    let m
    try {
      m = decodeScores(payload)
    } catch {
      // The hub checked the envelope; a payload this tab cannot read is simply not shown.
      return false
    }
    if (m.netuid !== this.netuid || m.storage === undefined) return false
    const s = m.storage
    const key = toHex(from)
    this.#latest.delete(key)
    this.#latest.set(key, {
      validator: toAddress(from),
      round: m.round,
      heardAt: now,
      miners: s.uids.map((uid, i) => ({ uid, bytes: s.bytes[i]!, passes: s.passes[i]!, trials: s.trials[i]! }))
    })
    // A Map iterates in insertion order, and a report is re-inserted when heard: the first is the oldest.
    if (this.#latest.size > MAX_REPORTING_VALIDATORS) this.#latest.delete(this.#latest.keys().next().value!)
    return true
  }

  /** Each validator's latest report, in a stable order (by address). */
  list (): ValidatorReport[] {
    return [...this.#latest.values()].sort((a, b) => a.validator < b.validator ? -1 : a.validator > b.validator ? 1 : 0)
  }
}
