/**
 * The relay's ledger store: SQLite (better-sqlite3) in WAL mode with synchronous=FULL, so a
 * commit that returned is on disk. Blocks are stored with their exact bytes; the mempool holds
 * acknowledged transactions that are not in a block yet, in arrival order. A block and the
 * removal of the transactions it includes commit in one SQLite transaction, so a crash at any
 * point leaves either the block or the mempool rows, never neither.
 */
import Database from 'better-sqlite3'
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'

export interface StoredBlock { height: number, bytes: Uint8Array }

export class LedgerStore {
  private readonly db: Database.Database
  private readonly insertTx: Database.Statement
  private readonly insertBlock: Database.Statement
  private readonly clearMempool: Database.Statement

  constructor (dataDir: string) {
    mkdirSync(dataDir, { recursive: true })
    this.db = new Database(join(dataDir, 'ledger.sqlite'))
    this.db.pragma('journal_mode = WAL')
    this.db.pragma('synchronous = FULL')
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS blocks (height INTEGER PRIMARY KEY, hash BLOB NOT NULL, bytes BLOB NOT NULL);
      CREATE TABLE IF NOT EXISTS mempool (seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL, bytes BLOB NOT NULL);
    `)
    this.insertTx = this.db.prepare('INSERT INTO mempool (id, bytes) VALUES (?, ?)')
    this.insertBlock = this.db.prepare('INSERT INTO blocks (height, hash, bytes) VALUES (?, ?, ?)')
    this.clearMempool = this.db.prepare('DELETE FROM mempool')
  }

  getMeta (key: string): string | undefined {
    const row = this.db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined
    return row?.value
  }

  setMeta (key: string, value: string): void {
    this.db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, value)
  }

  /** Durably appends transactions to the mempool in one commit (group commit). */
  appendMempool (txs: Array<{ id: string, bytes: Uint8Array }>): void {
    this.db.transaction(() => {
      for (const tx of txs) this.insertTx.run(tx.id, tx.bytes)
    })()
  }

  /** Durably stores a block and empties the mempool, whose transactions the block holds. */
  appendBlock (height: number, hash: Uint8Array, bytes: Uint8Array): void {
    this.db.transaction(() => {
      this.insertBlock.run(height, hash, bytes)
      this.clearMempool.run()
    })()
  }

  *blocks (): Generator<StoredBlock> {
    for (const row of this.db.prepare('SELECT height, bytes FROM blocks ORDER BY height').iterate() as Iterable<{ height: number, bytes: Buffer }>) {
      yield { height: row.height, bytes: new Uint8Array(row.bytes.buffer, row.bytes.byteOffset, row.bytes.byteLength) }
    }
  }

  block (height: number): Uint8Array | undefined {
    const row = this.db.prepare('SELECT bytes FROM blocks WHERE height = ?').get(height) as { bytes: Buffer } | undefined
    return row === undefined ? undefined : new Uint8Array(row.bytes)
  }

  mempool (): Array<{ seq: number, bytes: Uint8Array }> {
    return (this.db.prepare('SELECT seq, bytes FROM mempool ORDER BY seq').all() as Array<{ seq: number, bytes: Buffer }>)
      .map(r => ({ seq: r.seq, bytes: new Uint8Array(r.bytes) }))
  }

  dropMempoolRow (seq: number): void {
    this.db.prepare('DELETE FROM mempool WHERE seq = ?').run(seq)
  }

  close (): void {
    this.db.close()
  }
}
