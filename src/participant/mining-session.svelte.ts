/**
 * Mining as the page sees it: once the person has agreed (the governor's consent) and the wallet
 * is unlocked, the tab registers the wallet's first hotkey on the folding subnet and serves
 * validators' tasks, solving them within the person's budget; Stop (the governor's revoke) stops
 * it. The component shows these fields; the rules live here and in src/participant/agent/.
 *
 * Mining restarts the tab's node as the wallet's hotkey, so two tabs of one wallet should not mine
 * at once (they would share one peer id and one uid).
 */
import type { Wallet } from '../core/keys.ts'
import type { Governor } from '../inference/governor.ts'
import type { FoldingSolverOptions } from './agent/folding-solver.ts'
import type { MinerStatus } from './agent/miner.ts'
import { startMinerRole, type MinerRole } from './agent/tab-roles.ts'
import { userMessage } from './errors.ts'
import type { NetworkSession } from './network-session.svelte.ts'
import type { RelayClient } from './relay-client.ts'

/** The subnet the page mines. */
export const MINING_SUBNET = 'folding'

/**
 * Set on `window` before the page loads, with the test hooks flag, to make this tab a miner of a
 * given quality (browser tests of scoring); nothing in the app sets it.
 */
export const TEST_SOLVER_OPTIONS = '__tabtensorMinerSolver'

export type MiningState = 'idle' | 'starting' | 'mining' | 'failed'

export interface MiningSessionDeps {
  governor: Governor
  network: NetworkSession
  relay: RelayClient
  /** The unlocked wallet, or null. */
  wallet: () => Wallet | null
  log?: (line: string) => void
}

function testSolverOptions (): FoldingSolverOptions | undefined {
  const scope = globalThis as Record<string, unknown>
  if (scope.__tabtensorTestHooks !== true) return undefined
  return scope[TEST_SOLVER_OPTIONS] as FoldingSolverOptions | undefined
}

export class MiningSession {
  state = $state<MiningState>('idle')
  error = $state<string | null>(null)
  miner = $state<MinerStatus | null>(null)

  readonly #deps: MiningSessionDeps
  #role: MinerRole | null = null
  #unsubscribe: (() => void) | null = null
  readonly #offGovernor: () => void

  constructor (deps: MiningSessionDeps) {
    this.#deps = deps
    // Stop mining (the governor's revoke) also stops serving tasks.
    this.#offGovernor = deps.governor.subscribe(status => {
      if (status.state === 'waiting-for-consent' && this.#role !== null) void this.stop()
    })
  }

  /** Starts mining with the unlocked wallet; says what to do when there is none. */
  async start (): Promise<void> {
    if (this.state === 'starting' || this.state === 'mining') return
    const wallet = this.#deps.wallet()
    if (wallet === null) {
      this.state = 'failed'
      this.error = 'Unlock or create your wallet first: mining registers its key and pays its coldkey.'
      return
    }
    this.state = 'starting'
    this.error = null
    try {
      const role = await startMinerRole({
        network: this.#deps.network,
        relay: this.#deps.relay,
        wallet: { coldkey: wallet.coldkey, hotkey: wallet.hotkey(0) },
        subnet: MINING_SUBNET,
        governor: this.#deps.governor,
        log: this.#deps.log ?? (line => { console.log(line) }),
        solver: testSolverOptions()
      })
      this.#role = role
      this.#unsubscribe = role.agent.subscribe(status => {
        this.miner = status
        if (status.state === 'failed') {
          this.state = 'failed'
          this.error = status.error
        }
      })
      if (this.state === 'starting') this.state = 'mining'
    } catch (err) {
      this.state = 'failed'
      this.error = userMessage(err)
    }
  }

  async stop (): Promise<void> {
    const role = this.#role
    this.#role = null
    this.#unsubscribe?.()
    this.#unsubscribe = null
    await role?.stop()
    this.state = 'idle'
  }

  destroy (): void {
    this.#offGovernor()
    void this.stop()
  }
}
