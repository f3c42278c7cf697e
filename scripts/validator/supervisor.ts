/**
 * Keeps one validator tab running: launches headless Chromium on a persistent profile (the tab
 * keeps its scores and bundles in IndexedDB across restarts), opens the relay's page in validator
 * mode, hands it the key through a binding, streams the tab's log, and starts it again after a
 * crash, with a growing pause (reset once a tab has run for a while). `stop()` closes it cleanly.
 */
import { mkdirSync } from 'node:fs'
import { chromium, type BrowserContext } from 'playwright-core'
import { BASE_CHROMIUM_ARGS, WEBRTC_CHROMIUM_ARGS, WEBRTC_PERMISSIONS } from '../chromium.ts'
import { LAUNCH_BINDING } from '../../src/participant/validator-mode.ts'
import type { ValidatorKey, ValidatorOptions } from './options.ts'


/** Pause before the first restart, in ms; it doubles per crash up to RESTART_MAX_MS. */
const RESTART_FIRST_MS = 1_000
const RESTART_MAX_MS = 30_000
/** A tab that ran this long, in ms, resets the pause. */
const HEALTHY_MS = 60_000

export interface Supervisor {
  /** Resolves when the supervisor has stopped. */
  done: Promise<void>
  /** Closes the tab and Chromium; resolves when both are gone. */
  stop: () => Promise<void>
  /** Tabs started so far (1 + restarts). */
  starts: () => number
}

export function superviseValidator (
  options: ValidatorOptions,
  key: ValidatorKey,
  profileDir: string,
  log: (line: string) => void
): Supervisor {
  let stopping = false
  let context: BrowserContext | undefined
  let starts = 0
  let wake: (() => void) | undefined

  const sleep = async (ms: number): Promise<void> => await new Promise(resolve => {
    const timer = setTimeout(resolve, ms)
    wake = () => { clearTimeout(timer); resolve() }
  })

  /** Runs one tab until it crashes, Chromium exits, or we stop. */
  async function runTab (): Promise<void> {
    mkdirSync(profileDir, { recursive: true })
    context = await chromium.launchPersistentContext(profileDir, {
      executablePath: options.chromium,
      headless: true,
      args: [...BASE_CHROMIUM_ARGS, ...WEBRTC_CHROMIUM_ARGS],
      permissions: [...WEBRTC_PERMISSIONS],
      // The command handles Ctrl-C itself (closing the tab first); Playwright's own handlers exit with 130.
      handleSIGINT: false,
      handleSIGTERM: false,
      handleSIGHUP: false
    })
    const ended = new Promise<string>(resolve => {
      context!.on('close', () => resolve('Chromium exited'))
    })
    let handed = false
    // The binding the page calls for its launch parameters: the key is handed over once per tab.
    await context.exposeBinding(LAUNCH_BINDING, () => {
      if (handed) return null
      handed = true
      return { mnemonic: key.mnemonic, hotkey: key.hotkey, subnet: options.subnet }
    })
    const page = context.pages()[0] ?? await context.newPage()
    const crashed = new Promise<string>(resolve => { page.on('crash', () => resolve('the validator tab crashed')) })
    page.on('console', message => { log(message.text()) })
    page.on('pageerror', error => { log(`[tab error] ${error.message}`) })
    await page.goto(`${options.relay}/?role=validator`)
    const reason = await Promise.race([crashed, ended])
    if (!stopping) log(`[validator] ${reason}`)
    await context.close().catch(() => {})
  }

  async function loop (): Promise<void> {
    let pause = RESTART_FIRST_MS
    while (!stopping) {
      starts++
      const started = Date.now()
      try {
        await runTab()
      } catch (err) {
        if (!stopping) log(`[validator] could not run the tab: ${(err as Error).message.split('\n')[0]}`)
        await context?.close().catch(() => {})
      }
      if (stopping) break
      if (Date.now() - started > HEALTHY_MS) pause = RESTART_FIRST_MS
      log(`[validator] restarting in ${pause / 1000} s`)
      await sleep(pause)
      pause = Math.min(pause * 2, RESTART_MAX_MS)
    }
  }

  const done = loop()
  return {
    done,
    starts: () => starts,
    stop: async () => {
      stopping = true
      wake?.()
      await context?.close().catch(() => {})
      await done
    }
  }
}
