/**
 * `npm run validator` against the real relay and real headless Chromium: the key reaches the
 * page without a URL, the tab verifies the chain with its own light client, a killed Chromium is
 * started again, and SIGINT stops everything cleanly. Bad arguments exit with code 2.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { newMnemonic } from '../../src/core/keys.ts'
import { buildPage, startRelayProcess, type RelayProcess } from '../helpers/relay.ts'

const ROOT = resolve(import.meta.dirname, '../..')
const CLI = [process.execPath, '--import', 'tsx', join(ROOT, 'scripts/validator.ts')] as const

function runCli (args: string[]): { status: number | null, stderr: string } {
  const result = spawnSync(CLI[0], [...CLI.slice(1), ...args], { cwd: ROOT, encoding: 'utf8' })
  return { status: result.status, stderr: result.stderr }
}

async function waitFor (output: () => string, pattern: RegExp, ms: number): Promise<RegExpMatchArray> {
  const deadline = Date.now() + ms
  for (;;) {
    const match = output().match(pattern)
    if (match !== null) return match
    if (Date.now() > deadline) throw new Error(`no ${String(pattern)} within ${ms} ms in:\n${output()}`)
    await new Promise(r => setTimeout(r, 200))
  }
}

/** Pids of Chromium browser processes started on `profile`. */
function chromiumOn (profile: string): number[] {
  const found = spawnSync('pgrep', ['-f', `user-data-dir=${profile}`], { encoding: 'utf8' })
  return found.stdout.split('\n').filter(Boolean).map(Number)
}

describe('npm run validator', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'tabtensor-validator-'))
  afterAll(() => { rmSync(scratch, { recursive: true, force: true }) })

  it('refuses missing or bad arguments and key files with one sentence and exit code 2', () => {
    expect(runCli([])).toMatchObject({ status: 2, stderr: expect.stringMatching(/--key FILE is required/) })
    expect(runCli(['--key', join(scratch, 'absent')])).toMatchObject({ status: 2, stderr: expect.stringMatching(/does not exist/) })
    writeFileSync(join(scratch, 'bad.key'), 'not a recovery phrase at all')
    expect(runCli(['--key', join(scratch, 'bad.key')])).toMatchObject({ status: 2, stderr: expect.stringMatching(/not hold a valid recovery phrase/) })
    writeFileSync(join(scratch, 'good.key'), newMnemonic())
    expect(runCli(['--key', join(scratch, 'good.key'), '--subnet', 'weather'])).toMatchObject({ status: 2, stderr: expect.stringMatching(/--subnet must be one of/) })
    expect(runCli(['--key', join(scratch, 'good.key'), '--relay', 'ftp://x'])).toMatchObject({ status: 2, stderr: expect.stringMatching(/http\(s\) address/) })
  })

  describe('against a relay', () => {
    let relay: RelayProcess
    let cli: ChildProcess
    let output = ''
    beforeAll(async () => {
      relay = await startRelayProcess({ staticDir: buildPage(), blockTimeMs: 500 })
    })
    afterAll(async () => {
      if (cli?.exitCode === null) cli.kill('SIGKILL')
      await relay?.dispose()
    })

    it('runs the tab, verifies the chain, restarts a killed Chromium and stops cleanly on SIGINT', async () => {
      const mnemonic = newMnemonic()
      const keyFile = join(scratch, 'validator.key')
      writeFileSync(keyFile, JSON.stringify({ mnemonic, hotkey: 1 }), { mode: 0o600 })
      const home = join(scratch, 'home')
      cli = spawn(CLI[0], [...CLI.slice(1), '--key', keyFile, '--relay', relay.url, '--subnet', 'prices'], {
        cwd: ROOT, env: { ...process.env, TABTENSOR_HOME: home }, stdio: ['ignore', 'pipe', 'pipe']
      })
      cli.stdout!.on('data', (d: Buffer) => { output += d.toString() })
      cli.stderr!.on('data', (d: Buffer) => { output += d.toString() })
      const log = (): string => output

      const [, hotkey] = await waitFor(log, /\[validator\] ready: hotkey (tt1\w+), subnet prices/, 90_000)
      await waitFor(log, /\[validator\] head \d+ verified/, 60_000)
      expect(output).not.toMatch(/did NOT verify/)
      expect(output).not.toContain(mnemonic.split(' ').slice(0, 4).join(' '))

      // Kill Chromium outright: the command starts a new tab on the same profile.
      const profile = join(home, 'validators', hotkey!)
      const browsers = chromiumOn(profile)
      expect(browsers.length).toBeGreaterThan(0)
      for (const pid of browsers) process.kill(pid, 'SIGKILL')
      await waitFor(log, /\[validator\] restarting in 1 s/, 30_000)
      const restarted = output.length
      await waitFor(() => output.slice(restarted), /\[validator\] head \d+ verified/, 90_000)

      const exited = new Promise<number | null>(resolve => cli.once('exit', code => resolve(code)))
      cli.kill('SIGINT')
      expect(await exited).toBe(0)
      expect(output).toMatch(/\[validator\] stopped/)
      expect(chromiumOn(profile)).toEqual([])
    })
  })
})
