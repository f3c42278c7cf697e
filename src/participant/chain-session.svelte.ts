/**
 * The chain head as the page shows it: polled from the relay, and marked verified only when the
 * light client vouches for that very head. A head and its verdict are published together, so the
 * badge never sits next to a head it did not check.
 */
import { userMessage } from './errors.ts'
import type { ChainHead, RelayClient } from './relay-client.ts'
import type { VerifyHead } from './services.ts'

/** How often the head is polled, in milliseconds (about one block). */
export const HEAD_POLL_MS = 5_000
/** How often the light client's progress is read while it syncs, in milliseconds. */
export const SYNC_TICK_MS = 250
/** Fewest headers behind for the sync to show as a step of its own (following the tip is not one). */
export const SYNC_SHOWN_FROM = 20

export interface ChainSessionDeps {
  relay: RelayClient
  verifyHead: VerifyHead
  pollMs?: number
  /** Height of the last header the light client verified (-1 before the first), read while it syncs. */
  verifiedHeight?: () => number
}

/** Headers verified of those up to the relay's head, while the light client is far enough behind. */
export interface SyncProgress {
  done: number
  target: number
}

export class ChainSession {
  head = $state<ChainHead | null>(null)
  verified = $state(false)
  /** Why the last poll failed, or null; the last good head stays shown. */
  error = $state<string | null>(null)
  /** The light client catching up with the chain, or null when it is (nearly) at the head. */
  syncing = $state<SyncProgress | null>(null)

  readonly #deps: ChainSessionDeps
  #timer: ReturnType<typeof setInterval> | undefined
  #polling = false

  constructor (deps: ChainSessionDeps) {
    this.#deps = deps
  }

  async refresh (): Promise<void> {
    if (this.#polling) return
    this.#polling = true
    try {
      const head = await this.#deps.relay.getHealth()
      this.#noteSync(head.height)
      const ticker = setInterval(() => { this.#noteSync(head.height) }, SYNC_TICK_MS)
      const verified = await verifySafely(() => this.#deps.verifyHead(head)).finally(() => { clearInterval(ticker) })
      this.#noteSync(head.height)
      this.head = head
      this.verified = verified
      this.error = null
    } catch (err) {
      this.error = userMessage(err)
    } finally {
      this.#polling = false
    }
  }

  #noteSync (target: number): void {
    const read = this.#deps.verifiedHeight
    if (read === undefined) return
    const done = Math.max(0, read() + 1)
    const total = target + 1
    this.syncing = total - done >= SYNC_SHOWN_FROM ? { done, target: total } : null
  }

  start (): void {
    if (this.#timer !== undefined) return
    void this.refresh()
    this.#timer = setInterval(() => { void this.refresh() }, this.#deps.pollMs ?? HEAD_POLL_MS)
  }

  stop (): void {
    clearInterval(this.#timer)
    this.#timer = undefined
  }
}

/** A verifier that throws has not verified anything. */
export async function verifySafely (check: () => boolean | Promise<boolean>): Promise<boolean> {
  try {
    return await check() === true
  } catch {
    return false
  }
}
