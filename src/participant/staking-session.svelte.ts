/**
 * Staking from the wallet page: the validators one can stake to (every registered hotkey, those
 * with a validator permit first, each with its subnet's take), this coldkey's stakes, and the
 * stake and unstake actions. Forms are checked before signing (`stake-form.ts`); a refusal by the
 * ledger or a lost connection comes back as one sentence under the form, and nothing is sent twice.
 */
import { userMessage } from './errors.ts'
import type { AccountStakes, ExplorerClient } from './explorer-client.ts'
import { formatTokens } from './format.ts'
import type { RelayClient } from './relay-client.ts'
import { checkStake, type StakeErrors, type StakeFields, type StakeMode } from './stake-form.ts'
import { sendTx } from './tx-send.ts'
import type { WalletAccess } from './wallet-access.ts'

export interface ValidatorOption {
  hotkey: string
  /** Where the hotkey serves, e.g. "folding uid 3". */
  where: string
  /** Its first subnet's validator take, as a u16 fraction of 65535. */
  take: bigint
  /** Total stake on the hotkey, base units. */
  stake: bigint
  validatorPermit: boolean
}

export interface StakingDeps {
  relay: Pick<RelayClient, 'getHealth' | 'getAccount' | 'submitTx'>
  explorer: Pick<ExplorerClient, 'stakes' | 'subnets' | 'metagraph'>
  wallet: WalletAccess
}

export class StakingSession {
  stakes = $state<AccountStakes | null>(null)
  validators = $state<ValidatorOption[] | null>(null)
  loadError = $state<string | null>(null)
  pending = $state<StakeMode | null>(null)
  /** Errors of the last checked or sent form, and which form they belong to. */
  errors = $state<StakeErrors & { form?: string }>({})
  errorsFor = $state<StakeMode | null>(null)
  notice = $state<string | null>(null)

  readonly #deps: StakingDeps

  constructor (deps: StakingDeps) {
    this.#deps = deps
  }

  /** This coldkey's stake on `hotkey`, base units. */
  stakeOn (hotkey: string): bigint {
    return this.stakes?.stakes.find(s => s.hotkey === hotkey)?.amount ?? 0n
  }

  async refresh (): Promise<void> {
    const address = this.#deps.wallet.address
    try {
      const [stakes, validators] = await Promise.all([
        address === null ? Promise.resolve(null) : this.#deps.explorer.stakes(address),
        this.#loadValidators()
      ])
      if (address !== this.#deps.wallet.address) return
      this.stakes = stakes
      this.validators = validators
      this.loadError = null
    } catch (err) {
      this.loadError = userMessage(err)
    }
  }

  async #loadValidators (): Promise<ValidatorOption[]> {
    const byHotkey = new Map<string, ValidatorOption>()
    for (const subnet of await this.#deps.explorer.subnets()) {
      const { neurons } = await this.#deps.explorer.metagraph(subnet.netuid)
      for (const n of neurons) {
        const known = byHotkey.get(n.hotkey)
        if (known !== undefined) {
          known.validatorPermit ||= n.validatorPermit
          continue
        }
        byHotkey.set(n.hotkey, {
          hotkey: n.hotkey,
          where: `${subnet.name} uid ${n.uid}`,
          take: subnet.params.validatorTake ?? 0n,
          stake: n.stake,
          validatorPermit: n.validatorPermit
        })
      }
    }
    return [...byHotkey.values()].sort((a, b) => Number(b.validatorPermit) - Number(a.validatorPermit) || (b.stake > a.stake ? 1 : b.stake < a.stake ? -1 : 0))
  }

  clear (): void {
    this.errors = {}
    this.errorsFor = null
    this.notice = null
  }

  /** Checks, signs and submits a stake or unstake; true when the relay accepted it. */
  async submit (mode: StakeMode, fields: StakeFields): Promise<boolean> {
    const { wallet, balance } = this.#deps.wallet
    if (wallet === null || this.pending !== null) return false
    this.notice = null
    this.errorsFor = mode
    const check = checkStake(mode, fields, {
      balance,
      staked: new Map(this.stakes?.stakes.map(s => [s.hotkey, s.amount]) ?? []),
      registered: this.validators === null ? null : new Set(this.validators.map(v => v.hotkey))
    })
    if (!check.ok) {
      this.errors = check.errors
      return false
    }
    this.errors = {}
    this.pending = mode
    try {
      const id = await sendTx(this.#deps.relay, wallet, { kind: mode === 'stake' ? 'add_stake' : 'remove_stake', hotkey: check.hotkey, amount: check.amount })
      const verb = mode === 'stake' ? 'Staked' : 'Unstaked'
      this.notice = `${verb} ${formatTokens(check.amount)} (transaction ${id.slice(0, 16)}…); it counts once a block includes it.`
      void this.#deps.wallet.refreshAccount()
      void this.refresh()
      return true
    } catch (err) {
      this.errors = { form: userMessage(err) }
      return false
    } finally {
      this.pending = null
    }
  }
}
