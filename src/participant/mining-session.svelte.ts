/**
 * Mining as the page sees it: the person picks a subnet (folding, prices with the baseline model
 * or their own `.onnx`, storage within a quota they set); once they have agreed (the governor's
 * consent) and the wallet is unlocked, the tab registers the wallet's first hotkey on that subnet,
 * fetches what the subnet needs, and serves validators' tasks within the person's budget; Stop
 * (the governor's revoke) stops it. The component shows these fields; the rules live here and in src/participant/agent/.
 *
 * Mining restarts the tab's node as the wallet's hotkey, so two tabs of one wallet should not mine
 * at once (they would share one peer id and one uid).
 */
import type { Wallet } from '../core/keys.ts'
import type { Governor } from '../inference/governor.ts'
import type { FoldingSolverOptions } from './agent/folding-solver.ts'
import type { MinerStatus } from './agent/miner.ts'
import type { PricesSolverOptions } from './agent/prices-solver.ts'
import type { MinerRole } from './agent/tab-roles.ts'
import { DEFAULT_STORAGE_QUOTA, supportedSubnet, type SubnetName } from './agent/subnet-names.ts'
import { userMessage } from './errors.ts'
import { createMinerEpochsClient, type MinerEpochsClient } from './miner-epochs-client.ts'
import { MinerHistory } from './miner-history.svelte.ts'
import type { NetworkSession } from './network-session.svelte.ts'
import type { RelayClient } from './relay-client.ts'

/** The subnet the page mines unless the person picks another. */
export const MINING_SUBNET: SubnetName = 'folding'

/** Bytes in a MiB, the unit of the storage quota the person sets. */
export const MIB = 1024 * 1024

/** Largest model file the page takes for the prices subnet, in bytes. */
export const MAX_OWN_MODEL_BYTES = 64 * MIB

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
  /** The relay's per-epoch figures for the miner (default: the page's relay). */
  epochs?: MinerEpochsClient
}

/** Folding reads its solver's fields, prices its forecaster's. */
export type TestSolverOptions = FoldingSolverOptions & PricesSolverOptions

function testSolverOptions (): TestSolverOptions | undefined {
  const scope = globalThis as Record<string, unknown>
  if (scope.__tabtensorTestHooks !== true) return undefined
  return scope[TEST_SOLVER_OPTIONS] as TestSolverOptions | undefined
}

export class MiningSession {
  state = $state<MiningState>('idle')
  error = $state<string | null>(null)
  miner = $state<MinerStatus | null>(null)
  /** The subnet to mine; fixed while mining. */
  subnet = $state<SubnetName>(MINING_SUBNET)
  /** Storage: the most this tab may keep, in MiB. */
  storageQuotaMiB = $state(DEFAULT_STORAGE_QUOTA / MIB)
  /** Prices: the person's own model, instead of the subnet's baseline. */
  ownModel = $state<{ name: string, bytes: Uint8Array } | null>(null)
  /** Why the chosen model file was not taken. */
  modelError = $state<string | null>(null)
  /** Score, rank and earnings per epoch, once the miner holds a uid. */
  readonly history: MinerHistory

  readonly #deps: MiningSessionDeps
  #role: MinerRole | null = null
  #unsubscribe: (() => void) | null = null
  readonly #offGovernor: () => void

  constructor (deps: MiningSessionDeps) {
    this.#deps = deps
    this.history = new MinerHistory({ client: deps.epochs ?? createMinerEpochsClient(), subnets: async () => await deps.relay.getSubnets() })
    // Stop mining (the governor's revoke) also stops serving tasks.
    this.#offGovernor = deps.governor.subscribe(status => {
      if (status.state === 'waiting-for-consent' && this.#role !== null) void this.stop()
    })
  }

  choose (subnet: string): void {
    if (this.state === 'idle' || this.state === 'failed') {
      if (supportedSubnet(subnet)) this.subnet = subnet
    }
  }

  /** Takes the person's `.onnx` file for the prices subnet (null: back to the baseline). */
  async useModel (file: File | null): Promise<void> {
    this.modelError = null
    if (file === null) {
      this.ownModel = null
      return
    }
    if (file.size > MAX_OWN_MODEL_BYTES) {
      this.modelError = `${file.name} is ${Math.round(file.size / MIB)} MiB; choose a model of at most ${MAX_OWN_MODEL_BYTES / MIB} MiB.`
      return
    }
    this.ownModel = { name: file.name, bytes: new Uint8Array(await file.arrayBuffer()) }
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
      // The agent, its solvers and the inference engine load here: a visit that never mines never fetches them.
      const { startMinerRole } = await import('./agent/tab-roles.ts')
      const role = await startMinerRole({
        network: this.#deps.network,
        relay: this.#deps.relay,
        wallet: { coldkey: wallet.coldkey, hotkey: wallet.hotkey(0) },
        subnet: this.subnet,
        governor: this.#deps.governor,
        log: this.#deps.log ?? (line => { console.log(line) }),
        solver: testSolverOptions(),
        prices: { model: this.ownModel?.bytes, test: testSolverOptions() },
        storage: { quotaBytes: Math.max(0, Math.floor(this.storageQuotaMiB * MIB)) }
      })
      this.#role = role
      this.#unsubscribe = role.agent.subscribe(status => {
        this.miner = status
        if (status.uid !== null) this.history.follow(this.subnet, status.hotkey)
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
    this.history.stop()
    await role?.stop()
    this.state = 'idle'
  }

  destroy (): void {
    this.#offGovernor()
    void this.stop()
  }
}
