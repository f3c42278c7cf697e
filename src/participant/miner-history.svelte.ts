/**
 * The mining view's per-epoch history: once the tab's miner holds a uid, it re-reads the relay's
 * figures for the miner's hotkey on its subnet every few seconds, so a new epoch shows up on the
 * charts soon after its block. A failed read keeps the last figures and says why.
 */
import { RelayError, userMessage } from './errors.ts'
import type { MinerEpoch, MinerEpochsClient } from './miner-epochs-client.ts'
import { poll, VIEW_POLL_MS } from './poll.ts'

export interface MinerHistoryDeps {
  client: MinerEpochsClient
  /** The subnets' ids and names, to find the mined subnet's netuid. */
  subnets: () => Promise<Array<{ netuid: number, name: string }>>
  /** Milliseconds between reads (default: about a block). */
  pollMs?: number
}

export class MinerHistory {
  /** The figures, oldest epoch first; null until the first read. */
  epochs = $state<MinerEpoch[] | null>(null)
  error = $state<string | null>(null)

  readonly #deps: MinerHistoryDeps
  #following: string | null = null
  #stopPoll: (() => void) | null = null

  constructor (deps: MinerHistoryDeps) {
    this.#deps = deps
  }

  /** Follows `hotkey` on the subnet named `subnet`; calling it again for the same pair does nothing. */
  follow (subnet: string, hotkey: string): void {
    const key = `${subnet}/${hotkey}`
    if (this.#following === key) return
    this.stop()
    this.#following = key
    let netuid: number | undefined
    this.#stopPoll = poll(async () => {
      try {
        netuid ??= (await this.#deps.subnets()).find(s => s.name === subnet)?.netuid
        if (netuid === undefined) throw new RelayError('UNKNOWN_SUBNET', `This network has no subnet called ${subnet}; reload the page.`)
        const epochs = await this.#deps.client.getMinerEpochs(netuid, hotkey)
        if (this.#following !== key) return
        if (!sameEpochs(this.epochs, epochs)) this.epochs = epochs
        this.error = null
      } catch (err) {
        if (this.#following === key) this.error = userMessage(err)
      }
    }, this.#deps.pollMs ?? VIEW_POLL_MS)
  }

  stop (): void {
    this.#stopPoll?.()
    this.#stopPoll = null
    this.#following = null
    this.epochs = null
    this.error = null
  }
}

/** Unchanged figures are not set again, so the charts are not redrawn every read. */
function sameEpochs (a: MinerEpoch[] | null, b: MinerEpoch[]): boolean {
  return a !== null && a.length === b.length && a.every((e, i) => {
    const f = b[i]!
    return e.height === f.height && e.uid === f.uid && e.sharePpm === f.sharePpm && e.rank === f.rank && e.miners === f.miners && e.earned === f.earned
  })
}
