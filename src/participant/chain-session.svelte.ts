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

export interface ChainSessionDeps {
  relay: RelayClient
  verifyHead: VerifyHead
  pollMs?: number
}

export class ChainSession {
  head = $state<ChainHead | null>(null)
  verified = $state(false)
  /** Why the last poll failed, or null; the last good head stays shown. */
  error = $state<string | null>(null)

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
      const verified = await verifySafely(() => this.#deps.verifyHead(head))
      this.head = head
      this.verified = verified
      this.error = null
    } catch (err) {
      this.error = userMessage(err)
    } finally {
      this.#polling = false
    }
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
