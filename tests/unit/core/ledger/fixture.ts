/**
 * A small network for ledger tests: a producer, three funded coldkeys with a hotkey or two each,
 * and two subnets, driven through `Chain` the way the relay drives it (wire bytes in, blocks out).
 */
import { expect } from 'vitest'
import { Chain } from '../../../../src/core/chain.ts'
import { LedgerError } from '../../../../src/core/errors.ts'
import type { GenesisSpec } from '../../../../src/core/genesis.ts'
import { toHex } from '../../../../src/core/hash.ts'
import { keypairFromLabel, type Keypair } from '../../../../src/core/keys.ts'
import { TREASURY } from '../../../../src/core/ledger/apply.ts'
import { K, account, amountAt, globals, type Globals, type Subnet } from '../../../../src/core/ledger/schema.ts'
import type { NetworkParams, SubnetParams } from '../../../../src/core/params.ts'
import { signTx, type SignedTx, type TxBody } from '../../../../src/core/tx.ts'
import type { Block } from '../../../../src/core/block.ts'

export const TOKEN = 1_000_000_000n
export const GENESIS_TIME = 1_700_000_000_000

export const producer = keypairFromLabel('producer')
export const alice = keypairFromLabel('alice')
export const bob = keypairFromLabel('bob')
export const carol = keypairFromLabel('carol')
export const hotA = keypairFromLabel('alice/hotkey/0')
export const hotA2 = keypairFromLabel('alice/hotkey/1')
export const hotB = keypairFromLabel('bob/hotkey/0')
export const hotC = keypairFromLabel('carol/hotkey/0')

export const COLDKEYS = [alice, bob, carol]
export const HOTKEYS = [hotA, hotA2, hotB, hotC]
/** Every key whose balance a test may look at. */
export const KNOWN_KEYS: Uint8Array[] = [producer, ...COLDKEYS, ...HOTKEYS].map(k => k.publicKey).concat([TREASURY])

export interface SpecOptions {
  params?: Partial<NetworkParams>
  subnet1?: Partial<SubnetParams>
  subnet2?: Partial<SubnetParams>
  balances?: Array<{ key: Uint8Array, amount: bigint }>
}

export function genesisSpec (options: SpecOptions = {}): GenesisSpec {
  return {
    chain: 'tabtensor-test',
    time: GENESIS_TIME,
    producer: producer.publicKey,
    balances: options.balances ?? [
      { key: alice.publicKey, amount: 1_000n * TOKEN },
      { key: bob.publicKey, amount: 1_000n * TOKEN },
      { key: carol.publicKey, amount: 1_000n * TOKEN }
    ],
    subnets: [
      { name: 'one', owner: alice.publicKey, params: { tempo: 3n, maxRegistrationsPerBlock: 8n, ...options.subnet1 } },
      { name: 'two', owner: bob.publicKey, params: { tempo: 3n, maxRegistrationsPerBlock: 8n, ...options.subnet2 } }
    ],
    params: options.params ?? {}
  }
}

/** The fields of a transaction body without the sender and nonce. */
export type TxFields = TxBody extends infer B ? B extends TxBody ? Omit<B, 'from' | 'nonce'> : never : never

export class TestChain {
  readonly chain: Chain
  private time = GENESIS_TIME

  constructor (readonly spec: GenesisSpec = genesisSpec()) {
    this.chain = new Chain(spec)
  }

  get state () { return this.chain.state }
  get height (): number { return this.chain.height }

  /** The next nonce of `key` in the working state (pending transactions included). */
  nonce (key: Keypair): number {
    return account(this.chain.state, key.publicKey).nonce
  }

  tx (key: Keypair, fields: TxFields, nonce = this.nonce(key)): SignedTx {
    return signTx({ ...fields, from: key.publicKey, nonce } as TxBody, key, this.chain.chainId)
  }

  /** Signs and submits as wire bytes, as the relay receives them. */
  submit (key: Keypair, fields: TxFields, nonce?: number): SignedTx {
    return this.chain.submit(this.tx(key, fields, nonce).bytes)
  }

  block (): Block {
    this.time += 1_000
    return this.chain.produceBlock(producer, this.time)
  }

  /** Produces blocks until the head is at `height`. */
  blocksUntil (height: number): Block[] {
    const blocks: Block[] = []
    while (this.chain.height < height) blocks.push(this.block())
    return blocks
  }

  balance (key: Keypair | Uint8Array): bigint {
    return account(this.chain.state, key instanceof Uint8Array ? key : key.publicKey).balance
  }

  stake (hotkey: Keypair, coldkey: Keypair): bigint {
    return amountAt(this.chain.state, K.stake(hotkey.publicKey, coldkey.publicKey))
  }

  subnet (netuid: number): Subnet {
    const subnet = this.chain.state.get<Subnet>(K.subnet(netuid))
    if (subnet === undefined) throw new Error(`no subnet ${netuid}`)
    return subnet
  }

  get globals (): Globals {
    return globals(this.chain.state)
  }

  uidOf (netuid: number, hotkey: Keypair): number | undefined {
    return this.chain.state.get<number>(K.uidOf(netuid, hotkey.publicKey))
  }

  /** Registers `hotkey` for `coldkey` by burning, in its own block. */
  registerBurn (coldkey: Keypair, hotkey: Keypair, netuid = 1): number {
    this.submit(coldkey, { kind: 'register_burn', netuid, hotkey: hotkey.publicKey, maxBurn: 1_000n * TOKEN })
    this.block()
    return this.uidOf(netuid, hotkey)!
  }

  /** Registers `hotkey` for `coldkey` and stakes `amount` on it. */
  registerAndStake (coldkey: Keypair, hotkey: Keypair, amount: bigint, netuid = 1): void {
    this.registerBurn(coldkey, hotkey, netuid)
    this.submit(coldkey, { kind: 'add_stake', hotkey: hotkey.publicKey, amount })
    this.block()
  }
}

/**
 * Submits a transaction that must be refused with `code`, and checks that nothing changed: the
 * state root, every known balance, and the pending list.
 */
export function expectRejected (tc: TestChain, submit: () => unknown, code: string): LedgerError {
  const root = toHex(tc.chain.state.commit())
  const balances = KNOWN_KEYS.map(k => tc.balance(k))
  const pending = tc.chain.pending.length
  let error: unknown
  try {
    submit()
  } catch (err) {
    error = err
  }
  expect(error, `expected ${code}`).toBeInstanceOf(LedgerError)
  expect((error as LedgerError).code).toBe(code)
  expect(toHex(tc.chain.state.commit()), 'state root after the rejection').toBe(root)
  expect(KNOWN_KEYS.map(k => tc.balance(k)), 'balances after the rejection').toStrictEqual(balances)
  expect(tc.chain.pending.length).toBe(pending)
  return error as LedgerError
}
