/**
 * Starting a role in a tab: the tab's node is restarted with the role's hotkey as its libp2p
 * identity, and once it is online the role gets the node's streams and gossip, the relay's
 * addresses (to dial miners through), the ledger API and its subnet. The validator page
 * (`npm run validator`) and the mining panel both start roles here.
 */
import type { GossipHub } from '../../net/gossip/hub.ts'
import type { Governor } from '../../inference/governor.ts'
import { folding } from '../../subnets/folding/index.ts'
import type { Subnet } from '../../subnets/subnet.ts'
import type { NetworkSession } from '../network-session.svelte.ts'
import type { RelayClient } from '../relay-client.ts'
import { AgentError } from './errors.ts'
import { foldingSolver, type FoldingSolverOptions } from './folding-solver.ts'
import { startFoldingWorker } from './folding-worker-client.ts'
import { createLedgerApi } from './ledger.ts'
import { MinerAgent } from './miner.ts'
import type { Wallet } from './registration.ts'
import { openScoreStore } from './score-store.ts'
import type { TaskNode } from './stream.ts'
import { ValidatorAgent, type ValidatorOptions } from './validator.ts'

/** How often the tab checks whether its restarted node is online, in ms. */
const ONLINE_POLL_MS = 250

/** Subnets the agent can validate and mine so far; prices and storage plug in here next. */
const SUBNETS: Record<string, Subnet<any, any, void>> = { folding }

export function supportedSubnet (name: string): boolean {
  return Object.hasOwn(SUBNETS, name)
}

type RoleNode = TaskNode & { getConnections: ValidatorAgentNode['getConnections'] }
type ValidatorAgentNode = ConstructorParameters<typeof ValidatorAgent>[0]['node']

/** Restarts the tab's node as `wallet.hotkey` and waits until it is online. */
async function nodeAs (network: NetworkSession, wallet: Wallet, signal?: AbortSignal): Promise<{ node: RoleNode, gossip: GossipHub | undefined }> {
  await network.restartAs(wallet.hotkey)
  for (;;) {
    const node = network.node
    if (network.status === 'online' && node?.libp2p !== undefined) {
      return { node: node.libp2p as unknown as RoleNode, gossip: node.gossip }
    }
    if (signal?.aborted === true) throw new AgentError('UNREACHABLE', 'Stopped before the tab was online.')
    await new Promise(resolve => setTimeout(resolve, ONLINE_POLL_MS))
  }
}

async function netuidOf (ledger: ReturnType<typeof createLedgerApi>, name: string): Promise<number> {
  if (!supportedSubnet(name)) throw new AgentError('WRONG_SUBNET', `The agent cannot work on the ${name} subnet yet; choose folding.`)
  const netuid = await ledger.netuidOf(name)
  if (netuid === undefined) throw new AgentError('WRONG_SUBNET', `This network has no subnet called ${name}.`)
  return netuid
}

export async function startValidatorRole (init: {
  network: NetworkSession, relay: RelayClient, wallet: Wallet, subnet: string, log: (line: string) => void, options?: ValidatorOptions
}): Promise<ValidatorAgent<unknown, unknown>> {
  const ledger = createLedgerApi(init.relay)
  const netuid = await netuidOf(ledger, init.subnet)
  const { node, gossip } = await nodeAs(init.network, init.wallet)
  init.log(`[validator] online as peer ${init.network.peerId ?? '?'}; validating ${init.subnet} (subnet ${netuid})`)
  const agent = new ValidatorAgent({
    node, gossip, relayAddrs: init.network.relayAddrs, ledger, store: await openScoreStore(), subnet: SUBNETS[init.subnet]!, netuid, wallet: init.wallet, log: init.log
  }, init.options)
  void agent.run()
  return agent
}

export interface MinerRole {
  agent: MinerAgent
  stop: () => Promise<void>
}

export async function startMinerRole (init: {
  network: NetworkSession, relay: RelayClient, wallet: Wallet, subnet: string, governor: Pick<Governor, 'schedule'>, log: (line: string) => void, solver?: FoldingSolverOptions
}): Promise<MinerRole> {
  const ledger = createLedgerApi(init.relay)
  const netuid = await netuidOf(ledger, init.subnet)
  const { node, gossip } = await nodeAs(init.network, init.wallet)
  const worker = startFoldingWorker()
  const solver = foldingSolver(async work => await init.governor.schedule(work), worker.run, init.solver)
  const agent = new MinerAgent({ node, gossip, ledger, netuid, wallet: init.wallet, solver, log: init.log })
  void agent.start()
  return { agent, stop: async () => { await agent.stop(); worker.terminate() } }
}
