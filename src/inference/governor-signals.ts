/**
 * The browser's side of the resource governor: `performance.now`, `setTimeout`, the page's
 * visibility (`document.visibilityState`) and the Battery Status API.
 *
 * `navigator.getBattery()` exists in Chromium-based browsers only, and answers asynchronously.
 * Until it answers, and for good where it is absent or refused, the battery state is 'unknown':
 * the governor then never pauses for battery, and the page says it cannot tell. A desktop without
 * a battery reports itself as charging.
 */
import type { BatteryState, GovernorComponents, Signal, Sleep } from './governor.ts'

/** The part of the Battery Status API's BatteryManager the governor reads. */
interface BatteryManagerLike {
  readonly charging: boolean
  addEventListener(type: 'chargingchange', listener: () => void): void
}

type NavigatorWithBattery = Pick<Navigator, 'hardwareConcurrency'> & { getBattery?: () => Promise<BatteryManagerLike> }

/** `setTimeout`, cut short by the signal; a zero sleep is one message round trip, which browsers do not clamp to 4 ms as they do nested timers. */
export const timerSleep: Sleep = (ms, signal) => new Promise(resolve => {
  if (signal.aborted) return resolve()
  if (ms <= 0) {
    const channel = new MessageChannel()
    channel.port1.onmessage = () => {
      channel.port1.close()
      resolve()
    }
    channel.port2.postMessage(null)
    return
  }
  const done = (): void => {
    clearTimeout(timer)
    signal.removeEventListener('abort', done)
    resolve()
  }
  const timer = setTimeout(done, ms)
  signal.addEventListener('abort', done)
})

/** Whether the page is visible, following `visibilitychange`. */
export function documentVisibility (doc: Document = document): Signal<boolean> {
  return {
    read: () => doc.visibilityState === 'visible',
    onChange (listener) {
      doc.addEventListener('visibilitychange', listener)
      return () => { doc.removeEventListener('visibilitychange', listener) }
    }
  }
}

/** Charging or discharging as the browser reports it, 'unknown' where it does not. */
export function navigatorBattery (nav: NavigatorWithBattery = navigator): Signal<BatteryState> {
  let state: BatteryState = 'unknown'
  const listeners = new Set<() => void>()
  const update = (battery: BatteryManagerLike): void => {
    state = battery.charging ? 'charging' : 'discharging'
    for (const listener of listeners) listener()
  }
  if (typeof nav.getBattery === 'function') {
    nav.getBattery().then(battery => {
      update(battery)
      battery.addEventListener('chargingchange', () => { update(battery) })
    }, () => { /* refused (e.g. by a permissions policy): stays unknown */ })
  }
  return {
    read: () => state,
    onChange (listener) {
      listeners.add(listener)
      return () => { listeners.delete(listener) }
    }
  }
}

/** The components a governor in a page uses. */
export function browserGovernorComponents (): GovernorComponents {
  return {
    now: () => performance.now(),
    sleep: timerSleep,
    visibility: documentVisibility(),
    battery: navigatorBattery(),
    hardwareConcurrency: navigator.hardwareConcurrency
  }
}
