/**
 * A validator's moving score per uid: an exponential moving average of the scores the subnet's
 * scorer gave the uid's results, and the weight vector it implies.
 *
 * A uid is remembered with the hotkey that held it, so when a new hotkey takes the uid over its
 * score starts again from zero. A uid that did not answer scores zero for that task, so a miner
 * that leaves fades out. Weights are the moving scores scaled so the largest is 65535 (the ledger
 * max-upscales them the same way); the validator's own uid and uids at zero get none.
 */
import { toHex } from '../../core/hash.ts'
import { SCORE_EMA_ALPHA } from './constants.ts'

export interface ScoreEntry {
  uid: number
  /** Hex of the hotkey this moving score belongs to. */
  hotkey: string
  /** The moving score, in [0, 1]. */
  ema: number
  /** The latest task's score, in [0, 1]. */
  last: number
  /** Tasks scored for this hotkey. */
  tasks: number
  /** Why the latest task scored zero, when it was refused. */
  reason?: string
}

export interface WeightVector {
  uids: number[]
  weights: number[]
}

const U16_MAX = 65535

export class ScoreBook {
  readonly #entries = new Map<number, ScoreEntry>()

  constructor (entries: readonly ScoreEntry[] = [], readonly alpha = SCORE_EMA_ALPHA) {
    for (const e of entries) this.#entries.set(e.uid, { ...e })
  }

  /** Folds one task's score for `uid` (held by `hotkey`) into its moving score. */
  update (uid: number, hotkey: Uint8Array, score: number, reason?: string): ScoreEntry {
    const key = toHex(hotkey)
    const clamped = Number.isFinite(score) ? Math.min(1, Math.max(0, score)) : 0
    const old = this.#entries.get(uid)
    const prior = old?.hotkey === key ? old : undefined
    const entry: ScoreEntry = {
      uid,
      hotkey: key,
      // The first score is taken as is, so a new miner does not start from an unearned zero.
      ema: prior === undefined ? clamped : prior.ema + this.alpha * (clamped - prior.ema),
      last: clamped,
      tasks: (prior?.tasks ?? 0) + 1,
      ...(reason === undefined ? {} : { reason })
    }
    this.#entries.set(uid, entry)
    return entry
  }

  /**
   * Sets `uid`'s standing outright, for subnets whose scorer already weighs a miner's whole
   * record (storage: Wilson × bytes held); `last` is the latest task's own score.
   */
  set (uid: number, hotkey: Uint8Array, standing: number, last: number, reason?: string): ScoreEntry {
    const key = toHex(hotkey)
    const old = this.#entries.get(uid)
    const clamp = (v: number): number => (Number.isFinite(v) ? Math.min(1, Math.max(0, v)) : 0)
    const entry: ScoreEntry = {
      uid,
      hotkey: key,
      ema: clamp(standing),
      last: clamp(last),
      tasks: (old?.hotkey === key ? old.tasks : 0) + 1,
      ...(reason === undefined ? {} : { reason })
    }
    this.#entries.set(uid, entry)
    return entry
  }

  /** Drops uids that no longer exist or now belong to another hotkey. */
  prune (hotkeys: ReadonlyMap<number, Uint8Array>): void {
    for (const [uid, entry] of this.#entries) {
      const hotkey = hotkeys.get(uid)
      if (hotkey === undefined || toHex(hotkey) !== entry.hotkey) this.#entries.delete(uid)
    }
  }

  get (uid: number): ScoreEntry | undefined {
    const e = this.#entries.get(uid)
    return e === undefined ? undefined : { ...e }
  }

  entries (): ScoreEntry[] {
    return [...this.#entries.values()].sort((a, b) => a.uid - b.uid).map(e => ({ ...e }))
  }

  /** The weight vector to set: uids in order, largest weight 65535, zeros and `self` left out. */
  weights (self?: number): WeightVector {
    const scored = this.entries().filter(e => e.uid !== self && e.ema > 0)
    const max = Math.max(0, ...scored.map(e => e.ema))
    const uids: number[] = []
    const weights: number[] = []
    for (const e of scored) {
      const w = Math.round((e.ema / max) * U16_MAX)
      if (w > 0) {
        uids.push(e.uid)
        weights.push(w)
      }
    }
    return { uids, weights }
  }
}
