/**
 * The page as a validator: opened by `npm run validator` with `?role=validator`, it takes its
 * launch parameters (recovery phrase, hotkey index, subnet) once from a binding the command
 * installed, so the phrase never appears in a URL, the page's storage or its history. Everything
 * the tab does is logged to the console, which the command streams.
 */
import { toAddress } from '../core/address.ts'
import { walletFromMnemonic, type Keypair } from '../core/keys.ts'
import type { ValidatorAgent } from './agent/validator.ts'
import { startValidatorRole } from './agent/tab-roles.ts'
import type { NetworkSession } from './network-session.svelte.ts'
import type { RelayClient } from './relay-client.ts'
import type { VerifyHead } from './services.ts'

/** The binding `npm run validator` installs (scripts/validator/supervisor.ts). */
export const LAUNCH_BINDING = 'tabtensorValidatorLaunch'

/** How often the validator looks for a new head, in ms. */
export const HEAD_POLL_MS = 2_000

export interface ValidatorLaunch {
  mnemonic: string
  hotkey: number
  subnet: string
}

/** The launch parameters, from the binding; an error that says how to start a validator otherwise. */
export async function takeValidatorLaunch (scope: Record<string, unknown>): Promise<ValidatorLaunch> {
  const binding = scope[LAUNCH_BINDING]
  if (typeof binding !== 'function') {
    throw new Error('This page was opened as a validator without its key: start validators with `npm run validator -- --key FILE`.')
  }
  const launch = await (binding as () => Promise<unknown>)() as Partial<ValidatorLaunch> | null
  if (launch === null || typeof launch.mnemonic !== 'string' || typeof launch.hotkey !== 'number' || typeof launch.subnet !== 'string') {
    throw new Error('The validator key was already handed over or is malformed; restart `npm run validator`.')
  }
  return { mnemonic: launch.mnemonic, hotkey: launch.hotkey, subnet: launch.subnet }
}

export interface ValidatorRun {
  hotkey: Keypair
  address: string
  stop: () => void
}

/**
 * Starts the validator: derives its hotkey, follows the chain with the tab's own light client,
 * logging each head it verified (or failed to), and runs the validator role on its subnet over the
 * tab's node, whose identity becomes the hotkey (src/participant/agent/).
 */
export function runValidator (
  launch: ValidatorLaunch,
  deps: { relay: RelayClient, verifyHead: VerifyHead, network?: NetworkSession },
  log: (line: string) => void
): ValidatorRun {
  const wallet = walletFromMnemonic(launch.mnemonic)
  const hotkey = wallet.hotkey(launch.hotkey)
  const address = toAddress(hotkey.publicKey)
  log(`[validator] ready: hotkey ${address}, subnet ${launch.subnet}`)
  let seen = -1
  let stopped = false
  let agent: ValidatorAgent | undefined
  if (deps.network !== undefined) {
    startValidatorRole({ network: deps.network, relay: deps.relay, wallet: { coldkey: wallet.coldkey, hotkey }, subnet: launch.subnet, log })
      .then(started => {
        agent = started
        if (stopped) started.stop()
      }, (err: unknown) => { log(`[validator] cannot validate: ${(err as Error).message}`) })
  }
  const poll = async (): Promise<void> => {
    try {
      const head = await deps.relay.getHealth()
      if (head.height > seen) {
        const verified = await deps.verifyHead(head)
        log(verified ? `[validator] head ${head.height} verified` : `[validator] head ${head.height} did NOT verify`)
        if (verified) seen = head.height
      }
    } catch (err) {
      log(`[validator] cannot reach the relay: ${(err as Error).message}`)
    }
  }
  const timer = setInterval(() => { if (!stopped) void poll() }, HEAD_POLL_MS)
  void poll()
  return { hotkey, address, stop: () => { stopped = true; clearInterval(timer); agent?.stop() } }
}
