/**
 * The governance page: proposals (open first, then past), this coldkey's stake, and proposing and
 * voting as signed transactions. Each form is checked against the ledger's rules before signing
 * (`governance-form.ts`), so a vote on a closed proposal or a proposal without enough stake is
 * refused inline; what the ledger still refuses comes back as its own sentence. A proposal that
 * closes while the page shows it loses its vote buttons at the next refresh and says so inline.
 */
import { userMessage } from './errors.ts'
import type { ExplorerClient, ProposalView, Proposals, SubnetSummary } from './explorer-client.ts'
import { checkProposal, voteRefusal, type ProposalErrors, type ProposalFields } from './governance-form.ts'
import type { RelayClient } from './relay-client.ts'
import { sendTx } from './tx-send.ts'
import type { WalletAccess } from './wallet-access.ts'

export interface GovernanceDeps {
  relay: Pick<RelayClient, 'getHealth' | 'getAccount' | 'submitTx'>
  explorer: Pick<ExplorerClient, 'proposals' | 'subnets' | 'stakes'>
  wallet: WalletAccess
}

export class GovernanceSession {
  data = $state<Proposals | null>(null)
  subnets = $state<SubnetSummary[]>([])
  /** This coldkey's total stake; null while locked or unknown. */
  stake = $state<bigint | null>(null)
  loadError = $state<string | null>(null)
  /** 'propose', or the id of the proposal a vote is being sent for. */
  pending = $state<'propose' | number | null>(null)
  proposeErrors = $state<ProposalErrors>({})
  proposeNotice = $state<string | null>(null)
  voteErrors = $state<Record<number, string>>({})
  voteNotices = $state<Record<number, string>>({})
  /** Proposals that closed while this page showed them open: id → sentence. */
  closedNotices = $state<Record<number, string>>({})

  readonly #deps: GovernanceDeps

  constructor (deps: GovernanceDeps) {
    this.#deps = deps
  }

  get open () {
    return this.data?.proposals.filter(p => p.status === 'open') ?? []
  }

  get past () {
    return this.data?.proposals.filter(p => p.status !== 'open') ?? []
  }

  /** Whether votes on `proposal` still count at the height last read. */
  votable (proposal: ProposalView): boolean {
    return this.data !== null && voteRefusal(proposal, this.data.height, null) === null
  }

  subnetName (netuid: number): string {
    return netuid === 0 ? 'Network' : this.subnets.find(s => s.netuid === netuid)?.name ?? `Subnet ${netuid}`
  }

  async refresh (): Promise<void> {
    const address = this.#deps.wallet.address
    try {
      const [data, subnets, stakes] = await Promise.all([
        this.#deps.explorer.proposals(),
        this.#deps.explorer.subnets(),
        address === null ? Promise.resolve(null) : this.#deps.explorer.stakes(address)
      ])
      this.#noteClosed(data)
      this.data = data
      this.subnets = subnets
      this.stake = address === this.#deps.wallet.address ? stakes?.total ?? null : null
      this.loadError = null
    } catch (err) {
      this.loadError = userMessage(err)
    }
  }

  /** Remembers which proposals the page showed open that `next` says are closed. */
  #noteClosed (next: Proposals): void {
    if (this.data === null) return
    const closed: Record<number, string> = {}
    for (const shown of this.data.proposals) {
      if (!this.votable(shown)) continue
      const now = next.proposals.find(p => p.id === shown.id)
      if (now === undefined || voteRefusal(now, next.height, null) === null) continue
      closed[shown.id] = `Voting closed at block ${now.closesAt.toLocaleString('en')} while this page was open; votes are no longer counted.`
    }
    if (Object.keys(closed).length > 0) this.closedNotices = { ...this.closedNotices, ...closed }
  }

  /** Checks, signs and submits a proposal; true when the relay accepted it. */
  async propose (fields: ProposalFields): Promise<boolean> {
    const wallet = this.#deps.wallet.wallet
    if (wallet === null || this.pending !== null) return false
    this.proposeNotice = null
    const check = checkProposal(fields, {
      stake: this.stake,
      minStake: this.data?.params.proposeMinStake ?? null,
      netuids: this.subnets.map(s => s.netuid)
    })
    if (!check.ok) {
      this.proposeErrors = check.errors
      return false
    }
    this.proposeErrors = {}
    this.pending = 'propose'
    try {
      const id = await sendTx(this.#deps.relay, wallet, { kind: 'propose', netuid: check.netuid, param: check.param, value: check.value })
      this.proposeNotice = `Proposal sent (transaction ${id.slice(0, 16)}…); it opens for votes once a block includes it.`
      void this.refresh()
      return true
    } catch (err) {
      this.proposeErrors = { form: userMessage(err) }
      return false
    } finally {
      this.pending = null
    }
  }

  /** Checks, signs and submits a vote; true when the relay accepted it. */
  async vote (proposalId: number, approve: boolean): Promise<boolean> {
    const wallet = this.#deps.wallet.wallet
    const proposal = this.data?.proposals.find(p => p.id === proposalId)
    if (wallet === null || proposal === undefined || this.data === null || this.pending !== null) return false
    this.voteErrors = { ...this.voteErrors, [proposalId]: '' }
    this.voteNotices = { ...this.voteNotices, [proposalId]: '' }
    const refusal = voteRefusal(proposal, this.data.height, this.stake)
    if (refusal !== null) {
      this.voteErrors = { ...this.voteErrors, [proposalId]: refusal }
      return false
    }
    this.pending = proposalId
    try {
      await sendTx(this.#deps.relay, wallet, { kind: 'vote', proposal: proposalId, approve })
      this.voteNotices = { ...this.voteNotices, [proposalId]: `Your ${approve ? 'yes' : 'no'} vote is sent; you may change it until the proposal closes.` }
      void this.refresh()
      return true
    } catch (err) {
      this.voteErrors = { ...this.voteErrors, [proposalId]: userMessage(err) }
      return false
    } finally {
      this.pending = null
    }
  }
}
