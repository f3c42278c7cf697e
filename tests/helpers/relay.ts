/**
 * Runs the real relay (`relay/main.ts`) as a child process for end-to-end tests, on a free
 * loopback port and a data folder of the test's own.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { get as httpsGet } from 'node:https'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { genesisToJson, type GenesisSpec } from '../../src/core/genesis.ts'
import { toHex } from '../../src/core/hash.ts'
import type { Keypair } from '../../src/core/keys.ts'

const ROOT = resolve(import.meta.dirname, '../..')

export async function freePort (): Promise<number> {
  return await new Promise((resolvePort, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => resolvePort(typeof address === 'object' && address !== null ? address.port : 0))
    })
  })
}

/** Whether a GET of `url` answers 2xx, trusting only `ca` (Node's fetch takes no CA of its own). */
async function httpsOk (url: string, ca: Buffer): Promise<boolean> {
  return await new Promise((resolveOk, reject) => {
    httpsGet(url, { ca }, res => {
      res.resume()
      resolveOk((res.statusCode ?? 0) >= 200 && (res.statusCode ?? 0) < 300)
    }).on('error', reject)
  })
}

export interface RelayProcessOptions {
  dataDir?: string
  blockTimeMs?: number
  /** A genesis and its producer key; without them the relay makes its local network. */
  genesis?: { spec: GenesisSpec, producer: Keypair }
  port?: number
  /** Folder of a built page for the relay to serve. */
  staticDir?: string
  /** Other relays' libp2p multiaddrs to peer with (`--peer`). */
  peers?: string[]
  /** More command-line flags, as given. */
  args?: string[]
  /** PEM certificate and key files: the relay serves https (`--tls-cert`, `--tls-key`), checked against `cert` as the only CA. */
  tls?: { cert: string, key: string }
}

export interface RelayProcess {
  url: string
  port: number
  dataDir: string
  proc: ChildProcess
  output: () => string
  /** Ends the process with `signal` and waits for it to exit. */
  kill (signal?: NodeJS.Signals): Promise<void>
  /** Stops the relay and removes its data folder. */
  dispose (): Promise<void>
}

export async function startRelayProcess (options: RelayProcessOptions = {}): Promise<RelayProcess> {
  // By default a folder that does not exist yet, as on a newcomer's first start.
  const dataDir = options.dataDir ?? join(mkdtempSync(join(tmpdir(), 'tabtensor-relay-')), 'data')
  const port = options.port ?? await freePort()
  const args = ['--import', 'tsx', join(ROOT, 'relay/main.ts'), '--port', String(port), '--host', '127.0.0.1',
    '--data-dir', dataDir, '--block-time', String(options.blockTimeMs ?? 200), '--log-level', 'warn']
  if (options.staticDir !== undefined) args.push('--static-dir', options.staticDir)
  for (const peer of options.peers ?? []) args.push('--peer', peer)
  if (options.tls !== undefined) args.push('--tls-cert', options.tls.cert, '--tls-key', options.tls.key)
  args.push(...options.args ?? [])
  // Kept outside the data folder, which the relay itself must create; read only at start-up.
  let configDir: string | undefined
  if (options.genesis !== undefined) {
    configDir = mkdtempSync(join(tmpdir(), 'tabtensor-genesis-'))
    const genesisFile = join(configDir, 'genesis.json')
    const keyFile = join(configDir, 'producer.key')
    writeFileSync(genesisFile, JSON.stringify(genesisToJson(options.genesis.spec)))
    writeFileSync(keyFile, toHex(options.genesis.producer.secretKey))
    args.push('--genesis', genesisFile, '--key', keyFile)
  }
  const proc = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  proc.stdout!.on('data', (d: Buffer) => { output += d.toString() })
  proc.stderr!.on('data', (d: Buffer) => { output += d.toString() })
  const exited = new Promise<void>(resolveExit => proc.once('exit', () => resolveExit()))
  const url = `${options.tls === undefined ? 'http' : 'https'}://127.0.0.1:${port}`
  const ca = options.tls === undefined ? undefined : readFileSync(options.tls.cert)
  const deadline = Date.now() + 60_000
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`the relay exited with ${proc.exitCode}:\n${output}`)
    try {
      if (ca === undefined ? (await fetch(`${url}/api/health`)).ok : await httpsOk(`${url}/api/health`, ca)) break
    } catch {}
    if (Date.now() > deadline) throw new Error(`the relay did not answer within 60 s:\n${output}`)
    await new Promise(r => setTimeout(r, 100))
  }
  if (configDir !== undefined) rmSync(configDir, { recursive: true, force: true })
  const kill = async (signal: NodeJS.Signals = 'SIGTERM'): Promise<void> => {
    if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal)
    await exited
  }
  return {
    url, port, dataDir, proc, kill,
    output: () => output,
    async dispose () {
      await kill()
      if (options.dataDir === undefined) rmSync(dirname(dataDir), { recursive: true, force: true })
    }
  }
}

/** Builds the page into a fresh folder (what `npm start` serves) and returns the folder. */
export function buildPage (): string {
  const outDir = mkdtempSync(join(tmpdir(), 'tabtensor-page-'))
  execFileSync(process.execPath, [join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--outDir', outDir, '--emptyOutDir', '--logLevel', 'warn'], { cwd: ROOT, stdio: 'inherit' })
  return outDir
}
