/**
 * The prices validator's deferred scoring: forecasts wait in the store until the feed reaches
 * the task's longest horizon, are then scored together (the better forecaster higher), and a
 * validator that restarts with the same store scores what was waiting.
 */
import { describe, expect, it } from 'vitest'
import { keypairFromLabel } from '../../../../src/core/keys.ts'
import { PendingForecastStore } from '../../../../src/participant/agent/pending-forecasts.ts'
import type { PriceFeedClient } from '../../../../src/participant/agent/price-feed-client.ts'
import { pricesPlan } from '../../../../src/participant/agent/prices-plan.ts'
import type { Answer, Target } from '../../../../src/participant/agent/round-plan.ts'
import { MemoryWorkStore } from '../../../../src/participant/agent/work-store.ts'
import { ewmaVolatility } from '../../../../src/subnets/prices/forecasters.ts'
import { gaussianEnsembles, horizonSigmas } from '../../../../src/subnets/prices/forecasters.ts'
import { decodeTask, encodeForecast, taskId } from '../../../../src/subnets/prices/task.ts'

/** A feed of a calm, slightly noisy series whose latest step the test moves. */
function fakeFeed (): PriceFeedClient & { latest: number } {
  const price = (step: number): number => 1 + 0.001 * Math.sin(step * 1.7) + 0.0005 * step
  const feed = {
    latest: 100,
    async info () { return { assets: ['EUR'], latest: feed.latest, stepMs: 1000 } },
    async prices (_asset: string, from: number, to: number) {
      if (to > feed.latest) return undefined
      return Array.from({ length: to - from + 1 }, (_, i) => price(from + i))
    }
  }
  return feed
}

const validator = keypairFromLabel('prices-plan/validator').publicKey
const targets: Target[] = [0, 1, 2].map(uid => ({ uid, hotkey: keypairFromLabel(`prices-plan/miner-${uid}`).publicKey }))

function answer (t: Target, bytes: Uint8Array | null): Answer {
  return bytes === null
    ? { ...t, verdict: { ok: false, rejection: { code: 'UNREACHABLE', reason: 'gone' } }, receivedAt: Date.now() }
    : { ...t, verdict: { ok: true, result: bytes }, receivedAt: Date.now() }
}

describe('the prices round', () => {
  it('scores forecasts only once the truth has come, the better one higher, and keeps them across a restart', async () => {
    const feed = fakeFeed()
    const work = new MemoryWorkStore()
    const pending = new PendingForecastStore(work, 2, validator)
    const plan = pricesPlan({ feed, pending, budgetMs: 5000 })
    const tasks = await plan.tasks(targets)
    expect(new Set([...tasks.values()].map(b => b.join())).size).toBe(1)
    const task = decodeTask(tasks.get(0)!)
    expect(task.at).toBe(100)
    const good = encodeForecast({ task: taskId(task), paths: ewmaVolatility(task.returns) })
    const tiny = encodeForecast({ task: taskId(task), paths: gaussianEnsembles(horizonSigmas(1e-7)) })
    const now = await plan.settle(tasks, [answer(targets[0]!, good), answer(targets[1]!, tiny), answer(targets[2]!, null)])
    expect(now).toEqual([expect.objectContaining({ uid: 2, score: 0, reason: expect.stringMatching(/^UNREACHABLE/) })])
    expect(await pending.all()).toHaveLength(1)

    // A validator restarted on the same store finds the waiting forecasts and scores them when the truth comes.
    const again = pricesPlan({ feed, pending: new PendingForecastStore(work, 2, validator), budgetMs: 5000 })
    feed.latest = 119
    expect(await again.settle(new Map(), [])).toEqual([])
    feed.latest = 120
    const scored = await again.settle(new Map(), [])
    expect(scored.map(s => s.uid)).toEqual([0, 1])
    expect(scored[0]!.score).toBe(1)
    expect(scored[1]!.score).toBeLessThan(0.5)
    expect(await pending.all()).toEqual([])
  })

  it('drops a task whose truth never comes once it has expired', async () => {
    const feed = fakeFeed()
    let clock = 1_000_000
    const pending = new PendingForecastStore(new MemoryWorkStore(), 2, validator)
    const plan = pricesPlan({ feed, pending, budgetMs: 5000, now: () => clock })
    const tasks = await plan.tasks(targets.slice(0, 1))
    const task = decodeTask(tasks.get(0)!)
    await plan.settle(tasks, [answer(targets[0]!, encodeForecast({ task: taskId(task), paths: ewmaVolatility(task.returns) }))])
    clock += 60 * 60_000
    expect(await plan.settle(new Map(), [])).toEqual([])
    expect(await pending.all()).toEqual([])
  })
})
