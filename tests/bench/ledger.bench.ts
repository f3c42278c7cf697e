/**
 * Ledger throughput: transfers decoded, signature-checked, applied and durably stored per second
 * by the relay's LedgerNode (group commit, blocks sealed as they fill), against raw SQLite inserts
 * of the same rows with the same durability (WAL, synchronous=FULL) and the same commit batches.
 */
import Database from 'better-sqlite3'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pino from 'pino'
import { chainIdOf, type GenesisSpec } from '../../src/core/genesis.ts'
import { keypairFromLabel } from '../../src/core/keys.ts'
import { signTx, type SignedTx } from '../../src/core/tx.ts'
import { LedgerNode } from '../../relay/ledger-node.ts'
import { LedgerStore } from '../../relay/store.ts'
import { figure, median, type Figure } from './figure.ts'

const TXS = 20_000
const SENDERS = 200
/** Transactions submitted per turn of the event loop, so per group commit. */
const BATCH = 500

function workload (): { spec: GenesisSpec, txs: SignedTx[], producer: ReturnType<typeof keypairFromLabel> } {
  const producer = keypairFromLabel('bench/producer')
  const senders = Array.from({ length: SENDERS }, (_, i) => keypairFromLabel(`bench/sender/${i}`))
  const spec: GenesisSpec = {
    chain: 'bench', time: 0, producer: producer.publicKey,
    balances: senders.map(s => ({ key: s.publicKey, amount: 10n ** 15n })),
    subnets: [], params: {}
  }
  const chainId = chainIdOf(spec)
  const txs: SignedTx[] = []
  for (let i = 0; i < TXS; i++) {
    const s = i % SENDERS
    const to = senders[(s + 1) % SENDERS]!.publicKey
    txs.push(signTx({ kind: 'transfer', from: senders[s]!.publicKey, nonce: Math.floor(i / SENDERS), to, amount: 1000n + BigInt(i) }, senders[s]!, chainId))
  }
  return { spec, txs, producer }
}

async function ledgerRate (w: ReturnType<typeof workload>): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'tabtensor-bench-'))
  const node = new LedgerNode({ store: new LedgerStore(dir), spec: w.spec, producer: w.producer, blockTimeMs: 1e9, log: pino({ level: 'silent' }) })
  const started = performance.now()
  for (let i = 0; i < w.txs.length; i += BATCH) {
    await Promise.all(w.txs.slice(i, i + BATCH).map(tx => node.submit(tx.bytes)))
    if (node.chain.pending.length >= 5000) node.produce()
  }
  node.produce()
  const seconds = (performance.now() - started) / 1000
  node.close()
  rmSync(dir, { recursive: true, force: true })
  return w.txs.length / seconds
}

/** Raw inserts of the same rows, committed `batch` at a time (1 = one durable commit per row). */
function rawSqliteRate (w: ReturnType<typeof workload>, batch: number, rows = w.txs.length): number {
  const dir = mkdtempSync(join(tmpdir(), 'tabtensor-bench-raw-'))
  const db = new Database(join(dir, 'raw.sqlite'))
  db.pragma('journal_mode = WAL')
  db.pragma('synchronous = FULL')
  db.exec('CREATE TABLE mempool (seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL, bytes BLOB NOT NULL)')
  const insert = db.prepare('INSERT INTO mempool (id, bytes) VALUES (?, ?)')
  const started = performance.now()
  for (let i = 0; i < rows; i += batch) {
    db.transaction(() => {
      for (const tx of w.txs.slice(i, Math.min(i + batch, rows))) insert.run(tx.id, tx.bytes)
    })()
  }
  const seconds = (performance.now() - started) / 1000
  db.close()
  rmSync(dir, { recursive: true, force: true })
  return rows / seconds
}

export async function ledgerFigures (): Promise<Figure[]> {
  const w = workload()
  await ledgerRate(w)
  const ours = await median(3, () => ledgerRate(w))
  const raw = await median(3, () => rawSqliteRate(w, BATCH))
  const rawPerRow = await median(3, () => rawSqliteRate(w, 1, 2000))
  const goal = 'at least 0.5 of raw and 5,000 tx/s on one core'
  return [
    figure('ledger: transfers applied and durably stored', ours, raw, 'tx/s', `raw SQLite inserts of the same rows, same commit batches of ${BATCH}`, goal),
    figure('ledger: transfers applied and durably stored', ours, rawPerRow, 'tx/s', 'raw SQLite inserts of the same rows, one durable commit per row', goal)
  ]
}
