import { describe, expect, it } from 'vitest'
import { Governor, type BatteryState, type GovernorComponents, type GovernorStatus, type Signal, type Sleep } from '../../../src/inference/governor.ts'
import { ConsentRequiredError, GovernorStoppedError, InvalidBudgetError } from '../../../src/inference/governor-errors.ts'
import type { Gate } from '../../../src/inference/engine.ts'

/** Span the tests measure busy fractions over, in virtual milliseconds. */
const WINDOW_MS = 10_000

/** Virtual time: sleeps are timers that `settle` fires in order; work advances the clock by itself. */
class FakeTime {
  t = 0
  private timers: Array<{ at: number, fire: () => void }> = []
  readonly now = (): number => this.t
  readonly sleep: Sleep = (ms, signal) => new Promise(resolve => {
    if (signal.aborted) return resolve()
    const timer = { at: this.t + ms, fire: resolve }
    this.timers.push(timer)
    signal.addEventListener('abort', () => {
      this.timers = this.timers.filter(t => t !== timer)
      resolve()
    })
  })

  /** Fires timers in time order until `promise` settles; fails if it waits on something no timer brings. */
  async settle<T> (promise: Promise<T>): Promise<T> {
    let done = false
    const watched = promise.finally(() => { done = true })
    watched.catch(() => {})
    for (;;) {
      await flush()
      if (done) return await watched
      this.timers.sort((a, b) => a.at - b.at)
      const next = this.timers.shift()
      if (next === undefined) throw new Error('the promise waits for something other than time')
      this.t = Math.max(this.t, next.at)
      next.fire()
    }
  }

  /** Fires every timer due within the next `ms` and moves the clock on by `ms`. */
  async advance (ms: number): Promise<void> {
    const until = this.t + ms
    for (;;) {
      await flush()
      this.timers.sort((a, b) => a.at - b.at)
      const next = this.timers[0]
      if (next === undefined || next.at > until) break
      this.timers.shift()
      this.t = Math.max(this.t, next.at)
      next.fire()
    }
    this.t = until
    await flush()
  }
}

async function flush (): Promise<void> {
  await new Promise(resolve => setImmediate(resolve))
}

/** A signal the test sets. */
class FakeSignal<T> implements Signal<T> {
  private listeners = new Set<() => void>()
  constructor (private value: T) {}
  read (): T { return this.value }
  onChange (listener: () => void): () => void {
    this.listeners.add(listener)
    return () => { this.listeners.delete(listener) }
  }

  set (value: T): void {
    this.value = value
    for (const listener of this.listeners) listener()
  }
}

function setup (opts: { battery?: BatteryState, cores?: number } = {}): { time: FakeTime, visible: FakeSignal<boolean>, battery: FakeSignal<BatteryState>, governor: Governor } {
  const time = new FakeTime()
  const visible = new FakeSignal(true)
  const battery = new FakeSignal<BatteryState>(opts.battery ?? 'charging')
  const components: GovernorComponents = { now: time.now, sleep: time.sleep, visibility: visible, battery, hardwareConcurrency: opts.cores ?? 4 }
  return { time, visible, battery, governor: new Governor(components, { windowMs: WINDOW_MS }) }
}

const AGREE = { onlyWhenVisible: true, pauseOnBattery: true } as const

interface Interval { start: number, end: number }

/** Queues one unit per length, each busy for that many virtual ms; resolves with when each ran. */
function queueUnits (time: FakeTime, governor: Governor, lengths: number[]): Promise<Interval[]> {
  return Promise.all(lengths.map(ms => governor.schedule(async () => {
    const start = time.t
    time.t += ms
    return { start, end: time.t }
  })))
}

/** Busy share of [to − span, to]. */
function busyShare (intervals: Interval[], to: number, span: number): number {
  const from = to - span
  let busy = 0
  for (const { start, end } of intervals) busy += Math.max(0, Math.min(end, to) - Math.max(start, from))
  return busy / span
}

/** Highest busy share over any window of WINDOW_MS ending at a unit's end, once a full window has passed. */
function worstWindowShare (intervals: Interval[]): number {
  const first = intervals[0]?.start ?? 0
  let worst = 0
  for (const { end } of intervals) if (end - first >= WINDOW_MS) worst = Math.max(worst, busyShare(intervals, end, WINDOW_MS))
  return worst
}

/** A deterministic spread of unit lengths between `min` and `max` ms. */
function spread (count: number, min: number, max: number): number[] {
  let x = 12345
  return Array.from({ length: count }, () => {
    x = (x * 1103515245 + 12345) % 2 ** 31
    return min + Math.floor((x / 2 ** 31) * (max - min))
  })
}

describe('Governor', () => {
  describe('consent', () => {
    it('runs nothing before consent, then runs what was queued', async () => {
      const { time, governor } = setup()
      let ran = 0
      const done = governor.schedule(async () => { ran++ })
      await time.advance(60_000)
      expect(ran).toBe(0)
      expect(governor.status.state).toBe('waiting-for-consent')
      governor.consent({ budget: 0.5, ...AGREE })
      await time.settle(done)
      expect(ran).toBe(1)
    })

    it('rejects work with ConsentRequiredError when the caller does not want to wait', async () => {
      const { governor } = setup()
      let ran = false
      const refused = governor.schedule(async () => { ran = true }, { wait: false })
      await expect(refused).rejects.toBeInstanceOf(ConsentRequiredError)
      await expect(refused).rejects.toMatchObject({ code: 'CONSENT_REQUIRED' })
      expect(ran).toBe(false)
    })

    it('starts nothing new after consent is revoked, and continues when it is given again', async () => {
      const { time, governor } = setup()
      governor.consent({ budget: 1, ...AGREE })
      await time.settle(governor.schedule(async () => {}))
      governor.revoke()
      expect(governor.status.state).toBe('waiting-for-consent')
      let ran = false
      const later = governor.schedule(async () => { ran = true })
      await time.advance(60_000)
      expect(ran).toBe(false)
      governor.consent({ budget: 1, ...AGREE })
      await time.settle(later)
      expect(ran).toBe(true)
    })

    it('refuses queued and later work once stopped', async () => {
      const { time, governor } = setup()
      let ran = false
      const queued = governor.schedule(async () => { ran = true })
      governor.stop()
      await expect(queued).rejects.toBeInstanceOf(GovernorStoppedError)
      await expect(governor.schedule(async () => {})).rejects.toMatchObject({ code: 'GOVERNOR_STOPPED' })
      await time.advance(1_000)
      expect(ran).toBe(false)
      expect(governor.status.state).toBe('stopped')
    })

    it('refuses a budget outside (0, 1] with InvalidBudgetError', () => {
      const { governor } = setup()
      for (const budget of [0, -0.5, 1.5, Number.NaN]) {
        expect(() => { governor.consent({ budget, ...AGREE }) }).toThrow(InvalidBudgetError)
      }
      expect(governor.status.state).toBe('waiting-for-consent')
    })
  })

  describe('duty cycle', () => {
    // Over a window of W ms the busy share can exceed the budget by at most one unit's length / W
    // (the window may catch a unit without its rest); 0.005 more for rounding.
    const tolerance = (unitMs: number): number => unitMs / WINDOW_MS + 0.005

    for (const budget of [0.5, 0.25]) {
      for (const unitMs of [5, 40, 250, 1_000, 2_500]) {
        it(`keeps the busy share at ${budget * 100} % with ${unitMs} ms units`, async () => {
          const { time, governor } = setup()
          governor.consent({ budget, ...AGREE })
          const count = Math.ceil((4 * WINDOW_MS * budget) / unitMs)
          const ran = await time.settle(queueUnits(time, governor, Array(count).fill(unitMs)))
          expect(worstWindowShare(ran)).toBeLessThanOrEqual(budget + tolerance(unitMs))
          expect(busyShare(ran, time.t, WINDOW_MS)).toBeCloseTo(budget, 1)
          expect(Math.abs(busyShare(ran, time.t, WINDOW_MS) - budget)).toBeLessThanOrEqual(tolerance(unitMs))
          expect(Math.abs(governor.status.busyFraction - budget)).toBeLessThanOrEqual(tolerance(unitMs))
          expect(governor.status.unitsDone).toBe(count)
        })
      }
    }

    it('keeps the busy share at 50 % with units of mixed lengths', async () => {
      const { time, governor } = setup()
      governor.consent({ budget: 0.5, ...AGREE })
      const lengths = spread(120, 3, 600)
      const ran = await time.settle(queueUnits(time, governor, lengths))
      expect(worstWindowShare(ran)).toBeLessThanOrEqual(0.5 + tolerance(600))
      expect(Math.abs(governor.status.busyFraction - 0.5)).toBeLessThanOrEqual(tolerance(600))
    })

    it('follows a unit longer than the window with proportional rest', async () => {
      const { time, governor } = setup()
      governor.consent({ budget: 0.25, ...AGREE })
      const [first, second] = await time.settle(queueUnits(time, governor, [15_000, 15_000]))
      // 15 s busy at 25 % owes 45 s of rest.
      expect(second!.start - first!.end).toBeCloseTo(45_000, 6)
    })

    it('does not let idle time build credit for a burst', async () => {
      const { time, governor } = setup()
      governor.consent({ budget: 0.5, ...AGREE })
      await time.advance(120_000)
      const ran = await time.settle(queueUnits(time, governor, Array(100).fill(200)))
      expect(worstWindowShare(ran)).toBeLessThanOrEqual(0.5 + tolerance(200))
      // The first two units are already a unit and its rest apart.
      expect(ran[1]!.start - ran[0]!.end).toBeCloseTo(200, 6)
    })

    it('never rests at a 100 % budget', async () => {
      const { time, governor } = setup()
      governor.consent({ budget: 1, ...AGREE })
      const ran = await time.settle(queueUnits(time, governor, Array(50).fill(300)))
      expect(ran.at(-1)!.end - ran[0]!.start).toBe(50 * 300)
      expect(governor.status.busyFraction).toBeCloseTo(1, 6)
    })

    it('gives the event loop a turn after each unit when no rest is due', async () => {
      const time = new FakeTime()
      const turns: number[] = []
      const sleep: Sleep = async (ms, signal) => {
        if (ms === 0) turns.push(time.t)
        await time.sleep(ms, signal)
      }
      const governor = new Governor({ now: time.now, sleep, visibility: new FakeSignal(true), battery: new FakeSignal<BatteryState>('charging'), hardwareConcurrency: 4 })
      governor.consent({ budget: 1, ...AGREE })
      await time.settle(queueUnits(time, governor, [100, 100, 100]))
      expect(turns).toEqual([100, 200, 300])
    })

    it('cuts a rest short when the budget is raised', async () => {
      const { time, governor } = setup()
      governor.consent({ budget: 0.25, ...AGREE })
      await time.settle(governor.schedule(async () => { time.t += 1_000 }))
      await time.advance(500)
      expect(governor.status.state).toBe('resting')
      governor.setBudget(1)
      await flush()
      expect(governor.status.state).toBe('running')
      const second = governor.schedule(async () => time.t)
      expect(await time.settle(second)).toBe(1_500)
    })

    it('counts a unit that throws and passes its error to the caller', async () => {
      const { time, governor } = setup()
      governor.consent({ budget: 1, ...AGREE })
      const failing = governor.schedule(async () => { throw new Error('solver failed') })
      await expect(time.settle(failing)).rejects.toThrow('solver failed')
      expect(await time.settle(governor.schedule(async () => 'next'))).toBe('next')
      expect(governor.status.unitsDone).toBe(2)
    })
  })

  describe('pauses', () => {
    it('pauses while the tab is hidden and resumes when it is visible again', async () => {
      const { time, visible, governor } = setup()
      governor.consent({ budget: 1, ...AGREE })
      visible.set(false)
      expect(governor.status.state).toBe('paused-hidden')
      let ran = false
      const queued = governor.schedule(async () => { ran = true })
      await time.advance(60_000)
      expect(ran).toBe(false)
      visible.set(true)
      await time.settle(queued)
      expect(ran).toBe(true)
      expect(governor.status.state).toBe('running')
    })

    it('keeps running in a hidden tab when the person did not ask to pause', async () => {
      const { time, visible, governor } = setup()
      governor.consent({ budget: 1, onlyWhenVisible: false, pauseOnBattery: true })
      visible.set(false)
      expect(await time.settle(governor.schedule(async () => 'ran'))).toBe('ran')
    })

    it('pauses on battery and resumes when the device charges', async () => {
      const { time, battery, governor } = setup()
      governor.consent({ budget: 1, ...AGREE })
      battery.set('discharging')
      expect(governor.status).toMatchObject({ state: 'paused-battery', battery: 'discharging' })
      let ran = false
      const queued = governor.schedule(async () => { ran = true })
      await time.advance(60_000)
      expect(ran).toBe(false)
      battery.set('charging')
      await time.settle(queued)
      expect(ran).toBe(true)
    })

    it('never pauses for battery when the browser cannot tell, and says so', async () => {
      const { time, governor } = setup({ battery: 'unknown' })
      governor.consent({ budget: 1, ...AGREE })
      expect(governor.status).toMatchObject({ state: 'running', battery: 'unknown', pauseOnBattery: true })
      expect(await time.settle(governor.schedule(async () => 'ran'))).toBe('ran')
    })

    it('lets a unit under way finish when the tab is hidden, then starts no other', async () => {
      const { time, visible, governor } = setup()
      governor.consent({ budget: 1, ...AGREE })
      const started: number[] = []
      const first = governor.schedule(async () => {
        started.push(1)
        visible.set(false)
        expect(governor.status.reason).toMatch(/finishes first/)
      })
      const second = governor.schedule(async () => { started.push(2) })
      await time.settle(first)
      await time.advance(10_000)
      expect(started).toEqual([1])
      visible.set(true)
      await time.settle(second)
      expect(started).toEqual([1, 2])
    })

    it('pauses and resumes when the person asks', async () => {
      const { time, governor } = setup()
      governor.consent({ budget: 1, ...AGREE })
      governor.pause()
      expect(governor.status.state).toBe('paused-user')
      let ran = false
      const queued = governor.schedule(async () => { ran = true })
      await time.advance(10_000)
      expect(ran).toBe(false)
      governor.resume()
      await time.settle(queued)
      expect(ran).toBe(true)
    })
  })

  describe('threads', () => {
    it('uses all cores but one by default and clamps the limit to the cores the browser reports', () => {
      const { governor } = setup({ cores: 8 })
      expect(governor.maxThreads).toBe(8)
      expect(governor.threads).toBe(7)
      governor.consent({ budget: 0.5, threads: 32, ...AGREE })
      expect(governor.threads).toBe(8)
      expect(governor.setThreads(0)).toBe(1)
      expect(governor.setThreads(2.7)).toBe(2)
      expect(governor.status).toMatchObject({ threads: 2, maxThreads: 8 })
    })

    it('is the gate the inference engine asks for, with the thread limit the person set', () => {
      const { governor } = setup({ cores: 8 })
      governor.consent({ budget: 0.5, threads: 3, ...AGREE })
      const gate: Gate = governor
      expect(gate.threads).toBe(3)
    })

    it('allows one thread on a single-core device', () => {
      const { governor } = setup({ cores: 1 })
      expect(governor.threads).toBe(1)
    })
  })

  describe('status', () => {
    it('reports each step of a unit, in order', async () => {
      const { time, governor } = setup()
      const seen: Array<Pick<GovernorStatus, 'state' | 'working' | 'unitsDone'>> = []
      governor.subscribe(({ state, working, unitsDone }) => { seen.push({ state, working, unitsDone }) })
      governor.consent({ budget: 0.5, ...AGREE })
      await time.settle(governor.schedule(async () => { time.t += 100 }))
      await time.advance(1_000)
      expect(seen).toEqual([
        { state: 'waiting-for-consent', working: false, unitsDone: 0 },
        { state: 'running', working: false, unitsDone: 0 },
        { state: 'running', working: true, unitsDone: 0 },
        { state: 'running', working: false, unitsDone: 1 },
        { state: 'resting', working: false, unitsDone: 1 },
        { state: 'running', working: false, unitsDone: 1 }
      ])
    })

    it('stops telling a listener that unsubscribed', () => {
      const { governor } = setup()
      const states: string[] = []
      const off = governor.subscribe(status => { states.push(status.state) })
      off()
      governor.consent({ budget: 0.5, ...AGREE })
      expect(states).toEqual(['waiting-for-consent'])
    })
  })
})

describe('Governor.nextUnitInMs', () => {
  it('is the rest a finished unit owes, less what has been paid, and Infinity while paused or before consent', async () => {
    const { time, visible, governor } = setup()
    expect(governor.nextUnitInMs()).toBe(Infinity)
    governor.consent({ budget: 0.25, ...AGREE })
    expect(governor.nextUnitInMs()).toBe(0)
    await time.settle(queueUnits(time, governor, [2_000]))
    // A 2 s unit at a quarter of the time owes 6 s of rest.
    expect(governor.nextUnitInMs()).toBeCloseTo(6_000)
    await time.advance(4_000)
    expect(governor.nextUnitInMs()).toBeCloseTo(2_000)
    visible.set(false)
    expect(governor.nextUnitInMs()).toBe(Infinity)
    visible.set(true)
    await time.advance(2_000)
    expect(governor.nextUnitInMs()).toBe(0)
    governor.stop()
  })
})
