/**
 * Starting a role in a tab: the tab's node is restarted with the role's hotkey as its libp2p
 * identity, and once it is online the role gets the node's streams and gossip, the relay's
 * addresses (to dial miners through), the ledger API and its subnet. The validator page
 * (`npm run validator`) and the mining panel both start roles here.
 */
import type { GossipHub } from '../../net/gossip/hub.ts'
import type { Governor } from '../../inference/governor.ts'
import { InferenceEngine } from '../../inference/engine.ts'
import { modelSource, type ModelSource } from '../../inference/model-source.ts'
import { bundleFile } from '../../subnets/bundle-index.ts'
import { folding } from '../../subnets/folding/index.ts'
import { PRICES_MODEL_FILE, WINDOW } from '../../subnets/prices/constants.ts'
import type { ModelOutput } from '../../subnets/prices/model-forecast.ts'
import { ShardStore } from '../../subnets/storage/shard-store.ts'
import { toHex } from '../../core/hash.ts'
import type { NetworkSession } from '../network-session.svelte.ts'
import type { RelayClient } from '../relay-client.ts'
import { AgentError } from './errors.ts'
import { foldingSolver, type FoldingSolverOptions } from './folding-solver.ts'
import { startFoldingWorker } from './folding-worker-client.ts'
import { createLedgerApi } from './ledger.ts'
import { MinerAgent, type MinerDeps } from './miner.ts'
import { PendingForecastStore } from './pending-forecasts.ts'
import { httpPriceFeed } from './price-feed-client.ts'
import { pricesPlan } from './prices-plan.ts'
import { pricesSolver, type PricesSolverOptions } from './prices-solver.ts'
import type { Wallet } from './registration.ts'
import { immediatePlan, type RoundPlan } from './round-plan.ts'
import { openScoreStore } from './score-store.ts'
import type { TaskSolver } from './solver.ts'
import { prepareStorage, storageSolver } from './storage-solver.ts'
import { storagePlan } from './storage-plan.ts'
import { DEFAULT_STORAGE_QUOTA, SUBNETS, supportedSubnet, type SubnetName } from './subnet-names.ts'
import type { TaskNode } from './stream.ts'
import { fetchBundleFile, fetchSubnetBundle } from './subnet-bundle.ts'
import { DEFAULT_TASK_BUDGET_MS, ValidatorAgent, type ValidatorOptions } from './validator.ts'
import { openWorkStore } from './work-store.ts'

/** How often the tab checks whether its restarted node is online, in ms. */
const ONLINE_POLL_MS = 250

export { DEFAULT_STORAGE_QUOTA, SUBNETS, supportedSubnet, type SubnetName }

/** Where this tab fetches bundles: its block exchange when it has one, the relay's HTTP blocks otherwise. */
function bundleSource (network: NetworkSession): ModelSource {
  return modelSource({ blocks: network.blocks, relayUrl: globalThis.location?.origin ?? '' })
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
  if (!supportedSubnet(name)) throw new AgentError('WRONG_SUBNET', `The agent cannot work on a subnet called ${name}; choose one of ${SUBNETS.join(', ')}.`)
  const netuid = await ledger.netuidOf(name)
  if (netuid === undefined) throw new AgentError('WRONG_SUBNET', `This network has no subnet called ${name}.`)
  return netuid
}

async function validatorPlan (subnet: SubnetName, ctx: { network: NetworkSession, netuid: number, wallet: Wallet, log: (line: string) => void, budgetMs: number }): Promise<RoundPlan> {
  if (subnet === 'folding') return immediatePlan(folding)
  const store = await openWorkStore()
  if (subnet === 'prices') {
    const pending = new PendingForecastStore(store, ctx.netuid, ctx.wallet.hotkey.publicKey)
    return pricesPlan({ feed: httpPriceFeed(globalThis.location?.origin ?? ''), pending, budgetMs: ctx.budgetMs, log: ctx.log })
  }
  const source = bundleSource(ctx.network)
  return storagePlan({
    bundle: async () => await fetchSubnetBundle('storage', source),
    fetchShard: async cid => await fetchBundleFile(source, cid),
    store, netuid: ctx.netuid, validator: ctx.wallet.hotkey.publicKey, log: ctx.log
  })
}

export async function startValidatorRole (init: {
  network: NetworkSession, relay: RelayClient, wallet: Wallet, subnet: string, log: (line: string) => void, options?: ValidatorOptions
}): Promise<ValidatorAgent> {
  const ledger = createLedgerApi(init.relay)
  const netuid = await netuidOf(ledger, init.subnet)
  const { node, gossip } = await nodeAs(init.network, init.wallet)
  init.log(`[validator] online as peer ${init.network.peerId ?? '?'}; validating ${init.subnet} (subnet ${netuid})`)
  const plan = await validatorPlan(init.subnet as SubnetName, { network: init.network, netuid, wallet: init.wallet, log: init.log, budgetMs: init.options?.budgetMs ?? DEFAULT_TASK_BUDGET_MS })
  const agent = new ValidatorAgent({
    node, gossip, relayAddrs: init.network.relayAddrs, ledger, store: await openScoreStore(), plan, netuid, wallet: init.wallet, log: init.log
  }, init.options)
  void agent.run()
  return agent
}

export interface MinerRole {
  agent: MinerAgent
  stop: () => Promise<void>
}

/** What the person (or a test) chose for the subnet mined. */
export interface MinerChoices {
  /** Folding: a weaker solver (tests and demos of scoring). */
  solver?: FoldingSolverOptions
  /** Prices: the person's own model instead of the baseline, and a test-only weak forecaster. */
  prices?: { model?: Uint8Array, test?: PricesSolverOptions }
  /** Storage: the most bytes the tab may keep. */
  storage?: { quotaBytes: number }
}

interface MinerWork {
  solver: TaskSolver
  prepare?: MinerDeps['prepare']
  stop: () => void
}

function toOutputs (tensors: Awaited<ReturnType<InferenceEngine['run']>>): Record<string, ModelOutput> {
  const out: Record<string, ModelOutput> = {}
  for (const [name, t] of Object.entries(tensors)) {
    if (t.data instanceof Float32Array) out[name] = { data: t.data, dims: t.dims }
  }
  return out
}

async function minerWork (subnet: SubnetName, ctx: { network: NetworkSession, wallet: Wallet, governor: Pick<Governor, 'schedule' | 'nextUnitInMs'>, choices: MinerChoices }): Promise<MinerWork> {
  if (subnet === 'folding') {
    const worker = startFoldingWorker()
    return { solver: foldingSolver(async work => await ctx.governor.schedule(work), worker.run, ctx.choices.solver, () => ctx.governor.nextUnitInMs()), stop: () => { worker.terminate() } }
  }
  const source = bundleSource(ctx.network)
  if (subnet === 'prices') {
    const engine = new InferenceEngine({ gate: ctx.governor, source })
    let model: Awaited<ReturnType<InferenceEngine['loadModel']>> | undefined
    const own = ctx.choices.prices?.model
    return {
      solver: pricesSolver(async returns => {
        if (model === undefined) throw new AgentError('SOLVER_FAILED', 'The model is not loaded yet.')
        return toOutputs(await engine.run(model, { returns: { type: 'float32', dims: [1, WINDOW], data: returns } }))
      }, ctx.choices.prices?.test),
      async prepare (onProgress, signal) {
        const loadOptions = { signal, onProgress: (p: { phase: string, bytesDone: number, bytesTotal: number }) => { onProgress({ summary: p.phase === 'fetch' ? 'Downloading the model' : 'Loading the model', done: p.bytesDone, total: p.bytesTotal }) } }
        if (own !== undefined) {
          model = await engine.loadModel({ bytes: own }, loadOptions)
          return `your own model (${own.length} bytes, ${model.backend})`
        }
        const bundle = await fetchSubnetBundle('prices', source)
        const file = bundleFile(bundle, PRICES_MODEL_FILE)
        model = await engine.loadModel({ cid: file.cid }, loadOptions)
        return `the baseline model (${file.size} bytes, ${model.backend})`
      },
      stop: () => { engine.dispose() }
    }
  }
  const quota = ctx.choices.storage?.quotaBytes ?? DEFAULT_STORAGE_QUOTA
  const store = await ShardStore.open(quota, `tabtensor-storage-subnet-${toHex(ctx.wallet.hotkey.publicKey).slice(0, 16)}`)
  return {
    solver: storageSolver(store),
    async prepare (onProgress, signal) {
      const bundle = await fetchSubnetBundle('storage', source)
      return await prepareStorage({ bundle, fetchShard: async cid => await fetchBundleFile(source, cid), store, hotkey: ctx.wallet.hotkey.publicKey, quota, onProgress, signal })
    },
    stop: () => { store.close() }
  }
}

export async function startMinerRole (init: {
  network: NetworkSession, relay: RelayClient, wallet: Wallet, subnet: string, governor: Pick<Governor, 'schedule' | 'nextUnitInMs'>, log: (line: string) => void
} & MinerChoices): Promise<MinerRole> {
  const ledger = createLedgerApi(init.relay)
  const netuid = await netuidOf(ledger, init.subnet)
  const { node, gossip } = await nodeAs(init.network, init.wallet)
  const work = await minerWork(init.subnet as SubnetName, { network: init.network, wallet: init.wallet, governor: init.governor, choices: init })
  const agent = new MinerAgent({ node, gossip, ledger, netuid, wallet: init.wallet, solver: work.solver, prepare: work.prepare, log: init.log })
  void agent.start()
  return { agent, stop: async () => { await agent.stop(); work.stop() } }
}
