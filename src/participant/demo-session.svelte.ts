/**
 * The demo screen's data, polled while the screen is shown: the peers connected to the relay
 * with their roles, each subnet's leaderboard (its metagraph's miners by incentive), what each
 * subnet has pending for its next epoch (it grows every block), each epoch's payout as it
 * happens, and the address phones join at. Everything here is the relay's word, like the
 * explorer's; the wallet and epoch audits are where a tab checks for itself.
 */
import type { DemoClient, JoinAddresses, NetworkView } from './demo-client.ts'
import { userMessage } from './errors.ts'
import type { ExplorerClient, Metagraph, NeuronView, SubnetSummary } from './explorer-client.ts'

/** How often the screen asks the relay, in ms: demo networks make a block a second. */
export const DEMO_POLL_MS = 2_000
/** Rows in each subnet's leaderboard. */
export const LEADERBOARD_ROWS = 5
/** Payouts kept in the emissions feed. */
export const FEED_LENGTH = 8

export interface LeaderRow {
  rank: number
  uid: number
  hotkey: string
  /** The last epoch's incentive, a proportion of 1. */
  incentive: number
  /** Base units it was paid at the last epoch. */
  emission: bigint
  /** Its tab is connected to the relay now. */
  online: boolean
}

export interface SubnetBoard {
  netuid: number
  name: string
  miners: number
  validators: number
  /** Minted for the subnet since its last epoch, paid at the next. */
  pending: bigint
  /** Blocks until its next epoch. */
  nextEpochIn: number
  tempo: number
  rows: LeaderRow[]
}

export interface Payout {
  netuid: number
  subnet: string
  height: number
  emission: bigint
}

/** A metagraph's miners (uids without a validator permit), best first: incentive, then pay, then uid. */
export function leaderboard (neurons: readonly NeuronView[], online: ReadonlySet<string>, rows = LEADERBOARD_ROWS): LeaderRow[] {
  return neurons
    .filter(n => !n.validatorPermit)
    .sort((a, b) => b.incentive - a.incentive || (b.emission > a.emission ? 1 : b.emission < a.emission ? -1 : 0) || a.uid - b.uid)
    .slice(0, rows)
    .map((n, i) => ({ rank: i + 1, uid: n.uid, hotkey: n.hotkey, incentive: n.incentive / 65535, emission: n.emission, online: online.has(n.hotkey) }))
}

export function board (subnet: SubnetSummary, metagraph: Metagraph, height: number, online: ReadonlySet<string>): SubnetBoard {
  const tempo = Number(subnet.params.tempo ?? 0n)
  const validators = metagraph.neurons.filter(n => n.validatorPermit).length
  return {
    netuid: subnet.netuid,
    name: subnet.name,
    miners: metagraph.neurons.length - validators,
    validators,
    pending: subnet.pendingEmission,
    nextEpochIn: tempo > 0 ? Math.max(0, subnet.lastEpochBlock + tempo - height) : 0,
    tempo,
    rows: leaderboard(metagraph.neurons, online)
  }
}

export class DemoSession {
  network = $state<NetworkView | null>(null)
  join = $state<JoinAddresses | null>(null)
  boards = $state<SubnetBoard[]>([])
  /** Payouts, newest first. */
  feed = $state<Payout[]>([])
  /** Base units paid by the epochs seen since the screen opened. */
  paidSinceOpen = $state(0n)
  height = $state<number | null>(null)
  error = $state<string | null>(null)

  readonly #demo: DemoClient
  readonly #explorer: ExplorerClient
  readonly #pollMs: number
  /** Epoch heights already in the feed, per subnet. */
  readonly #seen = new Map<number, Set<number>>()
  #timer: ReturnType<typeof setTimeout> | undefined
  #running = false

  constructor ({ demo, explorer, pollMs = DEMO_POLL_MS }: { demo: DemoClient, explorer: ExplorerClient, pollMs?: number }) {
    this.#demo = demo
    this.#explorer = explorer
    this.#pollMs = pollMs
  }

  /** The hotkeys whose tabs are connected now. */
  get online (): Set<string> {
    return new Set((this.network?.peers ?? []).flatMap(p => p.hotkey === null ? [] : [p.hotkey]))
  }

  start (): void {
    if (this.#running) return
    this.#running = true
    void this.#loop()
  }

  stop (): void {
    this.#running = false
    clearTimeout(this.#timer)
  }

  async #loop (): Promise<void> {
    await this.refresh()
    if (this.#running) this.#timer = setTimeout(() => { void this.#loop() }, this.#pollMs)
  }

  async refresh (): Promise<void> {
    try {
      if (this.join === null) this.join = await this.#demo.join()
      const [network, subnets] = await Promise.all([this.#demo.network(), this.#explorer.subnets()])
      this.network = network
      this.height = network.height
      const online = this.online
      const metagraphs = await Promise.all(subnets.map(async s => await this.#explorer.metagraph(s.netuid)))
      this.boards = subnets.map((s, i) => board(s, metagraphs[i]!, network.height, online))
      await this.#collectPayouts(subnets)
      this.error = null
    } catch (err) {
      this.error = userMessage(err)
    }
  }

  async #collectPayouts (subnets: readonly SubnetSummary[]): Promise<void> {
    const fresh: Payout[] = []
    const first = this.#seen.size === 0
    for (const subnet of subnets) {
      const seen = this.#seen.get(subnet.netuid) ?? new Set<number>()
      this.#seen.set(subnet.netuid, seen)
      for (const epoch of await this.#explorer.epochs(subnet.netuid)) {
        if (seen.has(epoch.height)) continue
        seen.add(epoch.height)
        fresh.push({ netuid: subnet.netuid, subnet: subnet.name, height: epoch.height, emission: epoch.emission })
        if (!first) this.paidSinceOpen += epoch.emission
      }
    }
    if (fresh.length === 0) return
    this.feed = [...fresh, ...this.feed].sort((a, b) => b.height - a.height || a.netuid - b.netuid).slice(0, FEED_LENGTH)
  }
}
