/**
 * How many tabs one relay holds: simulated peers open WebSocket connections over loopback to the
 * real relay process (noise, yamux, identify) and each holds a circuit-relay reservation, in
 * batches up to `RELAY_CAPACITY_TARGET` (default 1,000), stopping early when a batch is not held
 * in full. The peers are lightweight Node libp2p nodes, many per child process
 * (`relay-capacity-client.ts`), so their memory stays out of the relay's number, which is the
 * relay process's resident set (VmRSS in /proc/<pid>/status) before and after.
 *
 * The baseline, in the same run: the same number of plain WebSocket connections (the same `ws`
 * library the relay uses, no libp2p) held by a bare Node WebSocket server in its own process,
 * measured the same way: what a connection costs before libp2p adds anything.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { createInterface, type Interface } from 'node:readline'
import { resolve } from 'node:path'
import { WebSocket } from 'ws'
import { startRelayProcess } from '../helpers/relay.ts'
import { figure, type Figure } from './figure.ts'

const ROOT = resolve(import.meta.dirname, '../..')
const TARGET = Number(process.env.RELAY_CAPACITY_TARGET ?? 1000)
/** Peers opened per batch, spread over the client processes; below the relay's 200 connections per host per second. */
const BATCH = 100
/** Client processes sharing the simulated peers (the machine has 2 cores). */
const CLIENTS = 4
/** Pause after each batch and before each memory reading, in milliseconds. */
const SETTLE_MS = 1000
const GOAL = 'at least 1,000 with bounded memory'

function rssBytes (pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find(l => l.startsWith('VmRSS:'))
  if (line === undefined) throw new Error(`no VmRSS for process ${pid}`)
  return Number(line.split(/\s+/)[1]) * 1024
}

const sleep = async (ms: number): Promise<void> => { await new Promise(r => setTimeout(r, ms)) }

class Client {
  readonly proc: ChildProcess
  readonly #lines: Interface
  readonly #waiting: Array<(line: string) => void> = []
  held = 0

  constructor (relayAddr: string) {
    this.proc = spawn(process.execPath, ['--import', 'tsx', resolve(import.meta.dirname, 'relay-capacity-client.ts'), relayAddr], { cwd: ROOT, stdio: ['pipe', 'pipe', 'inherit'] })
    this.#lines = createInterface({ input: this.proc.stdout! })
    this.#lines.on('line', line => { this.#waiting.shift()?.(line) })
  }

  async open (n: number): Promise<number> {
    const answer = new Promise<string>(resolveLine => this.#waiting.push(resolveLine))
    this.proc.stdin!.write(`open ${n}\n`)
    this.held = Number((await answer).split(' ')[1])
    return this.held
  }

  async stop (): Promise<void> {
    const exited = new Promise(r => this.proc.once('exit', r))
    this.proc.stdin!.write('stop\n')
    await Promise.race([exited, sleep(30_000)])
    if (this.proc.exitCode === null) this.proc.kill('SIGKILL')
  }
}

/** Plain WebSocket connections held by a bare `ws` server in its own process: idle RSS, RSS with `count`. */
async function plainWebSockets (count: number): Promise<{ held: number, idle: number, loaded: number }> {
  const script = `import { WebSocketServer } from 'ws'
    const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 })
    wss.on('connection', ws => { ws.on('message', d => ws.send(d)) })
    wss.on('listening', () => console.log(wss.address().port))`
  const server = spawn(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] })
  try {
    const port = await new Promise<number>(resolvePort => createInterface({ input: server.stdout! }).once('line', l => { resolvePort(Number(l)) }))
    await sleep(SETTLE_MS)
    const idle = rssBytes(server.pid!)
    const sockets: WebSocket[] = []
    let held = 0
    for (let i = 0; i < count; i += BATCH) {
      const batch = Array.from({ length: Math.min(BATCH, count - i) }, async () => await new Promise<void>(resolveOpen => {
        const ws = new WebSocket(`ws://127.0.0.1:${port}/`)
        sockets.push(ws)
        ws.once('open', () => { held++; ws.send(new Uint8Array(64)); resolveOpen() })
        ws.once('error', () => { resolveOpen() })
      }))
      await Promise.all(batch)
    }
    await sleep(SETTLE_MS * 3)
    const loaded = rssBytes(server.pid!)
    for (const ws of sockets) ws.terminate()
    return { held, idle, loaded }
  } finally {
    server.kill()
  }
}

export async function relayCapacityFigures (): Promise<Figure[]> {
  const relay = await startRelayProcess({ blockTimeMs: 10_000 })
  const clients: Client[] = []
  try {
    const { addrs } = await (await fetch(`${relay.url}/api/p2p`)).json() as { addrs: string[] }
    const pid = relay.proc.pid!
    await sleep(SETTLE_MS * 3)
    const idle = rssBytes(pid)
    for (let i = 0; i < CLIENTS; i++) clients.push(new Client(addrs[0]!))
    let held = 0
    const started = Date.now()
    while (held < TARGET) {
      const want = Math.min(BATCH, TARGET - held)
      const per = Math.ceil(want / CLIENTS)
      const counts = await Promise.all(clients.map(async (c, i) => await c.open(Math.max(0, Math.min(per, want - per * i)))))
      let total = counts.reduce((a, b) => a + b, 0)
      if (total < held + want) {
        // One second chance for the peers that failed (a handshake timed out on a loaded machine), then stop.
        const missing = held + want - total
        console.error(`[relay-capacity] ${missing} of the batch failed: retrying them once`)
        await sleep(SETTLE_MS)
        total = (await Promise.all(clients.map(async (c, i) => await c.open(Math.max(0, Math.min(Math.ceil(missing / CLIENTS), missing - Math.ceil(missing / CLIENTS) * i)))))).reduce((a, b) => a + b, 0)
      }
      console.error(`[relay-capacity] ${total} reservations held (relay RSS ${(rssBytes(pid) / 2 ** 20).toFixed(1)} MiB, ${((Date.now() - started) / 1000).toFixed(1)} s)`)
      if (total < held + want) { held = total; console.error('[relay-capacity] a batch was not held in full: stopping'); break }
      held = total
      await sleep(SETTLE_MS)
    }
    await sleep(SETTLE_MS * 3)
    // Every peer still holds its reservation after the pause, or it does not count.
    held = (await Promise.all(clients.map(async c => await c.open(0)))).reduce((a, b) => a + b, 0)
    const loaded = rssBytes(pid)
    const perConnKiB = (loaded - idle) / Math.max(held, 1) / 1024
    console.error(`[relay-capacity] relay RSS idle ${(idle / 2 ** 20).toFixed(1)} MiB, with ${held} reservations ${(loaded / 2 ** 20).toFixed(1)} MiB`)

    const plain = await plainWebSockets(held)
    const plainPerConnKiB = (plain.loaded - plain.idle) / Math.max(plain.held, 1) / 1024
    console.error(`[relay-capacity] bare ws server RSS idle ${(plain.idle / 2 ** 20).toFixed(1)} MiB, with ${plain.held} connections ${(plain.loaded / 2 ** 20).toFixed(1)} MiB`)
    return [
      figure('relay: concurrent reservations held (WebSocket + noise + yamux + circuit-relay reservation each)', held, plain.held, 'peers', 'plain WebSocket connections a bare ws server held, same count attempted', GOAL),
      figure(`relay: memory per reservation (relay RSS growth / ${held})`, perConnKiB, plainPerConnKiB, 'KiB', 'bare ws server, plain WebSocket connection, same count', GOAL),
      figure(`relay: RSS with ${held} reservations`, loaded / 2 ** 20, idle / 2 ** 20, 'MiB', 'the same relay idle, before any peer')
    ]
  } finally {
    await Promise.all(clients.map(async c => { await c.stop() }))
    await relay.dispose()
  }
}
