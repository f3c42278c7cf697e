/**
 * A full copy of the chain: the state, every header, and the transactions waiting for the next
 * block. The relay runs one to produce blocks; an auditor runs one to replay them.
 *
 * Transactions are applied to the working state as they arrive (`submit`), in the order they will
 * take in the next block, so a transaction is judged against everything before it. Producing a
 * block finalizes the working state at the next height and commits it; the next block's start
 * (its epochs and reward) is applied right away, on exactly the committed state. Proofs and reads
 * of committed data always describe the head, never the pending transactions.
 */
import { BlockError, LedgerError } from './errors.ts'
import { equalBytes } from './hash.ts'
import type { Keypair, SignatureVerifier } from './keys.ts'
import { applyTx, beginBlock, finalizeBlock } from './ledger/apply.ts'
import type { TxContext } from './ledger/context.ts'
import { buildGenesis, chainIdOf, type GenesisSpec } from './genesis.ts'
import type { State, StateSnapshot } from './state.ts'
import { epochDue } from './ledger/emission.ts'
import { K, globals, type Subnet } from './ledger/schema.ts'
import { decodeTx, type SignedTx } from './tx.ts'
import {
  MAX_BLOCK_TXS, headerHash, signHeader, txRoot, verifyHeaderSignature, type Block, type BlockHeader, type SignedHeader
} from './block.ts'

/** Blocks with epochs whose prior state is kept for audits. */
export const PRE_EPOCH_SNAPSHOTS = 64

export interface ChainOptions {
  verifier?: SignatureVerifier
}

export class Chain {
  readonly chainId: Uint8Array
  readonly state: State
  private readonly headers: SignedHeader[]
  private readonly hashes: Uint8Array[]
  private pendingTxs: SignedTx[] = []
  private broken = false
  private readonly preEpoch = new Map<number, StateSnapshot>()

  constructor (readonly spec: GenesisSpec, private readonly options: ChainOptions = {}) {
    this.chainId = chainIdOf(spec)
    const genesis = buildGenesis(spec)
    this.state = genesis.state
    this.headers = [genesis.block]
    this.hashes = [headerHash(genesis.block.header)]
    this.startBlock(1)
  }

  get height (): number {
    return this.headers.length - 1
  }

  get head (): SignedHeader {
    return this.headers[this.headers.length - 1]!
  }

  get headHash (): Uint8Array {
    return this.hashes[this.hashes.length - 1]!
  }

  header (height: number): SignedHeader | undefined {
    return this.headers[height]
  }

  get pending (): readonly SignedTx[] {
    return this.pendingTxs
  }

  private context (height: number): TxContext {
    return {
      height,
      chainId: this.chainId,
      verifier: this.options.verifier,
      blockHash: (h: number) => (h >= 0 && h < height ? this.hashes[h] : undefined)
    }
  }

  private usable (): void {
    if (this.broken) throw new Error('this chain copy failed to apply a block and must be rebuilt')
  }

  /**
   * Checks a transaction's wire bytes and applies it to the working state; throws a LedgerError
   * if rejected. Only bytes are taken, so what is applied is exactly what the block will hold.
   */
  submit (bytes: Uint8Array): SignedTx {
    this.usable()
    if (this.pendingTxs.length >= MAX_BLOCK_TXS) {
      throw new LedgerError('BLOCK_FULL', 'The next block is full; send the transaction again in a moment.')
    }
    const tx = decodeTx(bytes)
    applyTx(this.state, tx, this.context(this.height + 1))
    this.pendingTxs.push(tx)
    return tx
  }

  /** Seals the pending transactions into the next block, signed by `producer`. */
  produceBlock (producer: Keypair, time: number): Block {
    this.usable()
    if (!equalBytes(producer.publicKey, this.spec.producer)) throw new Error('only the producer named in the genesis can produce blocks')
    const height = this.height + 1
    finalizeBlock(this.state, height)
    const header: BlockHeader = {
      height,
      parent: this.headHash,
      time: Math.max(time, this.head.header.time),
      txRoot: txRoot(this.pendingTxs.map(tx => tx.bytes)),
      stateRoot: this.state.commit(),
      producer: producer.publicKey
    }
    const block: Block = { ...signHeader(header, producer, this.chainId), txs: this.pendingTxs.map(tx => tx.bytes) }
    this.append(block)
    this.pendingTxs = []
    return block
  }

  /** Checks a header against the head: height, parent, time, producer and signature. */
  checkHeader (signed: SignedHeader): void {
    const { header } = signed
    const head = this.head.header
    if (header.height !== head.height + 1) throw new BlockError('BAD_HEIGHT', `Expected block ${head.height + 1}, got ${header.height}.`)
    if (!equalBytes(header.parent, this.headHash)) throw new BlockError('BAD_PARENT', `Block ${header.height} does not extend the head.`)
    if (header.time < head.time) throw new BlockError('BAD_TIMESTAMP', `Block ${header.height} is timed before its parent.`)
    if (!equalBytes(header.producer, this.spec.producer)) throw new BlockError('BAD_PRODUCER', `Block ${header.height} was not produced by this network's producer.`)
    if (!verifyHeaderSignature(signed, this.chainId, this.options.verifier)) throw new BlockError('BAD_SIGNATURE', `Block ${header.height} has a bad signature.`)
  }

  /**
   * Replays a block produced elsewhere. A block that breaks a rule before its state root is
   * computed leaves the state unchanged; a wrong state root marks this copy unusable.
   */
  applyBlock (block: Block): void {
    this.usable()
    if (this.pendingTxs.length > 0) throw new Error('applyBlock needs an empty pending list')
    this.checkHeader(block)
    if (!equalBytes(txRoot(block.txs), block.header.txRoot)) throw new BlockError('BAD_TX_ROOT', `Block ${block.header.height} has a wrong transaction root.`)
    const ctx = this.context(block.header.height)
    this.state.checkpoint()
    try {
      block.txs.forEach((bytes, i) => {
        try {
          applyTx(this.state, decodeTx(bytes), ctx)
        } catch (err) {
          const reason = err instanceof LedgerError ? `${err.code}: ${err.message}` : String(err)
          throw new BlockError('MALFORMED', `Transaction ${i} of block ${block.header.height} is invalid (${reason}).`)
        }
      })
      finalizeBlock(this.state, block.header.height)
    } catch (err) {
      this.state.revert()
      throw err
    }
    this.state.release()
    if (!equalBytes(this.state.commit(), block.header.stateRoot)) {
      this.broken = true
      throw new BlockError('BAD_STATE_ROOT', `Block ${block.header.height} claims a state root this state does not have.`)
    }
    this.append(block)
  }

  /** Adds a committed block to the chain and starts the next one. */
  private append (block: Block): void {
    this.headers.push({ header: block.header, sig: block.sig })
    this.hashes.push(headerHash(block.header))
    this.startBlock(block.header.height + 1)
  }

  /**
   * Starts block `height` on the committed state. When an epoch runs in it, the committed state
   * is kept first, so the epoch's inputs can be proven to anyone auditing it.
   */
  private startBlock (height: number): void {
    const g = globals(this.state)
    if (g.netuids.some(netuid => epochDue(this.state.get<Subnet>(K.subnet(netuid))!, height))) {
      this.preEpoch.set(height, this.state.snapshot())
      for (const old of this.preEpoch.keys()) {
        if (this.preEpoch.size <= PRE_EPOCH_SNAPSHOTS) break
        this.preEpoch.delete(old)
      }
    }
    beginBlock(this.state, height)
  }

  /** The committed state just before the epochs of block `height`, if it is still kept. */
  stateBeforeEpochs (height: number): StateSnapshot | undefined {
    return this.preEpoch.get(height)
  }
}
