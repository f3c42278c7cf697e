/**
 * The relay's ledger: a `Chain` made durable by a `LedgerStore`, and the block producer.
 *
 * A transaction is acknowledged only after its mempool row is committed: arrivals in the same
 * turn of the event loop share one SQLite commit (group commit), so durability costs one fsync
 * per batch, not per transaction. Every `blockTimeMs` (or at once when the next block is full)
 * the pending transactions are sealed into a block, which is committed before it is announced.
 * On start the chain is rebuilt by replaying every stored block from genesis, checking every
 * state root, then re-applying the mempool.
 */
import { EventEmitter } from 'node:events'
import type { Logger } from 'pino'
import { Chain } from '../src/core/chain.ts'
import { LedgerError } from '../src/core/errors.ts'
import { decodeBlock, encodeBlock, headerHash, MAX_BLOCK_TXS, type Block } from '../src/core/block.ts'
import type { GenesisSpec } from '../src/core/genesis.ts'
import type { Keypair } from '../src/core/keys.ts'
import type { SignedTx } from '../src/core/tx.ts'
import { LedgerStore } from './store.ts'
import { nodeVerifier } from './verifier.ts'

export interface LedgerNodeOptions {
  store: LedgerStore
  spec: GenesisSpec
  producer: Keypair
  blockTimeMs: number
  log: Logger
  now?: () => number
}

interface Waiting { tx: SignedTx, resolve: (tx: SignedTx) => void, reject: (err: Error) => void }

export interface LedgerNodeEvents {
  /** A stored block, and the seconds it took to seal and store. */
  block: [Block, number]
  accepted: [SignedTx]
  rejected: [LedgerError]
}

export class LedgerNode extends EventEmitter<LedgerNodeEvents> {
  readonly chain: Chain
  private readonly store: LedgerStore
  private queue: Waiting[] = []
  private flushScheduled = false
  private timer: NodeJS.Timeout | undefined
  private readonly now: () => number

  constructor (private readonly options: LedgerNodeOptions) {
    super()
    this.now = options.now ?? Date.now
    this.store = options.store
    this.chain = new Chain(options.spec, { verifier: nodeVerifier() })
    this.recover()
  }

  private recover (): void {
    const started = performance.now()
    let blocks = 0
    for (const { bytes } of this.store.blocks()) {
      this.chain.applyBlock(decodeBlock(bytes))
      blocks++
    }
    let restored = 0
    for (const row of this.store.mempool()) {
      try {
        this.chain.submit(row.bytes)
        restored++
      } catch (err) {
        // Cannot happen for rows written by this relay; kept so a damaged row cannot stop a start.
        this.options.log.error({ err, seq: row.seq }, 'dropping a stored mempool transaction that no longer applies')
        this.store.dropMempoolRow(row.seq)
      }
    }
    this.options.log.info({ blocks, mempool: restored, height: this.chain.height, ms: Math.round(performance.now() - started) }, 'ledger recovered')
  }

  start (): void {
    this.timer = setInterval(() => this.produce(), this.options.blockTimeMs)
  }

  /** Checks and applies a transaction; resolves once it is durably stored. */
  submit (bytes: Uint8Array): Promise<SignedTx> {
    let tx: SignedTx
    try {
      tx = this.chain.submit(bytes)
    } catch (err) {
      if (err instanceof LedgerError) this.emit('rejected', err)
      return Promise.reject(err)
    }
    return new Promise((resolve, reject) => {
      this.queue.push({ tx, resolve, reject })
      if (!this.flushScheduled) {
        this.flushScheduled = true
        setImmediate(() => this.flush())
      }
      if (this.chain.pending.length >= MAX_BLOCK_TXS) this.produce()
    })
  }

  /** Commits queued transactions and acknowledges them. A failing disk stops the relay. */
  private flush (): void {
    this.flushScheduled = false
    const batch = this.queue
    if (batch.length === 0) return
    this.queue = []
    try {
      this.store.appendMempool(batch.map(w => ({ id: w.tx.id, bytes: w.tx.bytes })))
    } catch (err) {
      this.options.log.fatal({ err }, 'cannot write the mempool; stopping so that nothing unacknowledged is kept')
      for (const w of batch) w.reject(err as Error)
      process.exit(1)
    }
    for (const w of batch) {
      w.resolve(w.tx)
      this.emit('accepted', w.tx)
    }
  }

  /** Seals pending transactions into a block, stores it, then announces it. */
  produce (): Block {
    const started = performance.now()
    const block = this.chain.produceBlock(this.options.producer, this.now())
    try {
      this.store.appendBlock(block.header.height, headerHash(block.header), encodeBlock(block))
    } catch (err) {
      this.options.log.fatal({ err }, 'cannot store the new block; stopping so that the chain on disk stays the truth')
      process.exit(1)
    }
    // The block holds every pending transaction, so storing it also acknowledges those still queued.
    const batch = this.queue
    this.queue = []
    for (const w of batch) {
      w.resolve(w.tx)
      this.emit('accepted', w.tx)
    }
    this.emit('block', block, (performance.now() - started) / 1000)
    return block
  }

  blockBytes (height: number): Uint8Array | undefined {
    return height === 0 ? encodeBlock({ ...this.chain.header(0)!, txs: [] }) : this.store.block(height)
  }

  close (): void {
    clearInterval(this.timer)
    this.flush()
    this.store.close()
  }
}
