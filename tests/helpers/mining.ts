/**
 * What the end-to-end mining tests share: a miner tab that creates a wallet, picks its subnet
 * (and what it needs: a storage quota), agrees and registers; the validator page handed its key
 * as `npm run validator` does; `npm run validator` itself; waiting with a deadline; and the checks
 * every mining spec ends with (paid epochs, tabs agreeing with the relay, a miner going away).
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import type { Page } from 'playwright-core'
import { expect } from 'vitest'
import { fromAddress } from '../../src/core/address.ts'
import { equalBytes } from '../../src/core/hash.ts'
import { newMnemonic, walletFromMnemonic } from '../../src/core/keys.ts'
import { TEST_HOOKS_FLAG } from '../../src/net/gossip/test-hook.ts'
import { TEST_SOLVER_OPTIONS, type TestSolverOptions } from '../../src/participant/mining-session.svelte.ts'
import { LAUNCH_BINDING } from '../../src/participant/validator-mode.ts'
import { launchBrowser, type LaunchedBrowser } from './browser.ts'
import type { NodeClient } from './node-client.ts'

const ROOT = resolve(import.meta.dirname, '../..')
const PASSPHRASE = 'mining end to end'

export interface MinerTab { name: string, browser: LaunchedBrowser, page: Page, errors: string[], logs: string[], coldkey: string, uid: number }

export async function until (what: string, done: () => Promise<boolean>, ms: number): Promise<void> {
  const deadline = Date.now() + ms
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise(r => setTimeout(r, 500))
  }
}

export interface MinerSetup {
  subnet: 'folding' | 'prices' | 'storage'
  /** The test-only solver options (a weaker miner). */
  hook?: TestSolverOptions
  /** Storage: the quota typed into the page, in MiB. */
  quotaMiB?: number
  /** Runs once Start is clicked, before the tab has registered (what the page shows meanwhile). */
  started?: (page: Page) => Promise<void>
}

export async function openMiner (url: string, name: string, setup: MinerSetup): Promise<MinerTab> {
  const browser = await launchBrowser({ webrtc: true })
  const page = await browser.context.newPage()
  const errors: string[] = []
  const logs: string[] = []
  page.on('pageerror', err => { errors.push(err.message) })
  page.on('console', message => { logs.push(message.text()) })
  await page.addInitScript(([flag, key, options]) => {
    const scope = window as unknown as Record<string, unknown>
    scope[flag as string] = true
    if (options !== null) scope[key as string] = options
  }, [TEST_HOOKS_FLAG, TEST_SOLVER_OPTIONS, setup.hook ?? null] as const)
  await page.goto(url)
  await page.getByTestId('passphrase').fill(PASSPHRASE, { timeout: 60_000 })
  await page.getByTestId('passphrase-confirm').fill(PASSPHRASE)
  await page.getByTestId('create-wallet').click()
  await page.getByTestId('backup-done').click({ timeout: 60_000 })
  const coldkey = (await page.getByTestId('address').innerText()).trim()
  await page.getByTestId(`mining-subnet-${setup.subnet}`).check()
  if (setup.quotaMiB !== undefined) await page.getByTestId('storage-quota').fill(String(setup.quotaMiB))
  await page.getByTestId('consent-budget-100').check()
  await page.getByTestId('consent-start').click()
  await setup.started?.(page)
  const uid = page.locator('[data-testid="miner-uid"]:not([data-uid=""])')
  await uid.waitFor({ timeout: 180_000 }).catch(async (err: Error) => {
    const panel = await page.locator('main').innerText().catch(() => '')
    throw new Error(`${name} did not register: ${err.message}\n${panel}\n${logs.slice(-20).join('\n')}`)
  })
  return { name, browser, page, errors, logs, coldkey, uid: Number(await uid.getAttribute('data-uid')) }
}

/** The validator page in a browser of the test's own, handed its key as `npm run validator` does. */
export async function openValidatorTab (url: string, subnet: string): Promise<{ browser: LaunchedBrowser, hotkey: Uint8Array, logs: string[], errors: string[] }> {
  const mnemonic = newMnemonic()
  const browser = await launchBrowser({ webrtc: true })
  await browser.context.exposeBinding(LAUNCH_BINDING, () => ({ mnemonic, hotkey: 0, subnet }))
  const page = await browser.context.newPage()
  const logs: string[] = []
  const errors: string[] = []
  page.on('console', message => { logs.push(message.text()) })
  page.on('pageerror', err => { errors.push(err.message) })
  await page.goto(`${url}/?role=validator`)
  return { browser, hotkey: walletFromMnemonic(mnemonic).hotkey(0).publicKey, logs, errors }
}

export interface ValidatorCli { proc: ChildProcess, hotkey: Uint8Array, output: () => string, stop: () => Promise<void> }

/** `npm run validator -- --key FILE --relay URL --subnet NAME`, with a new key in `scratch`. */
export function startValidatorCli (relayUrl: string, subnet: string, scratch: string): ValidatorCli {
  const mnemonic = newMnemonic()
  const keyFile = join(scratch, `validator-${subnet}.key`)
  writeFileSync(keyFile, JSON.stringify({ mnemonic, hotkey: 0 }), { mode: 0o600 })
  const proc = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts/validator.ts'), '--key', keyFile, '--relay', relayUrl, '--subnet', subnet], {
    cwd: ROOT, env: { ...process.env, TABTENSOR_HOME: join(scratch, 'home') }, stdio: ['ignore', 'pipe', 'pipe']
  })
  let output = ''
  proc.stdout!.on('data', (d: Buffer) => { output += d.toString() })
  proc.stderr!.on('data', (d: Buffer) => { output += d.toString() })
  return {
    proc,
    hotkey: walletFromMnemonic(mnemonic).hotkey(0).publicKey,
    output: () => output,
    async stop () {
      if (proc.exitCode !== null) return
      proc.kill('SIGINT')
      await new Promise(r => setTimeout(r, 3_000))
      if (proc.exitCode === null) proc.kill('SIGKILL')
    }
  }
}

/** Every miner tab saw a score, and its light client verified the relay's head and its balance. */
export async function checkMinerTab (m: MinerTab, blockHash: (height: number) => Promise<string>): Promise<void> {
  await m.page.locator('[data-testid="miner-last-score"]:not([data-score=""])').waitFor({ timeout: 60_000 })
  await m.page.getByTestId('verified').waitFor({ timeout: 60_000 })
  // Both read in one turn of the page, so a new head cannot land between them.
  const { height, hash } = await m.page.evaluate(() => ({
    height: Number(document.querySelector('[data-testid="head-height"]')?.getAttribute('data-height')),
    hash: document.querySelector('[data-testid="head-hash"]')?.getAttribute('title') ?? null
  }))
  if (hash !== await blockHash(height)) throw new Error(`${m.name}'s head ${height} is ${hash}, not the relay's`)
  await m.page.getByTestId('balance-verified').waitFor({ timeout: 60_000 })
}

/** What the mining end-to-end tests watch: the relay, the tempo, both validators and the miner tabs. */
export interface MiningRun {
  /** The spec's name in log lines. */
  label: string
  client: NodeClient
  tempo: number
  cli: Pick<ValidatorCli, 'hotkey' | 'output'>
  second: { hotkey: Uint8Array, logs: string[], errors: string[] }
  miners: MinerTab[]
}

const metagraphOf = async (run: MiningRun): Promise<any> => await run.client.get('/api/subnets/1')

/**
 * Waits for the CLI validator's first reveal and three paid epochs after it; both validators
 * hold permits and the validator tab revealed too, without page errors. Returns each miner's
 * coldkey balance, logged with the incentives and the validator's latest rounds.
 */
export async function earnedOverThreeEpochs (run: MiningRun): Promise<bigint[]> {
  await until('a reveal', async () => /revealed weights/.test(run.cli.output()), 240_000)
  const revealedAt = (await metagraphOf(run)).lastEpochBlock
  await until('three paid epochs after the reveal', async () => (await metagraphOf(run)).lastEpochBlock >= revealedAt + 3 * run.tempo, 240_000)
  const mg = await metagraphOf(run)
  for (const hotkey of [run.cli.hotkey, run.second.hotkey]) {
    expect(mg.neurons.find((n: { hotkey: string }) => equalBytes(fromAddress(n.hotkey), hotkey))?.validatorPermit).toBe(true)
  }
  expect(run.second.logs.some(l => /revealed weights/.test(l))).toBe(true)
  expect(run.second.errors).toEqual([])
  const earned = await Promise.all(run.miners.map(async m => BigInt((await run.client.get(`/api/accounts/${m.coldkey}`)).balance)))
  const incentive = run.miners.map(m => mg.neurons[m.uid].incentive as number)
  console.log(`[${run.label}] epochs ${revealedAt}..${mg.lastEpochBlock}; earned (base units) ${run.miners.map((m, i) => `${m.name}=${earned[i]}`).join(' ')}; incentive ${incentive.join(' ')}`)
  console.log(run.cli.output().split('\n').filter(l => /round \d+ uid/.test(l)).slice(-6).join('\n'))
  return earned
}

/** Every miner tab agrees with the relay (`checkMinerTab`) without page errors, and so does the CLI validator's light client. */
export async function everyTabAgrees (run: MiningRun): Promise<void> {
  for (const m of run.miners) {
    await checkMinerTab(m, async height => (await run.client.get(`/api/blocks/${height}`)).hash)
    expect(m.errors).toEqual([])
  }
  expect(run.cli.output()).toMatch(/\[validator\] head \d+ verified/)
  expect(run.cli.output()).not.toMatch(/did NOT verify/)
}

/** Closes the last miner tab: a round scores it zero for a task it missed, and the next epoch still comes. */
export async function epochsGoOnWithoutOne (run: MiningRun): Promise<void> {
  const gone = run.miners.pop()!
  await gone.browser.close()
  const lastEpoch = (await metagraphOf(run)).lastEpochBlock
  const missed = new RegExp(`uid ${gone.uid}: score 0\\.000, moving [0-9.]+ \\((UNREACHABLE|LATE)`)
  await until('a round that misses the closed miner', async () => missed.test(run.cli.output()), 120_000)
  await until('the next epoch', async () => (await metagraphOf(run)).lastEpochBlock > lastEpoch, 120_000)
}
