/**
 * `npm start -- --demo N`: headless participants beside the relay, so a newcomer sees rewards
 * flow without opening anything: N miners (round robin over the demo subnets) and one validator
 * per demo subnet, each a tab of the relay's own page in one headless Chromium, each in its own
 * browser context (its own storage and keys: fresh wallets, made here). They are ordinary
 * participants — they register, stake from the faucet and mine over WebRTC like any tab; the only
 * difference is that they get their recovery phrase and, for miners, the operator's consent
 * through a binding instead of a person. A crashed tab is opened again.
 */
import { chromium, type Browser, type BrowserContext } from 'playwright-core'
import type { Logger } from 'pino'
import { toAddress } from '../src/core/address.ts'
import { newMnemonic, walletFromMnemonic } from '../src/core/keys.ts'
import { MINER_LAUNCH_BINDING, type MinerLaunch } from '../src/participant/miner-mode.ts'
import { LAUNCH_BINDING, type ValidatorLaunch } from '../src/participant/validator-mode.ts'
import { BASE_CHROMIUM_ARGS, WEBRTC_CHROMIUM_ARGS, WEBRTC_PERMISSIONS, chromiumPath } from '../scripts/chromium.ts'

/** Subnets the demo mines and validates: those whose roles tabs run (src/participant/agent/tab-roles.ts). */
export const DEMO_SUBNETS = ['folding', 'prices', 'storage'] as const

/** Bytes a demo storage miner may keep: far more than the shards a validator assigns it. */
const DEMO_STORAGE_QUOTA_BYTES = 64 * 1024 * 1024

/** Share of time each demo miner works: several share this machine's cores with the relay. */
const DEMO_MINER_BUDGET = 0.5

/** Pause before a crashed demo tab is opened again, in ms. */
const REOPEN_MS = 2_000

interface Participant {
  name: string
  role: 'miner' | 'validator'
  subnet: string
  mnemonic: string
}

export interface Demo {
  close: () => Promise<void>
}

export function demoParticipants (miners: number): Participant[] {
  const validators = DEMO_SUBNETS.map((subnet, i) => ({ name: `validator ${i + 1}`, role: 'validator' as const, subnet, mnemonic: newMnemonic() }))
  const workers = Array.from({ length: miners }, (_, i) => ({
    name: `miner ${i + 1}`, role: 'miner' as const, subnet: DEMO_SUBNETS[i % DEMO_SUBNETS.length]!, mnemonic: newMnemonic()
  }))
  return [...validators, ...workers]
}

export async function startDemo (url: string, miners: number, log: Logger): Promise<Demo> {
  const browser: Browser = await chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: [...BASE_CHROMIUM_ARGS, ...WEBRTC_CHROMIUM_ARGS],
    // The relay stops the demo itself when it is asked to stop.
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false
  })
  let closing = false
  const contexts = new Set<BrowserContext>()

  async function open (p: Participant): Promise<void> {
    const context = await browser.newContext({ permissions: [...WEBRTC_PERMISSIONS] })
    contexts.add(context)
    const launch: MinerLaunch | ValidatorLaunch = p.role === 'miner'
      ? { mnemonic: p.mnemonic, hotkey: 0, subnet: p.subnet, budget: DEMO_MINER_BUDGET, storageQuotaBytes: p.subnet === 'storage' ? DEMO_STORAGE_QUOTA_BYTES : undefined }
      : { mnemonic: p.mnemonic, hotkey: 0, subnet: p.subnet }
    let handed = false
    await context.exposeBinding(p.role === 'miner' ? MINER_LAUNCH_BINDING : LAUNCH_BINDING, () => {
      if (handed) return null
      handed = true
      return launch
    })
    const page = await context.newPage()
    page.on('console', message => { log.info({ demo: p.name }, message.text()) })
    page.on('pageerror', error => { log.warn({ demo: p.name }, error.message) })
    page.on('crash', () => {
      log.warn({ demo: p.name }, 'the demo tab crashed; opening it again')
      contexts.delete(context)
      void context.close().catch(() => {})
      setTimeout(() => { if (!closing) void open(p).catch(err => { log.error({ err, demo: p.name }, 'could not reopen the demo tab') }) }, REOPEN_MS)
    })
    await page.goto(`${url}/?role=${p.role}`)
  }

  const participants = demoParticipants(miners)
  for (const p of participants) {
    const hotkey = toAddress(walletFromMnemonic(p.mnemonic).hotkey(0).publicKey)
    log.info({ demo: p.name, subnet: p.subnet, hotkey }, `demo ${p.role} on ${p.subnet}`)
    await open(p)
  }
  return {
    close: async () => {
      closing = true
      await browser.close()
    }
  }
}
