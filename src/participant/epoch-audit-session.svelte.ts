/**
 * The epochs this tab has checked itself: it polls each subnet's recent epochs and audits the
 * ones it has not judged yet, newest first, keeping a verdict per epoch.
 */
import type { RelayClient } from './relay-client.ts'
import type { EpochVerdict } from './epoch-audit.ts'
import type { AuditEpoch } from './services.ts'

/** How often new epochs are looked for, in milliseconds. */
export const EPOCH_POLL_MS = 10_000
/** Verdicts shown per subnet. */
export const VERDICTS_PER_SUBNET = 5

export interface EpochAuditDeps {
  relay: RelayClient
  auditEpoch: AuditEpoch
  pollMs?: number
}

export interface SubnetVerdicts { netuid: number, name: string, verdicts: EpochVerdict[] }

export class EpochAuditSession {
  subnets = $state<SubnetVerdicts[]>([])
  error = $state<string | null>(null)

  readonly #deps: EpochAuditDeps
  readonly #judged = new Map<string, EpochVerdict>()
  #timer: ReturnType<typeof setInterval> | undefined
  #busy = false

  constructor (deps: EpochAuditDeps) {
    this.#deps = deps
  }

  async refresh (): Promise<void> {
    if (this.#busy) return
    this.#busy = true
    try {
      const next: SubnetVerdicts[] = []
      for (const { netuid, name } of await this.#deps.relay.getSubnets()) {
        const heights = (await this.#deps.relay.getEpochs(netuid)).slice(-VERDICTS_PER_SUBNET).reverse()
        const verdicts: EpochVerdict[] = []
        for (const height of heights) {
          const id = `${netuid}/${height}`
          let verdict = this.#judged.get(id)
          if (verdict === undefined) {
            verdict = await this.#deps.auditEpoch(netuid, height)
            // An epoch whose proofs could not be had is asked for again next time.
            if (verdict.status !== 'unavailable') this.#judged.set(id, verdict)
          }
          verdicts.push(verdict)
        }
        next.push({ netuid, name, verdicts })
      }
      this.subnets = next
      this.error = null
    } catch (err) {
      this.error = (err as Error).message
    } finally {
      this.#busy = false
    }
  }

  start (): void {
    if (this.#timer !== undefined) return
    void this.refresh()
    this.#timer = setInterval(() => { void this.refresh() }, this.#deps.pollMs ?? EPOCH_POLL_MS)
  }

  stop (): void {
    clearInterval(this.#timer)
    this.#timer = undefined
  }
}
