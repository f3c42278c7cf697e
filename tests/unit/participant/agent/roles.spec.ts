/**
 * The miner and validator roles against each other over in-memory streams and a fake ledger:
 * a round scores a strong miner above a weak one; a result that is forged, for another task,
 * garbage or late scores zero with its reason and never stops the round; a miner that registers
 * while a round waits joins it, and answers even before its own poll has seen it registered;
 * weights are committed and then revealed after the next epoch.
 */
// First: libp2p needs Promise.withResolvers, which Node 20 lacks.
import '../../../../relay/node-polyfills.ts'
import { lpStream } from '@libp2p/utils'
import { describe, expect, it } from 'vitest'
import { keypairFromLabel, type Keypair } from '../../../../src/core/keys.ts'
import { weightsCommitHash } from '../../../../src/core/ledger/weights.ts'
import { foldingSolver, type RunFoldingUnit } from '../../../../src/participant/agent/folding-solver.ts'
import { MinerAgent } from '../../../../src/participant/agent/miner.ts'
import { immediatePlan } from '../../../../src/participant/agent/round-plan.ts'
import { MemoryScoreStore } from '../../../../src/participant/agent/score-store.ts'
import { ValidatorAgent } from '../../../../src/participant/agent/validator.ts'
import { decodeTask, signResult, taskRef } from '../../../../src/participant/agent/wire.ts'
import { FoldingRuns } from '../../../../src/participant/agent/folding-runs.ts'
import { solveSync } from '../../../../src/subnets/folding/solver.ts'
import { folding } from '../../../../src/subnets/folding/index.ts'
import { FakeLedger, FakeNetwork, asPeer } from './fakes.ts'

const chainId = new Uint8Array(32).fill(3)
const wallet = (name: string): { coldkey: Keypair, hotkey: Keypair } => ({ coldkey: keypairFromLabel(`${name}/cold`), hotkey: keypairFromLabel(`${name}/hot`) })
/** A miner's worker: its own kept searches. */
const worker = (): RunFoldingUnit => {
  const runs = new FoldingRuns()
  return async unit => runs.advance(unit)
}
const now = async <T>(work: () => Promise<T>): Promise<T> => await work()

async function until (what: string, done: () => boolean, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise(r => setTimeout(r, 20))
  }
}

describe('miner and validator roles', () => {
  it('scores a strong miner above a weak one, and zero for forged, wrong-task, garbage and silent answers', async () => {
    const net = new FakeNetwork()
    const ledger = new FakeLedger(chainId)
    const log: string[] = []
    const miners = [
      { w: wallet('strong'), solver: foldingSolver(now, worker(), { unitMs: 400 }) },
      { w: wallet('weak'), solver: foldingSolver(now, worker(), { moveSet: 'local', maxStepsPerUnit: 100_000 }) }
    ]
    const agents = miners.map(m => new MinerAgent({ node: net.node(m.w.hotkey.publicKey), ledger, netuid: 1, wallet: m.w, solver: m.solver, log: l => log.push(l) }))
    for (const a of agents) await a.start()
    expect(agents.map(a => a.value.uid)).toEqual([0, 1])

    // Misbehaving neighbours, each registered at a uid of its own.
    const forger = wallet('forger')
    const wrongTask = wallet('wrong-task')
    const garbage = wallet('garbage')
    const silent = wallet('silent')
    for (const w of [forger, wrongTask, garbage, silent]) ledger.addNeuron(w.hotkey.publicKey)
    const serve = (w: { hotkey: Keypair }, answer: (task: ReturnType<typeof decodeTask>) => Uint8Array | null): void => {
      void net.node(w.hotkey.publicKey).handle('', stream => {
        void (async () => {
          const lp = lpStream(stream)
          const task = decodeTask((await lp.read()).subarray())
          const reply = answer(task)
          if (reply !== null) await lp.write(reply)
        })()
      })
    }
    const someFold = (task: ReturnType<typeof decodeTask>): Uint8Array => {
      const t = folding.decodeTask(task.body.task)
      return folding.encodeResult({ taskId: t.id, moves: solveSync(t, { maxSteps: 20_000 }).moves })
    }
    // Signs a good fold with its own key while naming the strong miner's hotkey.
    serve(forger, task => signResult({ netuid: 1, task: taskRef(task), result: someFold(task), miner: miners[0]!.w.hotkey.publicKey }, forger.hotkey, chainId).bytes)
    serve(wrongTask, task => signResult({ netuid: 1, task: new Uint8Array(32), result: someFold(task), miner: wrongTask.hotkey.publicKey }, wrongTask.hotkey, chainId).bytes)
    serve(garbage, () => new Uint8Array([1, 2, 3, 4]))
    serve(silent, () => null)
    // Another validator (it holds a permit) is not a miner: it is never sent a task.
    const peerValidator = wallet('peer-validator')
    ledger.addNeuron(peerValidator.hotkey.publicKey, true)
    let askedValidator = 0
    serve(peerValidator, () => { askedValidator++; return null })

    const v = wallet('validator')
    const store = new MemoryScoreStore()
    const validator = new ValidatorAgent({
      node: net.node(v.hotkey.publicKey), relayAddrs: ['/ip4/127.0.0.1/tcp/1/ws/p2p/relay'], ledger, store, plan: immediatePlan(folding), netuid: 1, wallet: v, log: l => log.push(l)
    }, { budgetMs: 2_000, roundPauseMs: 10, pollMs: 50, stake: 10n })
    const running = validator.run()
    await until('two rounds', () => validator.value.rounds >= 2, 60_000)
    validator.stop()
    await running

    const saved = await store.load(1, validator.hotkeyHex)
    const ema = (uid: number): number => saved!.entries.find(e => e.uid === uid)!.ema
    expect(ema(0)).toBeGreaterThan(ema(1))
    expect(ema(1)).toBeGreaterThan(0)
    for (const uid of [2, 3, 4, 5]) expect(ema(uid)).toBe(0)
    const reasons = Object.fromEntries([2, 3, 4, 5].map(uid => [uid, saved!.entries.find(e => e.uid === uid)!.reason!.split(':')[0]]))
    expect(reasons).toEqual({ 2: 'WRONG_SIGNER', 3: 'WRONG_TASK', 4: 'MALFORMED', 5: 'LATE' })
    expect(log.some(l => /round 1 uid 2: score 0\.000.*WRONG_SIGNER/.test(l))).toBe(true)
    expect(askedValidator).toBe(0)
    for (const a of agents) await a.stop()
  }, 90_000)

  it('commits its weights once it holds a permit, reveals them after the next epoch, then commits again', async () => {
    const net = new FakeNetwork()
    const ledger = new FakeLedger(chainId)
    const v = wallet('validator-2')
    const store = new MemoryScoreStore()
    const miner = wallet('miner-2')
    const agent = new MinerAgent({ node: net.node(miner.hotkey.publicKey), ledger, netuid: 1, wallet: miner, solver: foldingSolver(now, worker(), { unitMs: 200 }), log: () => {} })
    await agent.start()
    const validator = new ValidatorAgent({
      node: net.node(v.hotkey.publicKey), relayAddrs: ['/ip4/127.0.0.1/tcp/1/ws/p2p/relay'], ledger, store, plan: immediatePlan(folding), netuid: 1, wallet: v, log: () => {}
    }, { budgetMs: 2_000, roundPauseMs: 10, pollMs: 30, stake: 10n })
    const running = validator.run()
    await until('a round', () => validator.value.rounds >= 1)
    expect(ledger.sent.filter(t => t.fields.kind === 'commit_weights')).toHaveLength(0)
    ledger.metagraphNow.neurons[1]!.validatorPermit = true
    await until('a commit', () => validator.value.commits === 1)
    await new Promise(r => setTimeout(r, 200))
    expect(validator.value.reveals).toBe(0)
    ledger.metagraphNow.lastEpochBlock = 20
    await until('a reveal and a second commit', () => validator.value.reveals === 1 && validator.value.commits === 2)
    validator.stop()
    await running
    await agent.stop()

    const commit = ledger.sent.find(t => t.fields.kind === 'commit_weights')!.fields as { commit: Uint8Array }
    const reveal = ledger.sent.find(t => t.fields.kind === 'reveal_weights')!
    expect(reveal.key).toBe(v.hotkey)
    const r = reveal.fields as { uids: number[], weights: number[], salt: Uint8Array }
    expect(r.uids).toEqual([0])
    expect(weightsCommitHash(1, v.hotkey.publicKey, r.uids, r.weights, r.salt)).toEqual(commit.commit)
    // Reveal goes before the next commit, so the ledger still holds the commit being revealed.
    const kinds = ledger.sent.map(t => t.fields.kind).filter(k => k.endsWith('weights'))
    expect(kinds.slice(0, 3)).toEqual(['commit_weights', 'reveal_weights', 'commit_weights'])
    expect(asPeer(v.hotkey.publicKey).toString()).toMatch(/^12D3/)
  }, 60_000)

  // A tab that went away holds the round in its dial; one that never answers, in its answer.
  it.each(['dial', 'answer'] as const)('lets a miner that registers while a round waits on a gone uid\'s %s join that round, scored with the others', async (waitsOn) => {
    const net = new FakeNetwork()
    const ledger = new FakeLedger(chainId)
    const log: string[] = []
    const gone = wallet(`gone-${waitsOn}`)
    ledger.addNeuron(gone.hotkey.publicKey)
    void net.node(gone.hotkey.publicKey).handle('', () => {})
    const v = wallet('validator-3')
    const base = net.node(v.hotkey.publicKey)
    const goneId = asPeer(gone.hotkey.publicKey).toString()
    const node: typeof base = {
      ...base,
      dialProtocol: async (target, protocol, options) => {
        const id = Array.isArray(target) ? String(target[0]).split('/p2p/').at(-1)! : target.toString()
        if (waitsOn === 'answer' || id !== goneId) return await base.dialProtocol(target, protocol, options)
        return await new Promise((_resolve, reject) => { options?.signal?.addEventListener('abort', () => { reject(new Error('signal timed out')) }) })
      }
    }
    const validator = new ValidatorAgent({
      node, relayAddrs: ['/ip4/127.0.0.1/tcp/1/ws/p2p/relay'], ledger, store: new MemoryScoreStore(), plan: immediatePlan(folding), netuid: 1, wallet: v, log: l => log.push(l)
    }, { budgetMs: 2_000, roundPauseMs: 10, pollMs: 50, stake: 10n })
    const running = validator.run()
    await until('round 1 under way', () => validator.value.state === 'validating')
    const roundStarted = Date.now()
    await new Promise(r => setTimeout(r, 300))
    const late = wallet('late-3')
    const agent = new MinerAgent({ node: net.node(late.hotkey.publicKey), ledger, netuid: 1, wallet: late, solver: foldingSolver(now, worker(), { unitMs: 200 }), log: () => {} })
    await agent.start()
    const uid = agent.value.uid!
    await until('the newcomer answered', () => agent.value.tasksDone >= 1)
    // The gone uid's dial or answer runs 7 s (budget + grace); the newcomer is not held back by it.
    expect(Date.now() - roundStarted).toBeLessThan(6_000)
    await until('round 1 settled', () => validator.value.rounds >= 1)
    validator.stop()
    await running
    expect(log).toContain(`[validator] round 1: uid ${uid} registered and joins it`)
    expect(log.some(l => new RegExp(`round 1 uid ${uid}: score 1\\.000`).test(l)), log.join('\n')).toBe(true)
    expect(log.some(l => new RegExp(`round 1 uid 0: score 0\\.000.*${waitsOn === 'dial' ? 'LATE: The miner could not be reached' : 'LATE: No result'}`).test(l)), log.join('\n')).toBe(true)
    expect(agent.value.tasksDone).toBeGreaterThanOrEqual(1)
    await agent.stop()
  }, 30_000)

  it('answers a task that comes before its own poll has seen its registration', async () => {
    const net = new FakeNetwork()
    const ledger = new FakeLedger(chainId)
    const log: string[] = []
    // The miner reads the ledger 1.5 s late; the validator reads it as it is.
    const lagging: FakeLedger = Object.assign(Object.create(ledger) as FakeLedger, {
      metagraph: async () => { await new Promise(r => setTimeout(r, 1_500)); return await ledger.metagraph() }
    })
    const v = wallet('validator-4')
    const validator = new ValidatorAgent({
      node: net.node(v.hotkey.publicKey), relayAddrs: ['/ip4/127.0.0.1/tcp/1/ws/p2p/relay'], ledger, store: new MemoryScoreStore(), plan: immediatePlan(folding), netuid: 1, wallet: v, log: l => log.push(l)
    }, { budgetMs: 2_000, roundPauseMs: 10, pollMs: 50, stake: 10n })
    const running = validator.run()
    await until('validating', () => validator.value.state === 'validating')
    const m = wallet('miner-4')
    const agent = new MinerAgent({ node: net.node(m.hotkey.publicKey), ledger: lagging, netuid: 1, wallet: m, solver: foldingSolver(now, worker(), { unitMs: 200 }), log: () => {} })
    await agent.start()
    await until('round 1', () => validator.value.rounds >= 1)
    validator.stop()
    await running
    expect(log.find(l => l.startsWith('[validator] round 1 uid')), log.join('\n')).toMatch(/round 1 uid 1: score 1\.000/)
    await agent.stop()
  }, 30_000)
})
