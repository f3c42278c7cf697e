/**
 * The explorer's data: the newest blocks and the transactions in them, one block, one account
 * (its balance proven by the light client when it can be, and its stakes), one subnet's metagraph
 * with its epochs. Blocks never change once made, so their details are fetched once and kept.
 */
import { verifySafely } from './chain-session.svelte.ts'
import { userMessage } from './errors.ts'
import type { AccountStakes, BlockDetail, BlockSummary, EpochSummary, ExplorerClient, Metagraph, SubnetSummary, TxView } from './explorer-client.ts'
import { nextSort, sortNeurons, type NeuronColumn, type NeuronSort } from './metagraph-sort.ts'
import type { AccountState, RelayClient } from './relay-client.ts'
import type { VerifyAccount } from './services.ts'

/** Blocks in the latest list. */
export const LATEST_BLOCKS = 15
/** Transactions kept in the latest list. */
export const LATEST_TRANSACTIONS = 20
/** Most blocks read for transactions in one poll. */
const SCAN_BLOCKS = 50
/** Most blocks kept in the cache of block details. */
const BLOCK_CACHE = 64

export interface ExplorerDeps {
  relay: Pick<RelayClient, 'getAccount'>
  explorer: ExplorerClient
  verifyAccount: VerifyAccount
}

export type TxInBlock = TxView & { height: number }

export class ExplorerSession {
  blocks = $state<BlockSummary[]>([])
  /** The latest transactions seen, newest first. */
  transactions = $state<TxInBlock[]>([])
  block = $state<BlockDetail | null>(null)
  account = $state<{ state: AccountState, verified: boolean, stakes: AccountStakes } | null>(null)
  subnets = $state<SubnetSummary[] | null>(null)
  metagraph = $state<Metagraph | null>(null)
  epochs = $state<EpochSummary[]>([])
  sort = $state<NeuronSort>({ column: 'stake', direction: 'descending' })
  error = $state<string | null>(null)

  readonly #deps: ExplorerDeps
  readonly #details = new Map<number, BlockDetail>()
  /** Highest block whose transactions are in `transactions`. */
  #scanned = -1

  constructor (deps: ExplorerDeps) {
    this.#deps = deps
  }

  get neurons () {
    return this.metagraph === null ? [] : sortNeurons(this.metagraph.neurons, this.sort)
  }

  sortBy (column: NeuronColumn): void {
    this.sort = nextSort(this.sort, column)
  }

  async #detail (height: number): Promise<BlockDetail> {
    let detail = this.#details.get(height)
    if (detail === undefined) {
      detail = await this.#deps.explorer.block(height)
      this.#details.set(height, detail)
      if (this.#details.size > BLOCK_CACHE) this.#details.delete(Math.min(...this.#details.keys()))
    }
    return detail
  }

  async #run (work: () => Promise<void>): Promise<void> {
    try {
      await work()
      this.error = null
    } catch (err) {
      this.error = userMessage(err)
    }
  }

  async loadLatest (): Promise<void> {
    await this.#run(async () => {
      const blocks = await this.#deps.explorer.latestBlocks(LATEST_BLOCKS)
      const head = blocks[0]?.height ?? -1
      // Every block since the last look is read, so no transaction slips by between two polls.
      const from = Math.max(this.#scanned + 1, head - SCAN_BLOCKS + 1, 0)
      const fresh: TxInBlock[] = []
      for (let height = head; height >= from; height--) {
        const detail = await this.#detail(height)
        fresh.push(...detail.transactions.map(tx => ({ ...tx, height })))
      }
      this.#scanned = Math.max(this.#scanned, head)
      this.blocks = blocks
      if (fresh.length > 0) this.transactions = [...fresh, ...this.transactions].slice(0, LATEST_TRANSACTIONS)
    })
  }

  async loadBlock (height: number): Promise<void> {
    if (this.block?.height !== height) this.block = null
    await this.#run(async () => { this.block = await this.#detail(height) })
  }

  async loadAccount (address: string): Promise<void> {
    if (this.account?.state.address !== address) this.account = null
    await this.#run(async () => {
      const [state, stakes] = await Promise.all([this.#deps.relay.getAccount(address), this.#deps.explorer.stakes(address)])
      const verified = await verifySafely(() => this.#deps.verifyAccount(state))
      this.account = { state, verified, stakes }
    })
  }

  async loadSubnets (): Promise<void> {
    await this.#run(async () => { this.subnets = await this.#deps.explorer.subnets() })
  }

  async loadSubnet (netuid: number): Promise<void> {
    if (this.metagraph?.netuid !== netuid) {
      this.metagraph = null
      this.epochs = []
    }
    await this.#run(async () => {
      const [metagraph, epochs] = await Promise.all([this.#deps.explorer.metagraph(netuid), this.#deps.explorer.epochs(netuid)])
      this.metagraph = metagraph
      this.epochs = epochs
    })
  }
}

