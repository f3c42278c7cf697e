import { describe, expect, it } from 'vitest'
import { documentVisibility, navigatorBattery, timerSleep } from '../../../src/inference/governor-signals.ts'

/** Enough of a BatteryManager: `charging` and its change event. */
class FakeBattery extends EventTarget {
  constructor (public charging: boolean) { super() }
  plug (charging: boolean): void {
    this.charging = charging
    this.dispatchEvent(new Event('chargingchange'))
  }
}

async function flush (): Promise<void> {
  await new Promise(resolve => setImmediate(resolve))
}

describe('governor signals', () => {
  it('reports the battery as unknown where the browser has no Battery Status API', () => {
    expect(navigatorBattery({ hardwareConcurrency: 4 }).read()).toBe('unknown')
  })

  it('reports the battery as unknown when the browser refuses it', async () => {
    const battery = navigatorBattery({ hardwareConcurrency: 4, getBattery: async () => { throw new Error('not allowed') } })
    await flush()
    expect(battery.read()).toBe('unknown')
  })

  it('follows the battery from unknown to discharging to charging', async () => {
    const manager = new FakeBattery(false)
    const battery = navigatorBattery({ hardwareConcurrency: 4, getBattery: async () => manager })
    const seen: string[] = []
    battery.onChange(() => { seen.push(battery.read()) })
    expect(battery.read()).toBe('unknown')
    await flush()
    manager.plug(true)
    expect(seen).toEqual(['discharging', 'charging'])
  })

  it('follows the page visibility', () => {
    const doc = Object.assign(new EventTarget(), { visibilityState: 'visible' })
    const visibility = documentVisibility(doc as unknown as Document)
    const seen: boolean[] = []
    const off = visibility.onChange(() => { seen.push(visibility.read()) })
    doc.visibilityState = 'hidden'
    doc.dispatchEvent(new Event('visibilitychange'))
    off()
    doc.visibilityState = 'visible'
    doc.dispatchEvent(new Event('visibilitychange'))
    expect(seen).toEqual([false])
  })

  it('lets a zero sleep wait for a new task, after the microtasks queued before it', async () => {
    const order: string[] = []
    const sleeping = timerSleep(0, new AbortController().signal).then(() => { order.push('sleep') })
    void Promise.resolve().then(() => { order.push('microtask') })
    await sleeping
    expect(order).toEqual(['microtask', 'sleep'])
  })

  it('ends a sleep early when it is aborted', async () => {
    const abort = new AbortController()
    const started = performance.now()
    const sleeping = timerSleep(60_000, abort.signal)
    abort.abort()
    await sleeping
    expect(performance.now() - started).toBeLessThan(1_000)
  })
})
