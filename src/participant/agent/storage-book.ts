/**
 * A storage validator's bookkeeping: for each miner, the shards it was assigned with the root of
 * its replica of each (computed once, at assignment, and kept: 32 bytes a shard), and the
 * challenges each shard passed and failed. A miner's standing is the subnet's score — the Wilson
 * lower bound of its pass rate times the bytes it holds — where a shard counts as held while its
 * latest challenge passed, so a shard lost and later proven again counts again. The records are
 * plain data, saved as they are in the work store.
 */
import { toHex } from '../../core/hash.ts'
import { storageScores, type MinerRecord } from '../../subnets/storage/score.ts'
import type { StorageReport } from './scores-message.ts'

export interface ShardRecord {
  /** Hex of the shard's id (SHA-256 of its plain bytes). */
  shard: string
  /** The shard's name in the bundle (its CID). */
  name: string
  /** Hex of the root of this miner's replica. */
  root: string
  leaves: number
  bytes: number
  passes: number
  trials: number
  /** Whether the latest challenge passed; null before the first. */
  passed: boolean | null
}

export interface MinerShards {
  uid: number
  /** Hex of the hotkey the assignment was made for. */
  hotkey: string
  shards: ShardRecord[]
}

export class StorageBook {
  readonly #miners = new Map<number, MinerShards>()

  constructor (records: readonly MinerShards[] = []) {
    for (const r of records) this.#miners.set(r.uid, structuredClone(r))
  }

  /** The miner's assignment, unless the uid is now held by another hotkey. */
  assignment (uid: number, hotkey: Uint8Array): MinerShards | undefined {
    const m = this.#miners.get(uid)
    return m?.hotkey === toHex(hotkey) ? structuredClone(m) : undefined
  }

  /** Assigns `shards` to the uid's hotkey, starting its record afresh. */
  assign (uid: number, hotkey: Uint8Array, shards: ReadonlyArray<Omit<ShardRecord, 'passes' | 'trials' | 'passed'>>): void {
    this.#miners.set(uid, { uid, hotkey: toHex(hotkey), shards: shards.map(s => ({ ...s, passes: 0, trials: 0, passed: null })) })
  }

  /** Records one challenge of `shard` (hex id) for the uid; ignored for a shard it was not assigned. */
  record (uid: number, shard: string, passed: boolean): void {
    const s = this.#miners.get(uid)?.shards.find(x => x.shard === shard)
    if (s === undefined) return
    s.trials++
    if (passed) s.passes++
    s.passed = passed
  }

  /** Drops uids that no longer exist or now belong to another hotkey. */
  prune (hotkeys: ReadonlyMap<number, Uint8Array>): void {
    for (const [uid, m] of this.#miners) {
      const hotkey = hotkeys.get(uid)
      if (hotkey === undefined || toHex(hotkey) !== m.hotkey) this.#miners.delete(uid)
    }
  }

  /** What the subnet's scorer needs of each miner. */
  minerRecords (): MinerRecord[] {
    return [...this.#miners.values()].sort((a, b) => a.uid - b.uid).map(m => ({
      uid: m.uid,
      passes: m.shards.reduce((n, s) => n + s.passes, 0),
      trials: m.shards.reduce((n, s) => n + s.trials, 0),
      bytesHeld: m.shards.reduce((n, s) => n + (s.passed === true ? s.bytes : 0), 0)
    }))
  }

  /**
   * What the validator gossips of its miners: bytes held and challenges passed of those set, by
   * ascending uid; only the uids in `miners` when given (a uid that became a validator stays in
   * the book but is no longer a miner).
   */
  report (miners?: ReadonlySet<number>): StorageReport {
    const records = this.minerRecords().filter(r => miners === undefined || miners.has(r.uid))
    return {
      uids: records.map(r => r.uid),
      bytes: records.map(r => r.bytesHeld),
      passes: records.map(r => r.passes),
      trials: records.map(r => r.trials)
    }
  }

  /** Each miner's standing in [0, 1]: Wilson × bytes held, the best miner at 1. */
  standings (): Map<number, number> {
    return new Map(storageScores(this.minerRecords()).map(s => [s.uid, s.score]))
  }

  records (): MinerShards[] {
    return [...this.#miners.values()].map(m => structuredClone(m))
  }
}
