/**
 * The resource governor: the person's say over how much of their device the tab uses.
 *
 * Nothing runs before `consent()`. Work is handed over one unit at a time with `schedule()`; the
 * governor runs units one after another and rests between them so that the share of time spent
 * working stays within the budget (a duty cycle: 25, 50 or 100 %). Units may be of any length and
 * cannot be interrupted, so the accounting is a debt: a unit that was busy for `b` ms owes
 * `b·(1 − budget)/budget` ms of rest before the next one starts. Time without work (idle, paused,
 * or simply between calls) pays the debt, but never builds up credit, so a burst after a long
 * idle is held to the budget too. Over any window longer than a unit the busy share is therefore
 * at most the budget plus one unit's length divided by the window.
 *
 * The busy time of a unit is its wall-clock time: when a unit waits for a worker, that is the time
 * the worker was computing. With `threads` worker threads a unit uses up to `threads × budget` of
 * the device's cores on average; the engine reads `threads` when it sizes its WASM thread pool.
 *
 * The governor pauses between units while the tab is hidden or the device runs on battery, when
 * the person asked for that and the browser can tell (see governor-signals.ts); a unit already
 * running finishes first. It reports what it is doing as a status object; `subscribe` follows the
 * Svelte store contract, so a component can read it with `fromStore`.
 *
 * Clock, sleep and signals are components, so tests drive it with a fake clock without waiting.
 */
import { ConsentRequiredError, GovernorStoppedError, InvalidBudgetError } from './governor-errors.ts'

/** The budgets the page offers, as shares of time spent working. */
export const BUDGET_PRESETS = [0.25, 0.5, 1] as const

/** Span the reported busy fraction is measured over, in milliseconds: several units long, short enough to follow a budget change. */
export const DEFAULT_WINDOW_MS = 10_000

/** Rest shorter than this, in milliseconds, is carried over to the next unit instead of slept: timers cannot sleep less. */
export const MIN_REST_MS = 1

export type GovernorState =
  /** Nothing runs until the person presses Start. */
  | 'waiting-for-consent'
  /** Working on a unit, or ready for the next one. */
  | 'running'
  /** Resting to keep within the budget. */
  | 'resting'
  /** The person paused mining. */
  | 'paused-user'
  /** The tab is hidden and the person asked to mine only while it is visible. */
  | 'paused-hidden'
  /** The device runs on battery and the person asked not to mine then. */
  | 'paused-battery'
  /** Shut down for good. */
  | 'stopped'

/** What the browser says about power; 'unknown' when it does not say (no Battery Status API). */
export type BatteryState = 'charging' | 'discharging' | 'unknown'

/** A value the environment changes (tab visibility, battery), read now and followed. */
export interface Signal<T> {
  read(): T
  /** Calls `listener` after the value changed; returns the function that stops it. */
  onChange(listener: () => void): () => void
}

/** Sleeps `ms` milliseconds, or less when `signal` aborts; never rejects. `sleep(0)` still waits for a new task of the event loop. */
export type Sleep = (ms: number, signal: AbortSignal) => Promise<void>

export interface GovernorComponents {
  /** Monotonic time in milliseconds. */
  now: () => number
  sleep: Sleep
  /** Whether the tab is visible. */
  visibility: Signal<boolean>
  battery: Signal<BatteryState>
  /** Logical cores the browser reports; the most threads the engine may use. */
  hardwareConcurrency: number
}

export interface GovernorInit {
  /** Span of the reported busy fraction, in milliseconds (DEFAULT_WINDOW_MS). */
  windowMs?: number
}

/** What the person agreed to. */
export interface ConsentChoice {
  /** Share of time spent working, in (0, 1]. */
  budget: number
  /** Threads the engine may use; clamped to 1 … hardwareConcurrency; defaults to all cores but one. */
  threads?: number
  onlyWhenVisible: boolean
  pauseOnBattery: boolean
}

export interface GovernorStatus {
  state: GovernorState
  budget: number
  threads: number
  maxThreads: number
  onlyWhenVisible: boolean
  pauseOnBattery: boolean
  visible: boolean
  battery: BatteryState
  /** A unit is running now (it may finish while the governor is paused). */
  working: boolean
  /** Share of the last `windowMs` (or of the time since consent, if shorter) spent working. */
  busyFraction: number
  /** Units finished, whether they succeeded or threw. */
  unitsDone: number
  /** One sentence on what the governor is doing and why. */
  reason: string
}

export interface ScheduleOptions {
  /** false: reject with ConsentRequiredError instead of waiting when consent has not been given. */
  wait?: boolean
}

interface Unit {
  work: () => Promise<unknown>
  resolve: (value: unknown) => void
  reject: (reason: unknown) => void
}

/** What the consent form starts with: the lightest preset, and the two conditions on. */
export const DEFAULT_CONSENT: Readonly<Omit<ConsentChoice, 'threads'>> = { budget: BUDGET_PRESETS[0], onlyWhenVisible: true, pauseOnBattery: true }

/** All cores but one, so the page itself stays responsive. */
export function defaultThreads (maxThreads: number): number {
  return Math.max(1, maxThreads - 1)
}

function checkBudget (budget: number): number {
  if (!Number.isFinite(budget) || budget <= 0 || budget > 1) throw new InvalidBudgetError(budget)
  return budget
}

function changeSignal (): { promise: Promise<void>, resolve: () => void } {
  let resolve = (): void => {}
  const promise = new Promise<void>(r => { resolve = r })
  return { promise, resolve }
}

function percent (share: number): string {
  return `${Math.round(share * 100)} %`
}

export class Governor {
  readonly maxThreads: number
  private readonly windowMs: number
  private readonly unsubscribe: Array<() => void>
  private readonly listeners = new Set<(status: GovernorStatus) => void>()
  private settings: Required<ConsentChoice>
  private consented = false
  private userPaused = false
  private stopped = false
  private visible: boolean
  private battery: BatteryState
  private readonly queue: Unit[] = []
  private pumping = false
  private resting = false
  private restAbort: AbortController | null = null
  private working = false
  private workingSince = 0
  /** Busy milliseconds whose rest is still owed. */
  private owedBusyMs = 0
  /** When `owedBusyMs` was last brought up to date. */
  private settledAt: number
  /** Busy intervals that overlap the measuring window. */
  private busy: Array<{ start: number, end: number }> = []
  private measuredSince: number | null = null
  private unitsDone = 0
  /** Settles at the next change, for the loop to wait on while it is blocked. */
  private changed = changeSignal()
  private lastKey = ''

  constructor (private readonly components: GovernorComponents, init: GovernorInit = {}) {
    this.maxThreads = Math.max(1, Math.floor(components.hardwareConcurrency) || 1)
    this.windowMs = init.windowMs ?? DEFAULT_WINDOW_MS
    this.settings = { ...DEFAULT_CONSENT, threads: defaultThreads(this.maxThreads) }
    this.settledAt = components.now()
    this.visible = components.visibility.read()
    this.battery = components.battery.read()
    this.unsubscribe = [
      components.visibility.onChange(() => { this.visible = components.visibility.read(); this.wake() }),
      components.battery.onChange(() => { this.battery = components.battery.read(); this.wake() })
    ]
  }

  /** Threads the engine should use now. */
  get threads (): number {
    return this.settings.threads
  }

  get status (): GovernorStatus {
    const now = this.components.now()
    const state = this.state()
    return {
      state,
      budget: this.settings.budget,
      threads: this.settings.threads,
      maxThreads: this.maxThreads,
      onlyWhenVisible: this.settings.onlyWhenVisible,
      pauseOnBattery: this.settings.pauseOnBattery,
      visible: this.visible,
      battery: this.battery,
      working: this.working,
      busyFraction: this.busyFraction(now),
      unitsDone: this.unitsDone,
      reason: this.reason(state)
    }
  }

  /** Calls `listener` with the status now and after every change; returns the function that stops it (the Svelte store contract). */
  subscribe (listener: (status: GovernorStatus) => void): () => void {
    this.listeners.add(listener)
    listener(this.status)
    return () => { this.listeners.delete(listener) }
  }

  /** The person agreed (or changed what they agreed to); work may run from now on. */
  consent (choice: ConsentChoice): void {
    if (this.stopped) throw new GovernorStoppedError()
    this.settle(this.components.now())
    this.settings = {
      budget: checkBudget(choice.budget),
      threads: this.clampThreads(choice.threads ?? defaultThreads(this.maxThreads)),
      onlyWhenVisible: choice.onlyWhenVisible,
      pauseOnBattery: choice.pauseOnBattery
    }
    this.consented = true
    this.userPaused = false
    this.measuredSince ??= this.components.now()
    this.wake()
  }

  /** The person withdrew consent: nothing new starts until they agree again; queued work waits. */
  revoke (): void {
    this.consented = false
    this.wake()
  }

  pause (): void {
    this.userPaused = true
    this.wake()
  }

  resume (): void {
    this.userPaused = false
    this.wake()
  }

  setBudget (budget: number): void {
    checkBudget(budget)
    // Rest owed so far is valued at the old budget, from here on at the new one.
    this.settle(this.components.now())
    this.settings = { ...this.settings, budget }
    this.wake()
  }

  /** Sets the thread limit and returns it as clamped to 1 … maxThreads. */
  setThreads (threads: number): number {
    this.settings = { ...this.settings, threads: this.clampThreads(threads) }
    this.wake()
    return this.settings.threads
  }

  /**
   * Runs `work` when consent is given, nothing is paused and the rest owed is paid, one unit at a
   * time in the order asked; settles as `work` does.
   */
  schedule<T> (work: () => Promise<T>, options: ScheduleOptions = {}): Promise<T> {
    if (this.stopped) return Promise.reject(new GovernorStoppedError())
    if (!this.consented && options.wait === false) return Promise.reject(new ConsentRequiredError())
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ work, resolve: resolve as (value: unknown) => void, reject })
      void this.pump()
    })
  }

  /**
   * Milliseconds before a unit asked for now could start: the rest still owed, or Infinity while
   * something blocks work (no consent, paused, hidden, on battery, stopped). Units already queued
   * or running come first and are not counted. A solver with a deadline reads it to answer at
   * once rather than wait for a unit that could not start in time.
   */
  nextUnitInMs (): number {
    if (this.blockedBy() !== null) return Infinity
    return this.working ? 0 : this.restNeededMs()
  }

  /** Shuts the governor down for good: queued and later work is refused, the signals are let go. */
  stop (): void {
    if (this.stopped) return
    this.stopped = true
    for (const off of this.unsubscribe) off()
    for (const unit of this.queue.splice(0)) unit.reject(new GovernorStoppedError())
    this.wake()
  }

  private state (): GovernorState {
    return this.blockedBy() ?? (this.resting ? 'resting' : 'running')
  }

  /** Why no unit may start now, or null when one may. */
  private blockedBy (): GovernorState | null {
    if (this.stopped) return 'stopped'
    if (!this.consented) return 'waiting-for-consent'
    if (this.userPaused) return 'paused-user'
    if (this.settings.pauseOnBattery && this.battery === 'discharging') return 'paused-battery'
    if (this.settings.onlyWhenVisible && !this.visible) return 'paused-hidden'
    return null
  }

  private reason (state: GovernorState): string {
    const finishing = this.working ? ' The task under way finishes first.' : ''
    switch (state) {
      case 'waiting-for-consent': return 'Waiting for you to press Start; nothing runs before you agree.'
      case 'running': return this.working
        ? `Working, within ${percent(this.settings.budget)} of the time and ${this.settings.threads} of ${this.maxThreads} threads.`
        : 'Ready for the next task.'
      case 'resting': return `Resting, to keep work within ${percent(this.settings.budget)} of the time.`
      case 'paused-user': return `Paused by you; press Resume to continue.${finishing}`
      case 'paused-battery': return `Paused while this device runs on battery; mining resumes when it is plugged in.${finishing}`
      case 'paused-hidden': return `Paused while this tab is hidden; mining resumes when you come back to it.${finishing}`
      case 'stopped': return 'Stopped.'
    }
  }

  private clampThreads (threads: number): number {
    if (!Number.isFinite(threads)) return defaultThreads(this.maxThreads)
    return Math.min(this.maxThreads, Math.max(1, Math.floor(threads)))
  }

  /** Pays the owed rest with the time since the last settlement (none while a unit runs: that time is busy). */
  private settle (now: number): void {
    if (this.working) return
    const { budget } = this.settings
    this.owedBusyMs = budget >= 1 ? 0 : Math.max(0, this.owedBusyMs - (now - this.settledAt) * budget / (1 - budget))
    this.settledAt = now
  }

  private restNeededMs (): number {
    this.settle(this.components.now())
    const { budget } = this.settings
    const rest = budget >= 1 ? 0 : this.owedBusyMs * (1 - budget) / budget
    return rest < MIN_REST_MS ? 0 : rest
  }

  private busyFraction (now: number): number {
    if (this.measuredSince === null) return 0
    const from = Math.max(this.measuredSince, now - this.windowMs)
    const span = now - from
    if (span <= 0) return 0
    let busy = this.working ? now - Math.max(this.workingSince, from) : 0
    for (const { start, end } of this.busy) busy += Math.max(0, Math.min(end, now) - Math.max(start, from))
    return Math.min(1, busy / span)
  }

  /** Something changed: cut a rest short so the loop looks again, restart the loop if work waits, tell the subscribers. */
  private wake (): void {
    this.changed.resolve()
    this.changed = changeSignal()
    this.restAbort?.abort()
    if (this.queue.length > 0) void this.pump()
    this.publish()
  }

  private publish (): void {
    const status = this.status
    // The busy fraction moves with the clock; only the rest is a change worth telling.
    const key = JSON.stringify({ ...status, busyFraction: 0 })
    if (key === this.lastKey) return
    this.lastKey = key
    for (const listener of this.listeners) listener(status)
  }

  /** The one loop that starts units: while work is queued or rest is owed, wait, rest or run. */
  private async pump (): Promise<void> {
    if (this.pumping) return
    this.pumping = true
    try {
      while (!this.stopped) {
        const blocked = this.blockedBy() !== null
        if (blocked && this.queue.length === 0) break
        if (blocked) {
          await this.changed.promise
          continue
        }
        const rest = this.restNeededMs()
        if (rest > 0) {
          await this.rest(rest)
          continue
        }
        const unit = this.queue.shift()
        if (unit === undefined) break
        await this.run(unit)
        if (this.restNeededMs() === 0) await this.yieldTurn()
      }
    } finally {
      this.pumping = false
      this.publish()
    }
  }

  private async rest (ms: number): Promise<void> {
    const abort = new AbortController()
    this.restAbort = abort
    this.resting = true
    this.publish()
    try {
      await this.components.sleep(ms, abort.signal)
    } finally {
      this.resting = false
      this.restAbort = null
    }
  }

  /** Gives the event loop a turn: without it, units that never wait would hold the page at a 100 % budget. */
  private async yieldTurn (): Promise<void> {
    await this.components.sleep(0, new AbortController().signal)
  }

  private async run (unit: Unit): Promise<void> {
    const start = this.components.now()
    this.settle(start)
    this.working = true
    this.workingSince = start
    this.publish()
    try {
      unit.resolve(await unit.work())
    } catch (err) {
      unit.reject(err)
    } finally {
      const end = this.components.now()
      this.working = false
      this.owedBusyMs += end - start
      this.settledAt = end
      this.busy = this.busy.filter(interval => interval.end > end - this.windowMs)
      this.busy.push({ start, end })
      this.unitsDone++
      this.publish()
    }
  }
}
