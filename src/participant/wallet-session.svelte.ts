/**
 * The wallet as the page sees it: a small state machine (no wallet → backup shown once →
 * unlocked ⇄ locked) plus the unlocked wallet's account, faucet and send actions. A first visit
 * skips the ceremony (`quickStart`): the wallet is made without a passphrase and opens by itself
 * on the next visit; once it holds something, the session asks once (`backup`) to write the
 * recovery phrase down and set a passphrase. Components
 * only read these fields and call these methods, so every rule lives here and is tested in Node.
 *
 * The unlocked `Wallet` is kept in a private field, outside Svelte's reactive proxies, and dropped
 * on lock. Each lock or forget starts a new generation; answers that arrive for an older one
 * (an account poll that was in flight) are thrown away instead of repopulating a locked screen.
 *
 * The account is read over libp2p when a peer can prove it (`peerAccount`), else over HTTP; either
 * way the balance is marked verified only when the light client checked its proof. A send asks
 * the relay for the nonce to use, since only the relay knows the transactions it holds.
 */
import { toAddress } from '../core/address.ts'
import type { Wallet } from '../core/keys.ts'
import { verifySafely } from './chain-session.svelte.ts'
import { userMessage } from './errors.ts'
import { formatTokens } from './format.ts'
import type { AccountState } from './relay-client.ts'
import type { Services } from './services.ts'
import { checkTransfer } from './transfer-form.ts'
import type { TransferErrors, TransferFields } from './transfer-form.ts'

/** How often an unlocked wallet's account is polled, in milliseconds. */
export const ACCOUNT_POLL_MS = 5_000

export type WalletStatus =
  /** Checking whether this browser holds a wallet. */
  | 'loading'
  /** The browser refuses storage (for instance some private windows). */
  | 'unavailable'
  /** No wallet here: create or restore one. */
  | 'empty'
  /** Just created: the recovery phrase is on screen, once. */
  | 'backup'
  | 'locked'
  | 'unlocked'

export type WalletAction = 'create' | 'restore' | 'unlock' | 'forget' | 'faucet' | 'send' | 'guard'

/**
 * The one-time backup of a wallet made without a passphrase: not asked yet (or declined), the
 * question, the phrase on screen, the passphrase form, and done.
 */
export type BackupStep = 'none' | 'ask' | 'phrase' | 'passphrase' | 'done'

export type WalletSessionDeps = Pick<Services, 'keystore' | 'relay' | 'buildTransfer' | 'verifyAccount'> & Partial<Pick<Services, 'peerAccount'>> & {
  pollMs?: number
}

/** How the account shown was read: over libp2p (ledger sync), or over the relay's HTTP API. */
export type AccountSource = 'libp2p' | 'http'

export class WalletSession {
  status = $state<WalletStatus>('loading')
  /** The action in progress, if any; its button shows progress and the others wait. */
  pending = $state<WalletAction | null>(null)
  /** Why the last create, restore, unlock or forget was refused. */
  error = $state<string | null>(null)
  /** The recovery phrase, only while status is 'backup'. */
  mnemonic = $state<string | null>(null)
  /** The coldkey's address while a wallet is open. */
  address = $state<string | null>(null)
  account = $state<AccountState | null>(null)
  /** Whether `account` was proven by the light client. */
  accountVerified = $state(false)
  accountSource = $state<AccountSource | null>(null)
  accountError = $state<string | null>(null)
  faucetNotice = $state<string | null>(null)
  faucetError = $state<string | null>(null)
  sendErrors = $state<TransferErrors & { form?: string }>({})
  sendNotice = $state<string | null>(null)
  /** Whether the open wallet is sealed with a passphrase (false after a quick start, until one is set). */
  guarded = $state(true)
  backup = $state<BackupStep>('none')

  readonly #deps: WalletSessionDeps
  /** The person was already asked to back up this unguarded wallet (kept in the keystore). */
  #backupAsked = false
  #wallet: Wallet | null = null
  #generation = 0
  #timer: ReturnType<typeof setInterval> | undefined

  constructor (deps: WalletSessionDeps) {
    this.#deps = deps
  }

  /** The open wallet while unlocked (the miner signs with its keys), else null. */
  get wallet (): Wallet | null {
    return this.status === 'unlocked' ? this.#wallet : null
  }

  get balance (): bigint | null {
    return this.account?.balance ?? null
  }

  /** Finds out whether this browser holds a wallet. */
  async load (): Promise<void> {
    try {
      const unguarded = await this.#deps.keystore.openUnguarded()
      if (unguarded !== null) {
        this.#openUnguarded(unguarded.wallet, unguarded.backupAsked)
        return
      }
      this.status = await this.#deps.keystore.exists() ? 'locked' : 'empty'
    } catch {
      this.status = 'unavailable'
      this.error = 'This browser does not let the page store a wallet (a private window may block it); open the page in a normal window.'
    }
  }

  async create (passphrase: string, confirmation: string): Promise<void> {
    if (passphrase !== confirmation) {
      this.error = 'The two passphrases differ; type the same one twice.'
      return
    }
    await this.#run('create', async () => {
      const { mnemonic, wallet } = await this.#deps.keystore.create(passphrase)
      this.#open(wallet)
      this.mnemonic = mnemonic
      this.status = 'backup'
    })
  }

  /** A first visit's one click: a wallet without a passphrase, open at once (see the header). */
  async quickStart (): Promise<void> {
    if (this.status !== 'empty') return
    await this.#run('create', async () => {
      const { wallet } = await this.#deps.keystore.createUnguarded()
      this.#openUnguarded(wallet, false)
    })
  }

  /** Shows the recovery phrase of the wallet made without a passphrase. */
  async showBackupPhrase (): Promise<void> {
    await this.#run('guard', async () => {
      const unguarded = await this.#deps.keystore.openUnguarded()
      if (unguarded === null) return
      this.mnemonic = unguarded.mnemonic
      this.backup = 'phrase'
    })
  }

  /** The phrase is written down: hide it and ask for a passphrase. */
  phraseWrittenDown (): void {
    this.mnemonic = null
    this.backup = 'passphrase'
  }

  /** Seals the wallet with a passphrase; from now on it opens only with it. */
  async setPassphrase (passphrase: string, confirmation: string): Promise<void> {
    if (passphrase !== confirmation) {
      this.error = 'The two passphrases differ; type the same one twice.'
      return
    }
    await this.#run('guard', async () => {
      await this.#deps.keystore.guard(passphrase)
      this.guarded = true
      this.backup = 'done'
    })
  }

  /** Not now: the question is not asked again (the wallet page keeps the way to do it). */
  dismissBackup (): void {
    this.mnemonic = null
    this.backup = 'none'
  }

  /** The person has written the phrase down: hide it for good and show the wallet. */
  acknowledgeBackup (): void {
    this.mnemonic = null
    this.status = 'unlocked'
    this.#startPolling()
  }

  async restore (mnemonic: string, passphrase: string, confirmation: string): Promise<void> {
    if (passphrase !== confirmation) {
      this.error = 'The two passphrases differ; type the same one twice.'
      return
    }
    await this.#run('restore', async () => {
      this.#open(await this.#deps.keystore.restore(mnemonic, passphrase))
      this.status = 'unlocked'
      this.#startPolling()
    })
  }

  async unlock (passphrase: string): Promise<void> {
    await this.#run('unlock', async () => {
      this.#open(await this.#deps.keystore.unlock(passphrase))
      this.status = 'unlocked'
      this.#startPolling()
    })
  }

  /** Closes the wallet; only one with a passphrase can be locked (the other would open again by itself). */
  lock (): void {
    if (!this.guarded) return
    this.#close()
    this.status = 'locked'
  }

  /** Deletes the wallet from this browser; only the recovery phrase brings it back. */
  async forget (): Promise<void> {
    await this.#run('forget', async () => {
      await this.#deps.keystore.forget()
      this.#close()
      this.status = 'empty'
    })
  }

  clearError (): void {
    this.error = null
  }

  async refreshAccount (): Promise<void> {
    const generation = this.#generation
    const address = this.address
    if (address === null) return
    try {
      // Over libp2p when a peer can prove it (already checked by the light client), else over HTTP.
      const peerAccount = this.#deps.peerAccount
      const fromPeer = peerAccount === undefined ? undefined : await peerAccount(address).catch(() => undefined)
      const account = fromPeer ?? await this.#deps.relay.getAccount(address)
      const verified = fromPeer !== undefined || await verifySafely(() => this.#deps.verifyAccount(account))
      if (generation !== this.#generation) return
      this.account = account
      this.accountVerified = verified
      this.accountSource = fromPeer === undefined ? 'http' : 'libp2p'
      this.accountError = null
      this.#maybeAskBackup(account.balance)
    } catch (err) {
      if (generation === this.#generation) this.accountError = userMessage(err)
    }
  }

  async requestFaucet (): Promise<void> {
    const address = this.address
    if (address === null || this.pending !== null) return
    const generation = this.#generation
    this.pending = 'faucet'
    this.faucetNotice = null
    this.faucetError = null
    try {
      const grant = await this.#deps.relay.requestFaucet(address)
      if (generation !== this.#generation) return
      this.faucetNotice = `${formatTokens(grant.amount)} on the way; it shows in your balance once the next block includes it.`
      void this.refreshAccount()
    } catch (err) {
      if (generation === this.#generation) this.faucetError = userMessage(err)
    } finally {
      if (generation === this.#generation) this.pending = null
    }
  }

  /** Checks, signs and submits a transfer; true when the relay accepted it. */
  async send (fields: TransferFields): Promise<boolean> {
    const wallet = this.#wallet
    const address = this.address
    if (wallet === null || address === null || this.pending !== null) return false
    this.sendNotice = null
    const check = checkTransfer(fields, { address, balance: this.balance })
    if (!check.ok) {
      this.sendErrors = check.errors
      return false
    }
    this.sendErrors = {}
    const generation = this.#generation
    this.pending = 'send'
    try {
      const { chainId } = await this.#deps.relay.getHealth()
      // Asked of the relay at every send: only it knows the transactions it holds but has not included.
      const nonce = (await this.#deps.relay.getAccount(address)).pendingNonce
      const bytes = await this.#deps.buildTransfer(wallet, check.to, check.amount, nonce, chainId)
      const { id } = await this.#deps.relay.submitTx(bytes)
      if (generation !== this.#generation) return false
      this.sendNotice = `Sent ${formatTokens(check.amount)} (transaction ${id.slice(0, 16)}…); it counts once a block includes it.`
      void this.refreshAccount()
      return true
    } catch (err) {
      if (generation === this.#generation) this.sendErrors = { form: userMessage(err) }
      return false
    } finally {
      if (generation === this.#generation) this.pending = null
    }
  }

  /** Stops polling; call when the page drops the session. */
  destroy (): void {
    this.#stopPolling()
  }

  async #run (action: WalletAction, work: () => Promise<void>): Promise<void> {
    if (this.pending !== null) return
    this.pending = action
    this.error = null
    try {
      await work()
    } catch (err) {
      this.error = userMessage(err)
    } finally {
      this.pending = null
    }
  }

  #openUnguarded (wallet: Wallet, backupAsked: boolean): void {
    this.#open(wallet)
    this.guarded = false
    this.#backupAsked = backupAsked
    this.status = 'unlocked'
    this.#startPolling()
  }

  /** Asks once, when an unguarded wallet first holds something, and remembers it did. */
  #maybeAskBackup (balance: bigint): void {
    if (this.guarded || this.#backupAsked || balance <= 0n || this.backup !== 'none') return
    this.#backupAsked = true
    this.backup = 'ask'
    void this.#deps.keystore.markBackupAsked().catch(() => {})
  }

  #open (wallet: Wallet): void {
    this.#generation++
    this.guarded = true
    this.#wallet = wallet
    this.address = toAddress(wallet.coldkey.publicKey)
  }

  #close (): void {
    this.#generation++
    this.#stopPolling()
    this.#wallet = null
    this.address = null
    this.mnemonic = null
    this.guarded = true
    this.backup = 'none'
    this.#backupAsked = false
    this.account = null
    this.accountVerified = false
    this.accountSource = null
    this.accountError = null
    this.faucetNotice = null
    this.faucetError = null
    this.sendErrors = {}
    this.sendNotice = null
    this.error = null
    this.pending = null
  }

  #startPolling (): void {
    this.#stopPolling()
    void this.refreshAccount()
    this.#timer = setInterval(() => { void this.refreshAccount() }, this.#deps.pollMs ?? ACCOUNT_POLL_MS)
  }

  #stopPolling (): void {
    clearInterval(this.#timer)
    this.#timer = undefined
  }
}
