/**
 * The miner role for one subnet. It registers its hotkey by proof of work and serves the task
 * protocol (from the start when the subnet has nothing to prepare, else once prepared): a task
 * signed by a hotkey registered on the subnet is solved by the subnet's solver (within the
 * person's budget, through the governor) until its budget is spent, and the result goes back
 * signed by the miner's hotkey for that very task. It reads the validators' gossiped scores to
 * show its own.
 *
 * Refusals (a bad signature, another subnet, an unknown validator, too many tasks at once) go back
 * as an error frame at once, so the validator logs why instead of waiting out the deadline.
 */
import { toAddress } from '../../core/address.ts'
import { equalBytes } from '../../core/hash.ts'
import { MAX_PENDING_TASKS, MINER_MARGIN_MS } from './constants.ts'
import { AgentError } from './errors.ts'
import type { LedgerApi } from './ledger.ts'
import { ensureRegistered, type Wallet } from './registration.ts'
import { decodeScores } from './scores-message.ts'
import type { SolverProgress, TaskSolver } from './solver.ts'
import { StatusStore } from './status-store.ts'
import { serveTasks, type TaskNode } from './stream.ts'
import { signResult, taskRef, verifyTask, type SignedTask } from './wire.ts'

/** How long the miner trusts its copy of the metagraph when checking who sends tasks, in ms. */
const METAGRAPH_TTL_MS = 10_000

export interface MinerStatus {
  state: 'registering' | 'preparing' | 'waiting' | 'solving' | 'stopped' | 'failed'
  hotkey: string
  uid: number | null
  /** Proof-of-work attempts made and expected, while registering. */
  pow: { attempts: number, expected: number } | null
  /** Getting ready after registering (the subnet's bundle: a model, shards), with its progress. */
  preparing: { summary: string, done: number, total: number } | null
  /** What the tab holds for its subnet once ready, in a line (the model loaded, the shards held). */
  holding: string | null
  /** The task being solved: who sent it, and how far the solver is. */
  task: { validator: string, progress: SolverProgress } | null
  tasksDone: number
  /** The latest moving score a validator gossiped for this uid, in [0, 1]. */
  lastScore: { score: number, validator: string } | null
  error: string | null
}

export interface MinerDeps {
  node: TaskNode
  gossip?: {
    join: (kind: { kind: 'scores', netuid: number }) => void
    subscribe: (kind: { kind: 'scores', netuid: number }, handler: (m: { from: Uint8Array, payload: Uint8Array }) => void) => () => void
  }
  ledger: LedgerApi
  netuid: number
  wallet: Wallet
  solver: TaskSolver
  /** Run once registered and before serving tasks: fetch the subnet's bundle, load the model, store the shards. Returns what the tab holds. */
  prepare?: (onProgress: (p: { summary: string, done: number, total: number }) => void, signal: AbortSignal) => Promise<string>
  log: (line: string) => void
}

export class MinerAgent extends StatusStore<MinerStatus> {
  readonly #deps: MinerDeps
  readonly #stop = new AbortController()
  #pending = 0
  #validators: { at: number, hotkeys: Uint8Array[] } = { at: -Infinity, hotkeys: [] }
  #cleanup: Array<() => unknown> = []

  constructor (deps: MinerDeps) {
    super({ state: 'registering', hotkey: toAddress(deps.wallet.hotkey.publicKey), uid: null, pow: null, preparing: null, holding: null, task: null, tasksDone: 0, lastScore: null, error: null })
    this.#deps = deps
  }

  /** Registers (if needed) and starts serving tasks. */
  async start (): Promise<void> {
    const { ledger, netuid, wallet, log, node, gossip } = this.#deps
    const serve = async (): Promise<void> => { this.#cleanup.push(await serveTasks(node, async task => await this.#answer(task))) }
    try {
      // With nothing to prepare, tasks are served while registering: a validator may see the
      // registration on the ledger before this tab does, and ask at once.
      const early = this.#deps.prepare === undefined
      if (early) await serve()
      const uid = await ensureRegistered(ledger, netuid, wallet, {
        signal: this.#stop.signal,
        onPow: (attempts, expected) => { this.patch({ pow: { attempts, expected } }) }
      })
      this.patch({ uid, pow: null })
      log(`[miner] registered on subnet ${netuid} as uid ${uid}`)
      if (this.#deps.prepare !== undefined) {
        this.patch({ state: 'preparing' })
        const holding = await this.#deps.prepare(preparing => { this.patch({ preparing }) }, this.#stop.signal)
        this.patch({ preparing: null, holding })
        log(`[miner] ready: ${holding}`)
      }
      this.patch({ state: this.#pending > 0 ? 'solving' : 'waiting' })
      if (!early) await serve()
      if (gossip !== undefined) {
        gossip.join({ kind: 'scores', netuid })
        this.#cleanup.push(gossip.subscribe({ kind: 'scores', netuid }, m => { this.#onScores(m.from, m.payload) }))
      }
    } catch (err) {
      if (this.#stop.signal.aborted) return
      this.patch({ state: 'failed', error: (err as Error).message })
      log(`[miner] ${(err as Error).message}`)
    }
  }

  async stop (): Promise<void> {
    this.#stop.abort()
    for (const undo of this.#cleanup.splice(0)) await undo()
    this.patch({ state: 'stopped', task: null })
  }

  async #isRegistered (hotkey: Uint8Array): Promise<boolean> {
    const known = (): boolean => this.#validators.hotkeys.some(h => equalBytes(h, hotkey))
    if (known()) return true
    if (Date.now() - this.#validators.at < METAGRAPH_TTL_MS) return false
    const mg = await this.#deps.ledger.metagraph(this.#deps.netuid)
    this.#validators = { at: Date.now(), hotkeys: mg.neurons.map(n => n.hotkey) }
    return known()
  }

  async #answer (task: SignedTask): Promise<Uint8Array> {
    const { netuid, wallet, solver, ledger, log } = this.#deps
    if (this.value.state === 'stopped') throw new AgentError('BUSY', 'This miner has stopped.')
    if (task.body.netuid !== netuid) throw new AgentError('WRONG_SUBNET', `This tab mines subnet ${netuid}, not ${task.body.netuid}.`)
    const { chainId } = await ledger.head()
    if (!verifyTask(task, chainId)) throw new AgentError('BAD_SIGNATURE', 'The task\'s signature does not verify for the validator it names.')
    if (!(await this.#isRegistered(task.body.validator))) throw new AgentError('WRONG_SIGNER', 'Tasks are taken only from hotkeys registered on this subnet.')
    if (this.#pending >= MAX_PENDING_TASKS) throw new AgentError('BUSY', `This miner already holds ${MAX_PENDING_TASKS} tasks; ask again later.`)
    this.#pending++
    const validator = toAddress(task.body.validator)
    try {
      const deadline = Date.now() + task.body.budgetMs - MINER_MARGIN_MS
      this.patch({ state: 'solving' })
      const result = await solver.solve(task.body.task, deadline, progress => { this.patch({ task: { validator, progress } }) })
      const signed = signResult({ netuid, task: taskRef(task), result, miner: wallet.hotkey.publicKey }, wallet.hotkey, chainId)
      this.patch({ tasksDone: this.value.tasksDone + 1 })
      log(`[miner] answered a task of ${validator}: ${this.value.task?.progress.summary ?? ''}`)
      return signed.bytes
    } finally {
      this.#pending--
      if (this.#pending === 0 && this.value.state === 'solving') this.patch({ state: 'waiting' })
    }
  }

  #onScores (from: Uint8Array, payload: Uint8Array): void {
    const uid = this.value.uid
    if (uid === null) return
    try {
      const m = decodeScores(payload)
      const i = m.uids.indexOf(uid)
      if (m.netuid !== this.#deps.netuid || i < 0) return
      this.patch({ lastScore: { score: m.scores[i]! / 65535, validator: toAddress(from) } })
    } catch {
      // The hub already checked the envelope; a payload this tab cannot read is simply not shown.
    }
  }
}
