/**
 * The validator role for one subnet. It registers its hotkey and stakes to it (so the next epoch
 * gives it a validator permit), then runs rounds: the subnet's round plan (round-plan.ts) gives
 * each other uid a fresh task, sent over the task protocol; each answer is checked (judge.ts) and
 * handed back to the plan, which scores it now or once its truth has come (prices); every scored
 * uid's moving score is updated and saved; the scores gossiped. Beside the rounds, a weights loop
 * follows the subnet's epochs and commits, then reveals, the weights the moving scores imply
 * (weights-cycle.ts).
 *
 * A uid that cannot be reached, answers late, answers another task or signs with another key
 * scores zero for the round with the reason logged; nothing a miner sends stops a round.
 *
 * A miner that registers while a round is under way joins it, heard from the metagraph the
 * weights loop reads anyway: while the streams open, as a target like the others; while answers
 * come, when the plan allows (`RoundPlan.join`: the same task, its own full budget, scored with
 * the others). Such a plan's round also sends its task to the streams open after
 * ROUND_DIAL_WAIT_MS and to the others as theirs open, so a miner that went away (a dial that
 * runs to its timeout) holds back neither the others' tasks nor a newcomer's first one.
 */
import type { Stream } from '@libp2p/interface'
import { toAddress } from '../../core/address.ts'
import { toHex, fromHex } from '../../core/hash.ts'
import { weightsCommitHash } from '../../core/ledger/weights.ts'
import { RelayError } from '../errors.ts'
import { MAX_TASK_BUDGET_MS, RESULT_GRACE_MS, ROUND_DIAL_WAIT_MS } from './constants.ts'
import { judgeAnswer, missedAnswer } from './judge.ts'
import type { LedgerApi, Metagraph, NeuronView } from './ledger.ts'
import { ensureRegistered, ensureStake, LEDGER_POLL_MS, type Wallet } from './registration.ts'
import type { Answer, RoundPlan } from './round-plan.ts'
import { ScoreBook } from './score-book.ts'
import type { ScoreStore } from './score-store.ts'
import { encodeScores } from './scores-message.ts'
import { StatusStore } from './status-store.ts'
import { exchangeTask, openTaskStream, peerIdOfHotkey, tabDialAddrs, type TaskNode } from './stream.ts'
import { nextWeightsStep, type PendingCommit } from './weights-cycle.ts'
import { signTask } from './wire.ts'

/** Base units a validator stakes by default: enough for a permit on a young local network. */
export const DEFAULT_VALIDATOR_STAKE = 50_000_000_000n
/** Solving time granted per task by default, in ms. */
export const DEFAULT_TASK_BUDGET_MS = 8_000
/** Pause between two rounds, in ms. */
export const DEFAULT_ROUND_PAUSE_MS = 1_000

export interface ValidatorOptions {
  budgetMs?: number
  stake?: bigint
  roundPauseMs?: number
  pollMs?: number
}

export interface ValidatorDeps {
  node: TaskNode & { getConnections: (peer?: ReturnType<typeof peerIdOfHotkey>) => Array<{ status: string, limits?: unknown }> }
  /** The tab's gossip; scores are published on the subnet's scores topic when given. */
  gossip?: { join: (kind: { kind: 'scores', netuid: number }) => void, publish: (kind: { kind: 'scores', netuid: number }, payload: Uint8Array) => Promise<unknown> }
  relayAddrs: readonly string[]
  ledger: LedgerApi
  store: ScoreStore
  /** The subnet's round: what each miner is asked and how answers become scores. */
  plan: RoundPlan
  netuid: number
  wallet: Wallet
  log: (line: string) => void
}

export interface ValidatorStatus {
  state: 'joining' | 'validating' | 'stopped' | 'failed'
  uid: number | null
  permit: boolean
  rounds: number
  commits: number
  reveals: number
  error: string | null
}

export class ValidatorAgent extends StatusStore<ValidatorStatus> {
  readonly #deps: ValidatorDeps
  readonly #options: Required<ValidatorOptions>
  readonly #stop = new AbortController()
  #book = new ScoreBook()
  #pending: PendingCommit | null = null
  #committedAt = -1
  #weightsBusy = false
  #timer: ReturnType<typeof setInterval> | undefined
  /** The round waiting for answers: offered each metagraph the weights loop reads, to let newcomers join. */
  #inFlight: ((mg: Metagraph) => void) | null = null

  constructor (deps: ValidatorDeps, options: ValidatorOptions = {}) {
    super({ state: 'joining', uid: null, permit: false, rounds: 0, commits: 0, reveals: 0, error: null })
    this.#deps = deps
    this.#options = {
      budgetMs: Math.min(options.budgetMs ?? DEFAULT_TASK_BUDGET_MS, MAX_TASK_BUDGET_MS),
      stake: options.stake ?? DEFAULT_VALIDATOR_STAKE,
      roundPauseMs: options.roundPauseMs ?? DEFAULT_ROUND_PAUSE_MS,
      pollMs: options.pollMs ?? LEDGER_POLL_MS
    }
  }

  get hotkeyHex (): string {
    return toHex(this.#deps.wallet.hotkey.publicKey)
  }

  /** Joins the subnet, then validates until `stop()`; resolves when it stops. */
  async run (): Promise<void> {
    const { ledger, netuid, wallet, log, store } = this.#deps
    const signal = this.#stop.signal
    try {
      const uid = await ensureRegistered(ledger, netuid, wallet, { signal, pollMs: this.#options.pollMs })
      this.patch({ uid })
      log(`[validator] registered on subnet ${netuid} as uid ${uid}`)
      const stake = await ensureStake(ledger, netuid, wallet, this.#options.stake, { signal, pollMs: this.#options.pollMs })
      log(`[validator] ${stake} base units staked on ${toAddress(wallet.hotkey.publicKey)}`)
      const saved = await store.load(netuid, this.hotkeyHex)
      this.#book = new ScoreBook(saved?.entries ?? [])
      this.#pending = saved?.pending ?? null
      this.#committedAt = saved?.committedAt ?? -1
      this.#deps.gossip?.join({ kind: 'scores', netuid })
      this.patch({ state: 'validating' })
      this.#timer = setInterval(() => { void this.#weightsTick() }, this.#options.pollMs)
      while (!signal.aborted) {
        // A round that fails (the relay's feed or a bundle out of reach) is logged and tried again.
        await this.#round().catch((err: unknown) => { if (!signal.aborted) log(`[validator] round skipped: ${(err as Error).message}`) })
        await new Promise(resolve => setTimeout(resolve, this.#options.roundPauseMs))
      }
    } catch (err) {
      if (signal.aborted) return
      this.patch({ state: 'failed', error: (err as Error).message })
      log(`[validator] stopped: ${(err as Error).message}`)
    } finally {
      clearInterval(this.#timer)
    }
  }

  stop (): void {
    this.#stop.abort()
    clearInterval(this.#timer)
    this.patch({ state: 'stopped' })
  }

  async #save (): Promise<void> {
    await this.#deps.store.save(this.#deps.netuid, this.hotkeyHex, {
      entries: this.#book.entries(), pending: this.#pending, committedAt: this.#committedAt
    })
  }

  /** The way to reach `n`: its open direct connection, else a WebRTC dial through the relays. */
  #target (n: NeuronView): Parameters<TaskNode['dialProtocol']>[0] {
    const peer = peerIdOfHotkey(n.hotkey)
    const direct = this.#deps.node.getConnections(peer).some(c => c.status === 'open' && c.limits == null)
    return direct ? peer : tabDialAddrs(this.#deps.relayAddrs, peer)
  }

  async #round (): Promise<void> {
    const { ledger, netuid, wallet, plan, node, log } = this.#deps
    const mg = await ledger.metagraph(netuid)
    const self = this.value.uid
    this.#book.prune(new Map(mg.neurons.map(n => [n.uid, n.hotkey])))
    // Miners only: a uid with a validator permit has stake and validates; it answers no tasks.
    const targets = mg.neurons.filter(n => n.uid !== self && !n.validatorPermit)
    if (targets.length === 0) return
    const { chainId } = await ledger.head()
    const round = this.value.rounds + 1
    // Streams first, then the tasks: a task's deadline (storage's answer deadline, prices' commit
    // time) then measures the miner, not how long the dial took.
    const timeoutMs = this.#options.budgetMs + RESULT_GRACE_MS
    const open = async (n: NeuronView): Promise<Stream | Error> => await openTaskStream(node, this.#target(n), timeoutMs)
      .catch((err: unknown) => err instanceof Error ? err : new Error(String(err)))
    let tasks = new Map<number, Uint8Array>()
    const ask = async (n: NeuronView, stream: Stream | Error | undefined): Promise<Answer> => {
      const signed = signTask({ netuid, task: tasks.get(n.uid)!, validator: wallet.hotkey.publicKey, budgetMs: this.#options.budgetMs }, wallet.hotkey, chainId)
      try {
        if (stream instanceof Error) throw stream
        const bytes = await exchangeTask(stream!, signed, timeoutMs)
        return { uid: n.uid, hotkey: n.hotkey, verdict: judgeAnswer(signed, n.hotkey, bytes, chainId), receivedAt: Date.now() }
      } catch (err) {
        return { uid: n.uid, hotkey: n.hotkey, verdict: { ok: false as const, rejection: missedAnswer(err) }, receivedAt: Date.now() }
      }
    }
    const opening = targets.map(open)
    const pending: Array<Promise<Answer>> = []
    // A newcomer joins while streams open (a target like the others) or, when the plan allows,
    // while answers come (the round's task); only while the round is young, so its length stays bounded.
    let phase: 'dialling' | 'making tasks' | 'asking' = 'dialling'
    const joinUntil = Date.now() + timeoutMs
    const known = new Set(targets.map(n => n.uid))
    this.#inFlight = latest => {
      if (Date.now() > joinUntil) return
      for (const n of latest.neurons) {
        if (known.has(n.uid) || n.uid === self || n.validatorPermit) continue
        if (phase === 'dialling') {
          targets.push(n)
          opening.push(open(n))
        } else {
          const task = phase === 'asking' ? plan.join?.(n) : undefined
          if (task === undefined) continue
          tasks.set(n.uid, task)
          pending.push(open(n).then(async stream => await ask(n, stream)))
        }
        known.add(n.uid)
        log(`[validator] round ${round}: uid ${n.uid} registered and joins it`)
      }
    }
    // Both lists may grow while they are awaited; each phase ends when everything in it so far is
    // in, except that a plan that can hand its task to latecomers waits ROUND_DIAL_WAIT_MS at most
    // for streams: the targets still dialling then get the task when their stream opens.
    let dialWait: ReturnType<typeof setTimeout> | undefined
    const dialled = plan.join === undefined ? null : new Promise<undefined>(resolve => { dialWait = setTimeout(() => { resolve(undefined) }, ROUND_DIAL_WAIT_MS) })
    const streams: Array<Stream | Error> = []
    const answers: Answer[] = []
    try {
      for (let i = 0; i < opening.length; i++) {
        const stream = dialled === null ? await opening[i]! : await Promise.race([opening[i]!, dialled])
        if (stream === undefined) break
        streams.push(stream)
      }
      clearTimeout(dialWait)
      phase = 'making tasks'
      tasks = new Map(await plan.tasks(targets.slice(0, streams.length)))
      phase = 'asking'
      for (const [i, n] of targets.entries()) {
        if (i < streams.length) {
          if (tasks.has(n.uid)) pending.push(ask(n, streams[i]))
          continue
        }
        const task = plan.join?.(n)
        if (task === undefined) continue
        tasks.set(n.uid, task)
        pending.push(opening[i]!.then(async stream => await ask(n, stream)))
      }
      for (let i = 0; i < pending.length; i++) answers.push(await pending[i]!)
    } finally {
      clearTimeout(dialWait)
      this.#inFlight = null
    }
    // A target the plan gave no task gets its opened stream closed.
    for (const [i, n] of targets.entries()) {
      const stream = streams[i]
      if (!tasks.has(n.uid) && stream !== undefined && !(stream instanceof Error)) stream.abort(new Error('no task this round'))
    }
    for (const s of await plan.settle(tasks, answers)) {
      const standing = plan.standing?.(s)
      const entry = standing === undefined ? this.#book.update(s.uid, s.hotkey, s.score, s.reason) : this.#book.set(s.uid, s.hotkey, standing, s.score, s.reason)
      log(`[validator] round ${round} uid ${s.uid}: score ${s.score.toFixed(3)}, moving ${entry.ema.toFixed(3)}${s.reason === undefined ? '' : ` (${s.reason})`}`)
    }
    this.patch({ rounds: round })
    await this.#save()
    const entries = this.#book.entries()
    const storage = plan.storageReport?.(targets)
    if (storage !== undefined) log(`[validator] round ${round} storage: ${storage.uids.map((u, i) => `uid ${u} ${storage.bytes[i]} B held, ${storage.passes[i]}/${storage.trials[i]} passed`).join('; ')}`)
    await this.#deps.gossip?.publish({ kind: 'scores', netuid }, encodeScores({
      netuid, round, uids: entries.map(e => e.uid), scores: entries.map(e => Math.round(e.ema * 65535)), storage
    })).catch(() => {})
  }

  /** Commits or reveals when the epoch calls for it; one step at a time. */
  async #weightsTick (): Promise<void> {
    if (this.#weightsBusy || this.#stop.signal.aborted) return
    this.#weightsBusy = true
    try {
      const mg = await this.#deps.ledger.metagraph(this.#deps.netuid)
      this.#inFlight?.(mg)
      await this.#weightsStep(mg)
    } catch (err) {
      this.#deps.log(`[validator] weights: ${(err as Error).message}`)
    } finally {
      this.#weightsBusy = false
    }
  }

  async #weightsStep (mg: Metagraph): Promise<void> {
    const { ledger, netuid, wallet, log } = this.#deps
    const uid = this.value.uid
    const permit = mg.neurons.find(n => n.uid === uid)?.validatorPermit === true
    if (permit !== this.value.permit) this.patch({ permit })
    const step = nextWeightsStep({ epochBlock: mg.lastEpochBlock, permit, pending: this.#pending, committedAt: this.#committedAt, weights: this.#book.weights(uid ?? undefined) })
    if (step.kind === 'reveal') {
      const c = step.commit
      try {
        await ledger.send(wallet.hotkey, { kind: 'reveal_weights', netuid, uids: c.uids, weights: c.weights, salt: fromHex(c.salt) })
        this.patch({ reveals: this.value.reveals + 1 })
        log(`[validator] revealed weights on ${c.uids.length} uids after the epoch at block ${mg.lastEpochBlock}`)
        this.#pending = null
      } catch (err) {
        // A commit that landed after the epoch it was meant for is revealed at the next one.
        if (err instanceof RelayError && err.code === 'REVEAL_TOO_EARLY') this.#pending = { ...c, epochBlock: mg.lastEpochBlock }
        else {
          this.#pending = null
          log(`[validator] reveal refused: ${(err as Error).message}`)
        }
      }
      await this.#save()
    } else if (step.kind === 'commit') {
      const salt = crypto.getRandomValues(new Uint8Array(32))
      const { uids, weights } = step.weights
      await ledger.send(wallet.hotkey, { kind: 'commit_weights', netuid, commit: weightsCommitHash(netuid, wallet.hotkey.publicKey, uids, weights, salt) })
      this.#pending = { uids, weights, salt: toHex(salt), epochBlock: mg.lastEpochBlock }
      this.#committedAt = mg.lastEpochBlock
      this.patch({ commits: this.value.commits + 1 })
      log(`[validator] committed weights on ${uids.length} uids (epoch block ${mg.lastEpochBlock})`)
      await this.#save()
    }
  }
}
