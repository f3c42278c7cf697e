/**
 * `npm start -- --demo N` on the real relay: the demo's headless tabs (real Chromium, real
 * WebRTC) register, a validator per subnet stakes and sets weights, and the miners of all three
 * subnets earn — the rewards a newcomer should see flow. Stopping the relay closes every demo tab.
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

  it('runs headless miners and a validator on each subnet whose work is paid on the ledger, and closes them with the relay', async () => {
    const started = Date.now()
    // One miner per subnet (round robin over folding, prices, storage) and one validator each.
    relay = await startRelayProcess({ staticDir: buildPage(), args: ['--demo', '3'], blockTimeMs: 500 })
    const neurons = async (netuid: number): Promise<Neuron[]> => ((await (await fetch(`${relay.url}/api/subnets/${netuid}`)).json()) as { neurons: Neuron[] }).neurons
    const balance = async (address: string): Promise<bigint> => BigInt(((await (await fetch(`${relay.url}/api/accounts/${address}`)).json()) as { balance: string }).balance)

    // Paid, on every subnet: a miner (no permit) with incentive and its coldkey credited, a validator with dividends.
    const paidAfter = new Map<number, number>()
    const deadline = Date.now() + 420_000
    while (paidAfter.size < 3) {
      if (Date.now() > deadline) {
        const graphs = await Promise.all([1, 2, 3].map(neurons))
        throw new Error(`subnets ${[1, 2, 3].filter(n => !paidAfter.has(n)).join(', ')} paid no demo miner within 420 s:\n${JSON.stringify(graphs)}\n${relay.output().slice(-4000)}`)
      }
      await new Promise(r => setTimeout(r, 1000))
      for (const netuid of [1, 2, 3]) {
        if (paidAfter.has(netuid)) continue
        const all = await neurons(netuid)
        const miner = all.find(n => !n.validatorPermit && n.incentive > 0)
        if (miner !== undefined && all.some(n => n.validatorPermit && n.dividends > 0) && await balance(miner.coldkey) > 0n) {
          paidAfter.set(netuid, Math.round((Date.now() - started) / 1000))
        }
      }
    }
    console.log(`demo miners first paid after (s, from the command's start): folding ${paidAfter.get(1)}, prices ${paidAfter.get(2)}, storage ${paidAfter.get(3)}`)

    const children = descendants(relay.proc.pid!)
    expect(children.length).toBeGreaterThan(0) // Chromium and its helpers
    await relay.kill('SIGTERM')
    expect(relay.proc.exitCode).toBe(0)
    // Chromium's helpers exit on their own once the browser is gone; give them a moment.
    const until = Date.now() + 10_000
    while (children.some(alive) && Date.now() < until) await new Promise(r => setTimeout(r, 200))
    expect(children.filter(alive).map(pid => `${pid}: ${readFileSync(`/proc/${pid}/cmdline`, 'utf8').slice(0, 120)}`)).toEqual([])
  }, 480_000)
})
