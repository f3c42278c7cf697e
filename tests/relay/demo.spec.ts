/**
 * `npm start -- --demo N` on the real relay: the demo's headless tabs (real Chromium, real
 * WebRTC) register, a validator stakes and sets weights, and miners earn — the rewards a newcomer
 * should see flow. Stopping the relay closes every demo tab.
 */
import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { afterAll, describe, expect, it } from 'vitest'
import { buildPage, startRelayProcess, type RelayProcess } from '../helpers/relay.ts'

interface Neuron { uid: number, coldkey: string, validatorPermit: boolean, incentive: number, dividends: number }

/** Whether `pid` is a live process (not gone, not a zombie waiting to be reaped). */
function alive (pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'))
  } catch {
    return false
  }
}

/** Pids of the processes whose parent is `pid`, recursively. */
function descendants (pid: number): number[] {
  const out = spawnSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean).map(Number)
  return out.flatMap(child => [child, ...descendants(child)])
}

describe('npm start -- --demo N', () => {
  let relay: RelayProcess
  afterAll(async () => { await relay?.dispose() })

  it('runs headless miners and a validator whose work is paid on the ledger, and closes them with the relay', async () => {
    const started = Date.now()
    relay = await startRelayProcess({ staticDir: buildPage(), args: ['--demo', '2'], blockTimeMs: 500 })
    const neurons = async (): Promise<Neuron[]> => ((await (await fetch(`${relay.url}/api/subnets/1`)).json()) as { neurons: Neuron[] }).neurons
    const balance = async (address: string): Promise<bigint> => BigInt(((await (await fetch(`${relay.url}/api/accounts/${address}`)).json()) as { balance: string }).balance)

    // Paid: a miner (no permit) with incentive, and its coldkey credited — all from the demo's tabs alone.
    let paid: Neuron | undefined
    const deadline = Date.now() + 300_000
    while (paid === undefined) {
      if (Date.now() > deadline) throw new Error(`no demo miner was paid within 300 s:\n${JSON.stringify(await neurons())}\n${relay.output().slice(-4000)}`)
      await new Promise(r => setTimeout(r, 1000))
      const all = await neurons()
      const miner = all.find(n => !n.validatorPermit && n.incentive > 0)
      if (miner !== undefined && all.some(n => n.validatorPermit && n.dividends > 0) && await balance(miner.coldkey) > 0n) paid = miner
    }
    console.log(`first demo miner paid ${Math.round((Date.now() - started) / 1000)} s after the relay was started`)
    expect((await neurons()).filter(n => !n.validatorPermit).length).toBeGreaterThanOrEqual(2)

    const children = descendants(relay.proc.pid!)
    expect(children.length).toBeGreaterThan(0) // Chromium and its helpers
    await relay.kill('SIGTERM')
    expect(relay.proc.exitCode).toBe(0)
    // Chromium's helpers exit on their own once the browser is gone; give them a moment.
    const until = Date.now() + 10_000
    while (children.some(alive) && Date.now() < until) await new Promise(r => setTimeout(r, 200))
    expect(children.filter(alive).map(pid => `${pid}: ${readFileSync(`/proc/${pid}/cmdline`, 'utf8').slice(0, 120)}`)).toEqual([])
  })
})
