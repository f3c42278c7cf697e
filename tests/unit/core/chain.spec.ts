import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { headerHash, signHeader, txRoot, type Block } from '../../../src/core/block.ts'
import { Chain } from '../../../src/core/chain.ts'
import { BlockError, LedgerError } from '../../../src/core/errors.ts'
import { toHex } from '../../../src/core/hash.ts'
import { keypairFromLabel, type Keypair } from '../../../src/core/keys.ts'
import { K, amountAt, type Subnet } from '../../../src/core/ledger/schema.ts'
import { TOTAL_SUPPLY } from '../../../src/core/supply.ts'
import { signTx, type TxBody } from '../../../src/core/tx.ts'
import {
  COLDKEYS, HOTKEYS, KNOWN_KEYS, TOKEN, TestChain, alice, bob, carol, genesisSpec, hotA, hotB, producer, type TxFields
} from './ledger/fixture.ts'

const impostor = keypairFromLabel('impostor')

/** A chain with three blocks holding a few transactions, and a replica at genesis. */
function producedChain (): { tc: TestChain, blocks: Block[], replica: Chain } {
  const tc = new TestChain()
  const blocks: Block[] = []
  tc.submit(alice, { kind: 'transfer', to: bob.publicKey, amount: 5n * TOKEN })
  tc.submit(alice, { kind: 'register_burn', netuid: 1, hotkey: hotA.publicKey, maxBurn: TOKEN })
  blocks.push(tc.block())
  tc.submit(alice, { kind: 'add_stake', hotkey: hotA.publicKey, amount: 3n * TOKEN })
  blocks.push(tc.block())
  tc.submit(bob, { kind: 'transfer', to: carol.publicKey, amount: 1n })
  blocks.push(tc.block())
  return { tc, blocks, replica: new Chain(tc.spec) }
}

/** The block re-signed by `key` after `change` edits its header. */
function resigned (block: Block, change: (h: Block['header']) => Partial<Block['header']>, key: Keypair = producer, chainId?: Uint8Array): Block {
  const header = { ...block.header, ...change(block.header) }
  return { ...signHeader(header, key, chainId ?? new Chain(genesisSpec()).chainId), txs: block.txs }
}

function expectBlockRejected (replica: Chain, block: Block, code: string): void {
  // The working state already holds the next block's start (its reward), so compare it with itself.
  const root = toHex(replica.state.commit())
  const height = replica.height
  let error: unknown
  try {
    replica.applyBlock(block)
  } catch (err) {
    error = err
  }
  expect(error, `expected ${code}`).toBeInstanceOf(BlockError)
  expect((error as BlockError).code).toBe(code)
  expect(replica.height).toBe(height)
  expect(toHex(replica.state.commit())).toBe(root)
}

describe('producing blocks', () => {
  it('seals pending transactions in order, with their exact bytes, and clears the pending list', () => {
    const tc = new TestChain()
    const first = tc.submit(alice, { kind: 'transfer', to: bob.publicKey, amount: 1n })
    const second = tc.submit(alice, { kind: 'transfer', to: carol.publicKey, amount: 2n })
    expect(tc.chain.pending).toHaveLength(2)
    const block = tc.block()
    expect(block.txs).toStrictEqual([first.bytes, second.bytes])
    expect(block.header.txRoot).toStrictEqual(txRoot([first.bytes, second.bytes]))
    expect(block.header.height).toBe(1)
    expect(block.header.parent).toStrictEqual(headerHash(tc.chain.header(0)!.header))
    expect(block.header.stateRoot).toStrictEqual(tc.state.root)
    expect(tc.chain.pending).toHaveLength(0)
    expect(tc.chain.head.header).toStrictEqual(block.header)
  })

  it('never times a block before its parent', () => {
    const tc = new TestChain()
    const block = tc.chain.produceBlock(producer, 0)
    expect(block.header.time).toBe(tc.spec.time)
  })
})

describe('replaying blocks', () => {
  it('gives a replica the same state root and head after every block', () => {
    const { tc, blocks, replica } = producedChain()
    for (const block of blocks) {
      replica.applyBlock(block)
      expect(toHex(replica.state.root)).toBe(toHex(block.header.stateRoot))
    }
    expect(toHex(replica.headHash)).toBe(toHex(tc.chain.headHash))
    expect(toHex(replica.state.root)).toBe(toHex(tc.state.root))
  })

  it('rejects a block that skips a height with BAD_HEIGHT', () => {
    const { blocks, replica } = producedChain()
    expectBlockRejected(replica, blocks[1]!, 'BAD_HEIGHT')
  })

  it('rejects a block whose parent hash does not match with BAD_PARENT', () => {
    const { blocks, replica } = producedChain()
    expectBlockRejected(replica, resigned(blocks[0]!, h => ({ parent: h.stateRoot })), 'BAD_PARENT')
  })

  it('rejects a block timed before its parent with BAD_TIMESTAMP', () => {
    const { blocks, replica } = producedChain()
    expectBlockRejected(replica, resigned(blocks[0]!, h => ({ time: h.time - 1_000_000 })), 'BAD_TIMESTAMP')
  })

  it("rejects a block from a key other than the network's producer with BAD_PRODUCER", () => {
    const { blocks, replica } = producedChain()
    expectBlockRejected(replica, resigned(blocks[0]!, () => ({ producer: impostor.publicKey }), impostor), 'BAD_PRODUCER')
  })

  it('rejects a block whose signature does not match with BAD_SIGNATURE', () => {
    const { blocks, replica } = producedChain()
    const sig = blocks[0]!.sig.slice()
    sig[0]! ^= 1
    expectBlockRejected(replica, { ...blocks[0]!, sig }, 'BAD_SIGNATURE')
    // Signed by someone else in the producer's name.
    expectBlockRejected(replica, resigned(blocks[0]!, () => ({}), impostor), 'BAD_SIGNATURE')
  })

  it('rejects a block whose transactions do not match its root with BAD_TX_ROOT', () => {
    const { blocks, replica } = producedChain()
    expectBlockRejected(replica, { ...blocks[0]!, txs: blocks[0]!.txs.slice(1) }, 'BAD_TX_ROOT')
  })

  it('rejects a block holding an invalid transaction, leaving the replica unchanged and usable', () => {
    const { blocks, replica } = producedChain()
    // The same transfer twice: the second has a used nonce.
    const txs = [blocks[0]!.txs[0]!, blocks[0]!.txs[0]!]
    const bad = { ...resigned(blocks[0]!, () => ({ txRoot: txRoot(txs) })), txs }
    expectBlockRejected(replica, bad, 'MALFORMED')
    replica.applyBlock(blocks[0]!)
    expect(replica.height).toBe(1)
  })

  it('rejects a block that claims a wrong state root, and then refuses further use', () => {
    const { blocks, replica } = producedChain()
    let error: unknown
    try {
      replica.applyBlock(resigned(blocks[0]!, () => ({ stateRoot: new Uint8Array(32) })))
    } catch (err) {
      error = err
    }
    expect((error as LedgerError).code).toBe('BAD_STATE_ROOT')
    expect(replica.height).toBe(0)
    expect(() => replica.applyBlock(blocks[0]!)).toThrow(/rebuilt/)
    expect(() => replica.submit(new Uint8Array([0]))).toThrow(/rebuilt/)
  })

  it('refuses to apply a block while transactions are pending', () => {
    const { blocks, replica } = producedChain()
    replica.submit(signTx({ kind: 'transfer', from: carol.publicKey, nonce: 0, to: bob.publicKey, amount: 1n }, carol, replica.chainId).bytes)
    expect(() => replica.applyBlock(blocks[0]!)).toThrow(/pending/)
  })
})

// ---- the ledger as a whole, under random traffic ----------------------------------------------------

type Op =
  | { t: 'transfer', from: number, to: number, amount: bigint }
  | { t: 'add_stake', from: number, hotkey: number, amount: bigint }
  /** Removes `percent` % of the current stake (over 100 % must fail). */
  | { t: 'remove_stake', from: number, hotkey: number, percent: number }
  | { t: 'register', from: number, hotkey: number, netuid: number, maxBurn: bigint }
  | { t: 'create', from: number, maxLock: bigint }
  | { t: 'block' }

interface Fault { nonceOffset: number, wrongSigner: boolean }

const SIGNERS = [...COLDKEYS, ...HOTKEYS]
const RECIPIENTS = [...COLDKEYS, ...HOTKEYS, producer]
const amount = fc.oneof(
  fc.bigInt({ min: 0n, max: 5n * TOKEN }),
  fc.bigInt({ min: 0n, max: 2_000n * TOKEN }),
  fc.constantFrom(0n, 1n, TOKEN, 1_000n * TOKEN)
)
// Mostly the funded coldkeys; sometimes a hotkey, which has nothing to spend.
const signer = fc.oneof({ arbitrary: fc.nat({ max: COLDKEYS.length - 1 }), weight: 5 }, { arbitrary: fc.nat({ max: SIGNERS.length - 1 }), weight: 1 })
// Mostly hotA and hotB, which the run registers first.
const hotkey = fc.oneof({ arbitrary: fc.constantFrom(0, 2), weight: 3 }, { arbitrary: fc.nat({ max: HOTKEYS.length - 1 }), weight: 1 })
const op: fc.Arbitrary<Op> = fc.oneof(
  { arbitrary: fc.record({ t: fc.constant('transfer' as const), from: signer, to: fc.nat({ max: RECIPIENTS.length - 1 }), amount }), weight: 4 },
  { arbitrary: fc.record({ t: fc.constant('add_stake' as const), from: signer, hotkey, amount }), weight: 3 },
  { arbitrary: fc.record({ t: fc.constant('remove_stake' as const), from: signer, hotkey, percent: fc.integer({ min: 0, max: 120 }) }), weight: 3 },
  { arbitrary: fc.record({ t: fc.constant('register' as const), from: signer, hotkey, netuid: fc.integer({ min: 1, max: 4 }), maxBurn: amount }), weight: 3 },
  { arbitrary: fc.record({ t: fc.constant('create' as const), from: signer, maxLock: amount }), weight: 1 },
  { arbitrary: fc.constant({ t: 'block' as const }), weight: 3 }
)
const fault: fc.Arbitrary<Fault> = fc.oneof(
  { arbitrary: fc.constant({ nonceOffset: 0, wrongSigner: false }), weight: 8 },
  { arbitrary: fc.record({ nonceOffset: fc.constantFrom(-1, 1, 2), wrongSigner: fc.boolean() }), weight: 1 }
)

function fieldsOf (tc: TestChain, o: Exclude<Op, { t: 'block' }>): TxFields {
  switch (o.t) {
    case 'transfer': return { kind: 'transfer', to: RECIPIENTS[o.to]!.publicKey, amount: o.amount }
    case 'add_stake': return { kind: o.t, hotkey: HOTKEYS[o.hotkey]!.publicKey, amount: o.amount }
    case 'remove_stake': {
      const hotkey = HOTKEYS[o.hotkey]!
      return { kind: o.t, hotkey: hotkey.publicKey, amount: tc.stake(hotkey, SIGNERS[o.from]!) * BigInt(o.percent) / 100n }
    }
    case 'register': return { kind: 'register_burn', netuid: o.netuid, hotkey: HOTKEYS[o.hotkey]!.publicKey, maxBurn: o.maxBurn }
    case 'create': return { kind: 'create_subnet', name: 'random', maxLock: o.maxLock }
  }
}

/** Σ balances + Σ stakes + Σ subnet locks + Σ emission pending in subnets, over every key the traffic can touch. */
function accountedFor (tc: TestChain): { total: bigint, stakes: bigint } {
  const balances = KNOWN_KEYS.reduce((sum, key) => sum + tc.balance(key), 0n)
  let stakes = 0n
  for (const h of HOTKEYS) for (const c of SIGNERS) stakes += amountAt(tc.state, K.stake(h.publicKey, c.publicKey))
  const subnets = tc.globals.netuids.map(n => tc.state.get<Subnet>(K.subnet(n))!)
  const locks = subnets.reduce((sum, s) => sum + s.locked + s.pendingEmission, 0n)
  return { total: balances + stakes + locks, stakes }
}

describe('the ledger under random transactions', () => {
  it('conserves issuance, stays under the cap, and replays to identical state roots', () => {
    const genesisIssuance = fc.constantFrom(0n, TOTAL_SUPPLY - 3_000n * TOKEN - 5n * TOKEN)
    fc.assert(fc.property(genesisIssuance, fc.array(fc.tuple(op, fault), { minLength: 5, maxLength: 60 }), (extra, ops) => {
      const spec = genesisSpec({
        params: { subnetLockCost: 50n * TOKEN, maxSubnets: 3n },
        subnet1: { burn: 2n * TOKEN, maxRegistrationsPerBlock: 2n, maxUids: 3n, immunityPeriod: 2n, adjustmentInterval: 4n },
        balances: [
          { key: alice.publicKey, amount: 1_000n * TOKEN + extra },
          { key: bob.publicKey, amount: 1_000n * TOKEN },
          { key: carol.publicKey, amount: 1_000n * TOKEN }
        ]
      })
      const tc = new TestChain(spec)
      const replica = new Chain(spec)
      const check = (): void => {
        const block = tc.block()
        replica.applyBlock(block)
        expect(toHex(replica.state.root)).toBe(toHex(tc.state.root))
        expect(toHex(replica.headHash)).toBe(toHex(tc.chain.headHash))
        const { total, stakes } = accountedFor(tc)
        expect(total).toBe(tc.globals.issuance)
        expect(stakes).toBe(tc.globals.totalStake)
        expect(tc.globals.issuance).toBeLessThanOrEqual(TOTAL_SUPPLY)
      }
      // Two hotkeys registered up front, so that staking has somewhere to go.
      tc.submit(alice, { kind: 'register_burn', netuid: 2, hotkey: hotA.publicKey, maxBurn: TOKEN })
      tc.submit(bob, { kind: 'register_burn', netuid: 2, hotkey: hotB.publicKey, maxBurn: TOKEN })
      check()
      for (const [o, f] of ops) {
        if (o.t === 'block') {
          check()
          continue
        }
        const key = SIGNERS[o.from]!
        const nonce = tc.nonce(key) + f.nonceOffset
        if (nonce < 0) continue
        const body = { ...fieldsOf(tc, o), from: key.publicKey, nonce } as TxBody
        const tx = signTx(body, f.wrongSigner ? impostor : key, tc.chain.chainId)
        try {
          tc.chain.submit(tx.bytes)
        } catch (err) {
          if (!(err instanceof LedgerError)) throw err
          if (f.wrongSigner) expect(err.code).toBe('BAD_SIGNATURE')
          else if (f.nonceOffset !== 0) expect(err.code).toBe('BAD_NONCE')
          continue
        }
        expect(f).toStrictEqual({ nonceOffset: 0, wrongSigner: false })
      }
      check()
    }), { numRuns: 50 })
  })
})
