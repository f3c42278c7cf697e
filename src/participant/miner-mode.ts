/**
 * The page as a headless miner: opened with `?role=miner` by `npm start -- --demo N`, which
 * hands it, once, through a binding, the wallet's recovery phrase, the subnet and the budget.
 * The operator who started the demo agreed for it, so this tab gives the governor its consent
 * itself (never sensitive to visibility or battery: nobody looks at a headless tab). It mines
 * exactly as a person's tab does and logs to the console.
 */
import { toAddress } from '../core/address.ts'
import { walletFromMnemonic } from '../core/keys.ts'
import { Governor } from '../inference/governor.ts'
import { browserGovernorComponents } from '../inference/governor-signals.ts'
import { startMinerRole, type MinerRole } from './agent/tab-roles.ts'
import type { NetworkSession } from './network-session.svelte.ts'
import type { RelayClient } from './relay-client.ts'

/** The binding `npm start -- --demo N` installs (relay/demo.ts). */
export const MINER_LAUNCH_BINDING = 'tabtensorMinerLaunch'

export interface MinerLaunch {
  mnemonic: string
  hotkey: number
  subnet: string
  /** Share of time the miner may work, in (0, 1]. */
  budget: number
  /** Storage: the most bytes the tab may keep. */
  storageQuotaBytes?: number
}

export async function takeMinerLaunch (scope: Record<string, unknown>): Promise<MinerLaunch> {
  const binding = scope[MINER_LAUNCH_BINDING]
  if (typeof binding !== 'function') {
    throw new Error('This page was opened as a headless miner without its launch parameters: open the page normally to mine, or start demo miners with `npm start -- --demo N`.')
  }
  const launch = await (binding as () => Promise<unknown>)() as Partial<MinerLaunch> | null
  if (launch === null || typeof launch.mnemonic !== 'string' || typeof launch.hotkey !== 'number' ||
    typeof launch.subnet !== 'string' || typeof launch.budget !== 'number' || !(launch.budget > 0 && launch.budget <= 1)) {
    throw new Error('The miner\'s launch parameters were already handed over or are malformed; restart the demo.')
  }
  const quota = launch.storageQuotaBytes
  if (quota !== undefined && !(Number.isSafeInteger(quota) && quota > 0)) throw new Error('The miner\'s storage quota must be a positive number of bytes.')
  return { mnemonic: launch.mnemonic, hotkey: launch.hotkey, subnet: launch.subnet, budget: launch.budget, storageQuotaBytes: quota }
}

export interface HeadlessMiner {
  address: string
  stop: () => Promise<void>
}

export async function runHeadlessMiner (
  launch: MinerLaunch,
  deps: { relay: RelayClient, network: NetworkSession },
  log: (line: string) => void
): Promise<HeadlessMiner> {
  const wallet = walletFromMnemonic(launch.mnemonic)
  const hotkey = wallet.hotkey(launch.hotkey)
  const address = toAddress(hotkey.publicKey)
  const governor = new Governor(browserGovernorComponents())
  governor.consent({ budget: launch.budget, threads: 1, onlyWhenVisible: false, pauseOnBattery: false })
  log(`[miner] ready: hotkey ${address}, subnet ${launch.subnet}, budget ${Math.round(launch.budget * 100)} %`)
  const role: MinerRole = await startMinerRole({
    network: deps.network,
    relay: deps.relay,
    wallet: { coldkey: wallet.coldkey, hotkey },
    subnet: launch.subnet,
    governor,
    log,
    storage: launch.storageQuotaBytes === undefined ? undefined : { quotaBytes: launch.storageQuotaBytes }
  })
  return { address, stop: async () => { await role.stop(); governor.stop() } }
}
