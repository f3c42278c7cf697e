import 'fake-indexeddb/auto'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { WalletSession } from '../../../src/participant/wallet-session.svelte.ts'
import { ChainSession } from '../../../src/participant/chain-session.svelte.ts'
import { createKeystore } from '../../../src/participant/keystore.ts'
import { NotAvailableError, RelayError } from '../../../src/participant/errors.ts'
import type { BuildTransfer, PeerAccount, VerifyAccount } from '../../../src/participant/services.ts'
import type { AccountState, RelayClient } from '../../../src/participant/relay-client.ts'
import { toAddress } from '../../../src/core/address.ts'
import { keypairFromLabel } from '../../../src/core/keys.ts'

const PASSPHRASE = 'a long enough passphrase'
const TOKEN = 1_000_000_000n
const OTHER = toAddress(keypairFromLabel('other').publicKey)
let dbCount = 0

function fakeRelay (balance = 5n * TOKEN): RelayClient & { submitted: Uint8Array[] } {
  const submitted: Uint8Array[] = []
  return {
    submitted,
    getHealth: async () => ({ ok: true, height: 9, headHash: 'ab'.repeat(32), chainId: 'c0ffee' }),
    getAccount: async (address): Promise<AccountState> =>
      ({ address, balance, nonce: 2, pendingNonce: 3, height: 9, stateRoot: 'cd'.repeat(32), proof: [] }),
    submitTx: async bytes => { submitted.push(bytes); return { id: 'bafytransaction0001' } },
    requestFaucet: async () => ({ id: 'bafyfaucet', amount: 10n * TOKEN }),
    getGenesis: async () => { throw new RelayError('UNREACHABLE', 'not used by these tests') },
    getHeaders: async () => [],
    getSubnets: async () => [],
    getEpochs: async () => [],
    getEpochEvidence: async () => { throw new RelayError('UNREACHABLE', 'not used by these tests') },
    getP2p: async () => { throw new RelayError('UNREACHABLE', 'not used by these tests') }
  }
}

const sessions: WalletSession[] = []
function session (overrides: { relay?: RelayClient, buildTransfer?: BuildTransfer, verifyAccount?: VerifyAccount, peerAccount?: PeerAccount } = {}): WalletSession {
  const s = new WalletSession({
    keystore: createKeystore({ dbName: `wallet-session-${++dbCount}` }),
    relay: overrides.relay ?? fakeRelay(),
    buildTransfer: overrides.buildTransfer ?? (() => new Uint8Array([1, 2, 3])),
    verifyAccount: overrides.verifyAccount ?? (() => true),
    peerAccount: overrides.peerAccount,
    pollMs: 60_000
  })
  sessions.push(s)
  return s
}

async function unlockedSession (overrides: Parameters<typeof session>[0] = {}): Promise<WalletSession> {
  const s = session(overrides)
  await s.load()
  await s.create(PASSPHRASE, PASSPHRASE)
  s.acknowledgeBackup()
  await vi.waitFor(() => expect(s.account).not.toBeNull())
  return s
}

afterEach(() => { for (const s of sessions.splice(0)) s.destroy() })

describe('wallet session', () => {
  it('starts empty, shows the recovery phrase once after creating, then opens the wallet', async () => {
    const s = session()
    await s.load()
    expect(s.status).toBe('empty')
    await s.create(PASSPHRASE, PASSPHRASE)
    expect(s.status).toBe('backup')
    expect(s.mnemonic?.split(' ')).toHaveLength(24)
    expect(s.address).toMatch(/^tt1/)
    s.acknowledgeBackup()
    expect(s.status).toBe('unlocked')
    expect(s.mnemonic).toBeNull()
    await vi.waitFor(() => expect(s.balance).toBe(5n * TOKEN))
    expect(s.accountVerified).toBe(true)
  })

  it('refuses two different passphrases without creating anything', async () => {
    const s = session()
    await s.load()
    await s.create(PASSPHRASE, `${PASSPHRASE}!`)
    expect(s.error).toMatch(/differ/)
    expect(s.status).toBe('empty')
  })

  it('shows the keystore\'s sentence for a short passphrase', async () => {
    const s = session()
    await s.load()
    await s.create('short', 'short')
    expect(s.error).toMatch(/at least 8 characters/)
    expect(s.status).toBe('empty')
  })

  it('locks, refuses a wrong passphrase, and unlocks to the same address', async () => {
    const s = await unlockedSession()
    const address = s.address
    s.lock()
    expect(s).toMatchObject({ status: 'locked', address: null, account: null })
    await s.unlock('not the passphrase')
    expect(s.status).toBe('locked')
    expect(s.error).toMatch(/does not unlock/)
    await s.unlock(PASSPHRASE)
    expect(s.status).toBe('unlocked')
    expect(s.address).toBe(address)
    expect(s.error).toBeNull()
  })

  it('forgets the wallet and is empty afterwards', async () => {
    const s = await unlockedSession()
    await s.forget()
    expect(s.status).toBe('empty')
    await s.load()
    expect(s.status).toBe('empty')
  })

  it('restores a wallet from its recovery phrase', async () => {
    const first = session()
    await first.load()
    await first.create(PASSPHRASE, PASSPHRASE)
    const phrase = first.mnemonic!
    const second = session()
    await second.load()
    await second.restore(phrase, 'another passphrase', 'another passphrase')
    expect(second.status).toBe('unlocked')
    expect(second.address).toBe(first.address)
  })

  it('drops an account answer that arrives after the wallet was locked', async () => {
    let answer: (a: AccountState) => void = () => {}
    const relay = fakeRelay()
    const s = await unlockedSession({ relay })
    relay.getAccount = async () => await new Promise<AccountState>(resolve => { answer = resolve })
    const refreshing = s.refreshAccount()
    s.lock()
    answer({ address: 'x', balance: 1n, nonce: 0, pendingNonce: 0, height: 1, stateRoot: '', proof: null })
    await refreshing
    expect(s.account).toBeNull()
  })

  it('reads the account over libp2p when a peer proves it, over HTTP otherwise, and asks the relay for the nonce to send with', async () => {
    const relay = fakeRelay()
    const reads: string[] = []
    const getAccount = relay.getAccount
    relay.getAccount = async address => { reads.push('http'); return await getAccount(address) }
    let peerUp = true
    const build = vi.fn<BuildTransfer>(() => new Uint8Array([7]))
    const s = await unlockedSession({
      relay,
      buildTransfer: build,
      // The light client has proven it: the HTTP verdict is not asked for.
      verifyAccount: () => { throw new Error('not asked for a peer\'s account') },
      peerAccount: async address => peerUp ? { address, balance: 7n * TOKEN, nonce: 2, pendingNonce: 2, height: 10, stateRoot: 'ef'.repeat(32), proof: 'p' } : undefined
    })
    expect([s.balance, s.accountVerified, s.accountSource]).toEqual([7n * TOKEN, true, 'libp2p'])
    expect(reads).toEqual([])
    expect(await s.send({ to: OTHER, amount: '1' })).toBe(true)
    // The relay's pending nonce (3), not the proven one (2).
    expect(build).toHaveBeenCalledWith(expect.anything(), OTHER, TOKEN, 3, 'c0ffee')
    peerUp = false
    await s.refreshAccount()
    expect([s.balance, s.accountVerified, s.accountSource]).toEqual([5n * TOKEN, false, 'http'])
  })

  it('marks the balance unverified when the light client does not vouch for it', async () => {
    const s = await unlockedSession({ verifyAccount: () => { throw new Error('no header yet') } })
    expect(s.accountVerified).toBe(false)
  })

  it('reports the faucet grant, or the relay\'s sentence when it refuses', async () => {
    const relay = fakeRelay()
    const s = await unlockedSession({ relay })
    await s.requestFaucet()
    expect(s.faucetNotice).toMatch(/^10 TT on the way/)
    relay.requestFaucet = async () => { throw new RelayError('RATE_LIMITED', 'One faucet request per minute; try again shortly.', 429) }
    await s.requestFaucet()
    expect(s.faucetError).toBe('One faucet request per minute; try again shortly.')
  })

  it('signs a transfer with the pending nonce and the chain id, and submits its bytes', async () => {
    const relay = fakeRelay()
    const build = vi.fn<BuildTransfer>(() => new Uint8Array([9, 9]))
    const s = await unlockedSession({ relay, buildTransfer: build })
    expect(await s.send({ to: OTHER, amount: '1.5' })).toBe(true)
    expect(build).toHaveBeenCalledWith(expect.anything(), OTHER, 1_500_000_000n, 3, 'c0ffee')
    expect(relay.submitted).toEqual([new Uint8Array([9, 9])])
    expect(s.sendNotice).toMatch(/^Sent 1.5 TT/)
  })

  it('shows inline errors for a bad address and an amount above the balance, and signs nothing', async () => {
    const build = vi.fn<BuildTransfer>(() => new Uint8Array())
    const s = await unlockedSession({ buildTransfer: build })
    expect(await s.send({ to: 'tt1notanaddress', amount: '6' })).toBe(false)
    expect(s.sendErrors.to).toMatch(/not a Tabtensor address/)
    expect(s.sendErrors.amount).toBe('That is more than your balance of 5 TT.')
    expect(await s.send({ to: s.address!, amount: '0' })).toBe(false)
    expect(s.sendErrors.to).toMatch(/own address/)
    expect(s.sendErrors.amount).toMatch(/above zero/)
    expect(build).not.toHaveBeenCalled()
  })

  it('shows the relay\'s refusal of a transfer as a form error', async () => {
    const relay = fakeRelay()
    relay.submitTx = async () => { throw new RelayError('BAD_NONCE', 'The nonce is stale; try again.', 400) }
    const s = await unlockedSession({ relay })
    expect(await s.send({ to: OTHER, amount: '1' })).toBe(false)
    expect(s.sendErrors.form).toBe('The nonce is stale; try again.')
  })

  it('shows the sentence of a transfer that cannot be built', async () => {
    const s = await unlockedSession({ buildTransfer: () => { throw new NotAvailableError('Sending is not available right now.') } })
    await s.send({ to: OTHER, amount: '1' })
    expect(s.sendErrors.form).toMatch(/not available/)
  })
})

describe('chain session', () => {
  it('publishes the head with the light client\'s verdict, and keeps it when the relay drops', async () => {
    const relay = fakeRelay()
    const chain = new ChainSession({ relay, verifyHead: head => head.height === 9 })
    await chain.refresh()
    expect(chain.head?.height).toBe(9)
    expect(chain.verified).toBe(true)
    relay.getHealth = async () => { throw new RelayError('UNREACHABLE', 'Cannot reach the relay; check your connection, then try again.') }
    await chain.refresh()
    expect(chain.head?.height).toBe(9)
    expect(chain.error).toMatch(/^Cannot reach the relay/)
  })
})

describe('wallet session, first visit without a passphrase', () => {
  it('opens a wallet in one step, opens it again on the next visit, and cannot be locked', async () => {
    const keystore = createKeystore({ dbName: `wallet-session-${++dbCount}` })
    const deps = { keystore, relay: fakeRelay(0n), buildTransfer: () => new Uint8Array([1]), verifyAccount: () => true, pollMs: 60_000 }
    const first = new WalletSession(deps)
    sessions.push(first)
    await first.load()
    await first.quickStart()
    expect(first.status).toBe('unlocked')
    expect(first.guarded).toBe(false)
    first.lock()
    expect(first.status).toBe('unlocked')

    const next = new WalletSession(deps)
    sessions.push(next)
    await next.load()
    expect(next.status).toBe('unlocked')
    expect(next.address).toBe(first.address)
  })

  it('asks once to back up after earning, shows the phrase, then seals the wallet with a passphrase', async () => {
    let balance = 0n
    const relay = { ...fakeRelay(), getAccount: async (address: string): Promise<AccountState> => ({ address, balance, nonce: 0, pendingNonce: 0, height: 9, stateRoot: 'cd'.repeat(32), proof: [] }) }
    const keystore = createKeystore({ dbName: `wallet-session-${++dbCount}` })
    const s = new WalletSession({ keystore, relay, buildTransfer: () => new Uint8Array([1]), verifyAccount: () => true, pollMs: 60_000 })
    sessions.push(s)
    await s.load()
    await s.quickStart()
    await vi.waitFor(() => expect(s.account).not.toBeNull())
    expect(s.backup).toBe('none')

    balance = 3n * TOKEN
    await s.refreshAccount()
    expect(s.backup).toBe('ask')
    await s.showBackupPhrase()
    expect(s.backup).toBe('phrase')
    expect(s.mnemonic?.split(' ')).toHaveLength(24)
    s.phraseWrittenDown()
    expect(s.mnemonic).toBeNull()
    await s.setPassphrase(PASSPHRASE, 'something else')
    expect(s.error).toMatch(/differ/)
    await s.setPassphrase(PASSPHRASE, PASSPHRASE)
    expect(s.backup).toBe('done')
    expect(s.guarded).toBe(true)
    s.lock()
    expect(s.status).toBe('locked')
    await s.unlock(PASSPHRASE)
    expect(s.status).toBe('unlocked')
  })

  it('does not ask again once declined, also after a reload', async () => {
    const keystore = createKeystore({ dbName: `wallet-session-${++dbCount}` })
    const deps = { keystore, relay: fakeRelay(2n * TOKEN), buildTransfer: () => new Uint8Array([1]), verifyAccount: () => true, pollMs: 60_000 }
    const s = new WalletSession(deps)
    sessions.push(s)
    await s.load()
    await s.quickStart()
    await vi.waitFor(() => expect(s.backup).toBe('ask'))
    s.dismissBackup()
    await s.refreshAccount()
    expect(s.backup).toBe('none')
    await vi.waitFor(async () => expect((await keystore.openUnguarded())?.backupAsked).toBe(true))

    const next = new WalletSession(deps)
    sessions.push(next)
    await next.load()
    await next.refreshAccount()
    expect(next.backup).toBe('none')
  })
})

describe('wallet session without WebCrypto (plain http from another device)', () => {
  it('still starts in one click, and says a passphrase needs https', async () => {
    const real = globalThis.crypto
    vi.stubGlobal('crypto', { getRandomValues: real.getRandomValues.bind(real) })
    try {
      const keystore = createKeystore({ dbName: `wallet-session-${++dbCount}` })
      const s = new WalletSession({ keystore, relay: fakeRelay(2n * TOKEN), buildTransfer: () => new Uint8Array([1]), verifyAccount: () => true, pollMs: 60_000 })
      sessions.push(s)
      await s.load()
      await s.quickStart()
      expect(s.status).toBe('unlocked')
      const reopened = await keystore.openUnguarded()
      expect(reopened?.wallet.coldkey.publicKey).toEqual(s.wallet?.coldkey.publicKey)
      await vi.waitFor(() => expect(s.backup).toBe('ask'))
      await s.showBackupPhrase()
      expect(s.mnemonic?.split(' ')).toHaveLength(24)
      s.phraseWrittenDown()
      await s.setPassphrase(PASSPHRASE, PASSPHRASE)
      expect(s.error).toMatch(/https/)
      expect(s.guarded).toBe(false)
    } finally {
      vi.unstubAllGlobals()
    }
  })
})
