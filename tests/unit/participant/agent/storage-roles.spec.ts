/**
 * Storage mining between agents, over in-memory streams and a fake ledger: two miners store
 * their assigned replicas from the subnet's bundle, one within a quota that holds only half of
 * them; the validator assigns, challenges and ranks. The one that dropped half its shards is
 * caught — refused challenges on what it lacks, and a standing far below the full holder's.
 * And a round that fails (the relay's feed or bundle out of reach) does not stop the validator.
 */
import 'fake-indexeddb/auto'
// libp2p needs Promise.withResolvers, which Node 20 lacks.
import '../../../../relay/node-polyfills.ts'
import { describe, expect, it } from 'vitest'
import { keypairFromLabel, type Keypair } from '../../../../src/core/keys.ts'
import { MinerAgent } from '../../../../src/participant/agent/miner.ts'
import { MemoryScoreStore } from '../../../../src/participant/agent/score-store.ts'
import { decodeScores } from '../../../../src/participant/agent/scores-message.ts'
import { storagePlan } from '../../../../src/participant/agent/storage-plan.ts'
import { prepareStorage, storageSolver } from '../../../../src/participant/agent/storage-solver.ts'
import { ValidatorAgent } from '../../../../src/participant/agent/validator.ts'
import { MemoryWorkStore } from '../../../../src/participant/agent/work-store.ts'
import type { SubnetBundle } from '../../../../src/subnets/bundle-index.ts'
import { SHARD_BYTES } from '../../../../src/subnets/storage/constants.ts'
import { ShardStore } from '../../../../src/subnets/storage/shard-store.ts'
import { BUNDLE_SHARDS, generatedShard, SHARDS_PER_MINER } from '../../../../src/subnets/storage/shards.ts'
import { FakeLedger, FakeNetwork } from './fakes.ts'

const chainId = new Uint8Array(32).fill(5)
const wallet = (name: string): { coldkey: Keypair, hotkey: Keypair } => ({ coldkey: keypairFromLabel(`${name}/cold`), hotkey: keypairFromLabel(`${name}/hot`) })
const shards = new Map(Array.from({ length: BUNDLE_SHARDS }, (_, i) => [`cid-${i}`, generatedShard(i)]))
const bundle: SubnetBundle = { subnet: 'storage', files: [...shards.keys()].map(cid => ({ name: cid, cid, size: SHARD_BYTES })) }
const fetchShard = async (cid: string): Promise<Uint8Array> => shards.get(cid)!

async function until (what: string, done: () => boolean, ms = 60_000): Promise<void> {
  const deadline = Date.now() + ms
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise(r => setTimeout(r, 20))
  }
}

describe('storage mining between agents', () => {
  it('catches a miner that dropped half its shards', async () => {
    const net = new FakeNetwork()
    const ledger = new FakeLedger(chainId)
    const quotas = { full: SHARDS_PER_MINER * SHARD_BYTES, half: (SHARDS_PER_MINER / 2) * SHARD_BYTES }
    const holdings: string[] = []
    const miners = []
    for (const [name, quota] of Object.entries(quotas)) {
      const w = wallet(`storage-${name}`)
      const store = await ShardStore.open(quota, `storage-roles-${name}`)
      const agent = new MinerAgent({
        node: net.node(w.hotkey.publicKey), ledger, netuid: 3, wallet: w, solver: storageSolver(store), log: () => {},
        prepare: async (onProgress) => await prepareStorage({ bundle, fetchShard, store, hotkey: w.hotkey.publicKey, quota, onProgress })
      })
      await agent.start()
      holdings.push(agent.value.holding ?? '')
      miners.push({ agent, store })
    }
    expect(holdings).toEqual([expect.stringMatching(/^8 of 8 /), expect.stringMatching(/^4 of 8 /)])

    const v = wallet('storage-validator')
    const log: string[] = []
    const published: Uint8Array[] = []
    const gossip = { join: () => {}, publish: async (_kind: unknown, payload: Uint8Array) => { published.push(payload) } }
    const validator = new ValidatorAgent({
      node: net.node(v.hotkey.publicKey), relayAddrs: ['/ip4/127.0.0.1/tcp/1/ws/p2p/relay'], ledger, store: new MemoryScoreStore(), gossip,
      plan: storagePlan({ bundle: async () => bundle, fetchShard, store: new MemoryWorkStore(), netuid: 3, validator: v.hotkey.publicKey }),
      netuid: 3, wallet: v, log: l => log.push(l)
    }, { budgetMs: 2_000, roundPauseMs: 5, pollMs: 1_000, stake: 10n })
    const running = validator.run()
    await until('twenty rounds', () => validator.value.rounds >= 20)
    validator.stop()
    await running
    for (const m of miners) {
      await m.agent.stop()
      m.store.close()
    }

    const last = (uid: number): number => Number(log.filter(l => l.includes(`uid ${uid}: score`)).at(-1)!.match(/moving ([0-9.]+)/)![1])
    expect(last(0)).toBe(1)
    expect(last(1)).toBeLessThan(0.5)
    expect(log.some(l => /uid 1: score 0\.000, moving [0-9.]+ \(NOT_HELD/.test(l))).toBe(true)
    expect(log.some(l => /uid 0: score 0\.000/.test(l))).toBe(false)

    // What it gossiped last: the full holder passed every challenge, the other did not; bytes count
    // the shards whose latest challenge passed, so a shard never drawn yet is not among them.
    const last20 = decodeScores(published.at(-1)!)
    expect(last20.round).toBe(published.length)
    const report = last20.storage!
    expect(report.uids).toEqual([0, 1])
    expect(report.bytes[0]! % SHARD_BYTES).toBe(0)
    expect(report.bytes[0]).toBeGreaterThan(0)
    expect(report.bytes[0]).toBeLessThanOrEqual(SHARDS_PER_MINER * SHARD_BYTES)
    expect(report.bytes[1]).toBeLessThanOrEqual((SHARDS_PER_MINER / 2) * SHARD_BYTES)
    expect(report.trials).toEqual([last20.round, last20.round])
    expect(report.passes[0]).toBe(last20.round)
    expect(report.passes[1]).toBeLessThan(last20.round)
    expect(log.find(l => l.startsWith(`[validator] round ${last20.round} storage:`))).toBe(`[validator] round ${last20.round} storage: uid 0 ${report.bytes[0]} B held, ${report.passes[0]}/${report.trials[0]} passed; uid 1 ${report.bytes[1]} B held, ${report.passes[1]}/${report.trials[1]} passed`)
  }, 120_000)
})

describe('a validator whose round fails', () => {
  it('logs the failure and goes on with the next round', async () => {
    const net = new FakeNetwork()
    const ledger = new FakeLedger(chainId)
    const m = wallet('storage-flaky-miner')
    ledger.addNeuron(m.hotkey.publicKey)
    const v = wallet('storage-flaky-validator')
    const log: string[] = []
    let calls = 0
    const validator = new ValidatorAgent({
      node: net.node(v.hotkey.publicKey), relayAddrs: ['/ip4/127.0.0.1/tcp/1/ws/p2p/relay'], ledger, store: new MemoryScoreStore(),
      plan: {
        async tasks () {
          if (++calls < 3) throw new Error('the relay is out of reach')
          return new Map()
        },
        async settle () { return [] }
      },
      netuid: 3, wallet: v, log: l => log.push(l)
    }, { budgetMs: 1_000, roundPauseMs: 5, pollMs: 1_000, stake: 10n })
    const running = validator.run()
    await until('a round that works', () => validator.value.rounds >= 1)
    validator.stop()
    await running
    expect(log.filter(l => l.includes('round skipped: the relay is out of reach'))).toHaveLength(2)
    expect(validator.value.state).toBe('stopped')
  })
})
