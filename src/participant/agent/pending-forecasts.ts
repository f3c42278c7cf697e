/**
 * The prices validator's deferred scoring: forecasts received for a task wait here until the
 * feed has reached the task's last horizon, then they are scored together and the task is
 * dropped. Each task is one record in the work store (IndexedDB), keyed by subnet, validator and
 * task id, so a reload finds what is still waiting and scores it when the truth comes. A task
 * whose truth never comes (the feed restarted further back, say) is dropped after `expiresAt`.
 */
import { toHex } from '../../core/hash.ts'
import type { WorkStore } from './work-store.ts'

export interface WaitingSubmission {
  uid: number
  /** Hex of the hotkey that held the uid when it answered. */
  hotkey: string
  bytes: Uint8Array
  receivedAt: number
}

export interface PendingForecasts {
  /** The task's id, hex. */
  id: string
  /** The subnet's encoded task (asset, step, window, commit time). */
  task: Uint8Array
  asset: string
  /** The step the forecast starts from; its truth needs the feed at `at` + the longest horizon. */
  at: number
  submissions: WaitingSubmission[]
  /** Dropped unscored after this time, ms since the epoch. */
  expiresAt: number
}

export class PendingForecastStore {
  readonly #prefix: string

  constructor (readonly store: WorkStore, netuid: number, validator: Uint8Array) {
    this.#prefix = `prices/${netuid}/${toHex(validator)}/`
  }

  async add (pending: PendingForecasts): Promise<void> {
    await this.store.put(this.#prefix + pending.id, pending)
  }

  /** Every task still waiting, oldest step first. */
  async all (): Promise<PendingForecasts[]> {
    const keys = await this.store.keys(this.#prefix)
    const records = await Promise.all(keys.map(async k => await this.store.get<PendingForecasts>(k)))
    return records.filter(r => r !== undefined).sort((a, b) => a.at - b.at)
  }

  async remove (id: string): Promise<void> {
    await this.store.delete(this.#prefix + id)
  }
}
