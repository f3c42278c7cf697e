/**
 * Joining a subnet: a hotkey registers by proof of work (no tokens needed, so a new tab can mine
 * at once), and a validator stakes to its hotkey so the next epoch gives it a validator permit
 * (tokens from the local network's faucet when its coldkey has too few).
 *
 * The proof of work is searched in slices that yield to the event loop, with progress; a
 * registration that loses a race (another one took the block's slot, or the block named grew
 * stale) is solved again on a newer block.
 */
import { equalBytes } from '../../core/hash.ts'
import type { Keypair } from '../../core/keys.ts'
import { powSeal, meetsDifficulty } from '../../core/ledger/registration.ts'
import { RelayError } from '../errors.ts'
import { AgentError } from './errors.ts'
import type { LedgerApi } from './ledger.ts'

/** Proof-of-work attempts between two yields to the event loop. */
const POW_SLICE = 2_000
/** How often the ledger is polled while waiting for a transaction to land, in ms. */
export const LEDGER_POLL_MS = 1_000
/** Registration attempts before giving up (each one on a fresh block). */
const MAX_REGISTRATION_ATTEMPTS = 8
/** Polls to wait for a submitted transaction to show in the ledger. */
const LANDING_POLLS = 30
/** Ledger codes that mean "try again on a newer block". */
const RETRYABLE = new Set(['RATE_LIMITED', 'POW_STALE', 'POW_INSUFFICIENT', 'BAD_NONCE'])

export interface Wallet {
  coldkey: Keypair
  hotkey: Keypair
}

export interface JoinOptions {
  signal?: AbortSignal
  pollMs?: number
  /** Called as the proof of work advances: attempts made, and the expected number. */
  onPow?: (attempts: number, expected: number) => void
}

const sleep = async (ms: number, signal?: AbortSignal): Promise<void> => await new Promise(resolve => {
  const timer = setTimeout(resolve, ms)
  signal?.addEventListener('abort', () => { clearTimeout(timer); resolve() }, { once: true })
})

function aborted (signal?: AbortSignal): void {
  if (signal?.aborted === true) throw new AgentError('LEDGER', 'Stopped before joining the subnet.')
}

/** Searches a work value meeting `difficulty`, yielding every POW_SLICE attempts. */
export async function solvePowSliced (
  seal: (work: bigint) => Uint8Array, difficulty: bigint, options: Pick<JoinOptions, 'signal' | 'onPow'> = {}
): Promise<bigint> {
  for (let work = 0n; ; work++) {
    if (meetsDifficulty(seal(work), difficulty)) return work
    if (work % BigInt(POW_SLICE) === 0n) {
      options.onPow?.(Number(work), Number(difficulty))
      await new Promise(resolve => setTimeout(resolve, 0))
      aborted(options.signal)
    }
  }
}

async function uidOf (api: LedgerApi, netuid: number, hotkey: Uint8Array): Promise<number | undefined> {
  return (await api.metagraph(netuid)).neurons.find(n => equalBytes(n.hotkey, hotkey))?.uid
}

/** The hotkey's uid on `netuid`, registering it by proof of work first if needed. */
export async function ensureRegistered (api: LedgerApi, netuid: number, wallet: Wallet, options: JoinOptions = {}): Promise<number> {
  const pollMs = options.pollMs ?? LEDGER_POLL_MS
  for (let attempt = 0; attempt < MAX_REGISTRATION_ATTEMPTS; attempt++) {
    const known = await uidOf(api, netuid, wallet.hotkey.publicKey)
    if (known !== undefined) return known
    aborted(options.signal)
    const { difficulty } = await api.metagraph(netuid)
    const head = await api.head()
    const work = await solvePowSliced(
      w => powSeal(head.chainId, head.headHash, netuid, wallet.hotkey.publicKey, wallet.coldkey.publicKey, w), difficulty, options)
    try {
      await api.send(wallet.coldkey, { kind: 'register_pow', netuid, hotkey: wallet.hotkey.publicKey, block: head.height, work })
    } catch (err) {
      if (err instanceof RelayError && err.code === 'DUPLICATE_REGISTRATION') continue
      if (err instanceof RelayError && RETRYABLE.has(err.code)) {
        await sleep(pollMs, options.signal)
        continue
      }
      throw new AgentError('LEDGER', `Registering on subnet ${netuid} failed: ${(err as Error).message}`, { cause: err })
    }
    for (let poll = 0; poll < LANDING_POLLS; poll++) {
      const uid = await uidOf(api, netuid, wallet.hotkey.publicKey)
      if (uid !== undefined) return uid
      await sleep(pollMs, options.signal)
      aborted(options.signal)
    }
  }
  throw new AgentError('LEDGER', `Registering on subnet ${netuid} did not go through after ${MAX_REGISTRATION_ATTEMPTS} attempts; try again later.`)
}

/**
 * Makes sure at least `amount` base units are staked on the hotkey (by its coldkey), asking the
 * faucet for tokens when the coldkey has too few. Returns the stake the metagraph shows.
 */
export async function ensureStake (api: LedgerApi, netuid: number, wallet: Wallet, amount: bigint, options: JoinOptions = {}): Promise<bigint> {
  const pollMs = options.pollMs ?? LEDGER_POLL_MS
  const stakeNow = async (): Promise<bigint> =>
    (await api.metagraph(netuid)).neurons.find(n => equalBytes(n.hotkey, wallet.hotkey.publicKey))?.stake ?? 0n
  let stake = await stakeNow()
  if (stake >= amount) return stake
  const missing = amount - stake
  if (await api.balance(wallet.coldkey.publicKey) < missing) {
    await api.faucet(wallet.coldkey.publicKey).catch((err: unknown) => {
      throw new AgentError('LEDGER', `The coldkey has too few tokens to stake and the faucet refused: ${(err as Error).message}`, { cause: err })
    })
    for (let poll = 0; await api.balance(wallet.coldkey.publicKey) < missing; poll++) {
      if (poll >= LANDING_POLLS) throw new AgentError('LEDGER', 'The faucet\'s tokens did not arrive; try again later.')
      await sleep(pollMs, options.signal)
      aborted(options.signal)
    }
  }
  try {
    await api.send(wallet.coldkey, { kind: 'add_stake', hotkey: wallet.hotkey.publicKey, amount: missing })
  } catch (err) {
    throw new AgentError('LEDGER', `Staking failed: ${(err as Error).message}`, { cause: err })
  }
  for (let poll = 0; poll < LANDING_POLLS; poll++) {
    stake = await stakeNow()
    if (stake >= amount) return stake
    await sleep(pollMs, options.signal)
    aborted(options.signal)
  }
  throw new AgentError('LEDGER', 'The stake did not show in the ledger in time; try again later.')
}
