/**
 * The prices subnet's round. Every miner gets the same task: the latest window of one asset from
 * the relay's feed, due back before `commitBy` (the round's budget plus the grace a result has to
 * travel). Answers that fail the validator's checks score zero at once; the others wait in the
 * pending store (IndexedDB) until the feed has reached the task's longest horizon, and are then
 * scored together by CRPS against what happened. Each settle also scores every earlier task
 * whose truth has come, so a validator's scores trail its tasks by the horizon.
 */
import { fromHex, toHex } from '../../core/hash.ts'
import { prices } from '../../subnets/prices/index.ts'
import { HORIZONS, WINDOW } from '../../subnets/prices/constants.ts'
import { logReturns } from '../../subnets/prices/history.ts'
import { taskId, type PricesTask } from '../../subnets/prices/task.ts'
import { RESULT_GRACE_MS } from './constants.ts'
import type { PendingForecastStore } from './pending-forecasts.ts'
import type { PriceFeedClient } from './price-feed-client.ts'
import { reasonOf, type RoundPlan, type Scored } from './round-plan.ts'

/** How long a task waits for its truth beyond the horizon's own time before it is dropped, in ms. */
export const PENDING_SLACK_MS = 10 * 60_000

const LONGEST = Math.max(...HORIZONS)

export interface PricesPlanDeps {
  feed: PriceFeedClient
  pending: PendingForecastStore
  /** The time miners are given per task (the signed task's budget), in ms. */
  budgetMs: number
  log?: (line: string) => void
  now?: () => number
}

export function pricesPlan ({ feed, pending, budgetMs, log, now = Date.now }: PricesPlanDeps): RoundPlan {
  let current: { task: PricesTask, bytes: Uint8Array, stepMs: number } | undefined

  const scoreDue = async (): Promise<Scored[]> => {
    const out: Scored[] = []
    for (const p of await pending.all()) {
      const series = await feed.prices(p.asset, p.at, p.at + LONGEST)
      if (series === undefined) {
        if (now() > p.expiresAt) {
          await pending.remove(p.id)
          log?.(`[validator] dropped forecasts for ${p.asset} at step ${p.at}: the feed never reached their horizon`)
        }
        continue
      }
      const task: PricesTask = { ...prices.decodeTask(p.task), truth: HORIZONS.map(h => Math.log(series[h]! / series[0]!)) }
      const scores = prices.score(task, p.submissions)
      p.submissions.forEach((s, i) => {
        const r = scores[i]!
        out.push({ uid: s.uid, hotkey: fromHex(s.hotkey), score: r.score, reason: r.rejection === undefined ? undefined : `${r.rejection.code}: ${r.rejection.reason}` })
      })
      await pending.remove(p.id)
    }
    return out
  }

  return {
    async tasks (targets) {
      const info = await feed.info()
      const asset = info.assets[crypto.getRandomValues(new Uint32Array(1))[0]! % info.assets.length]!
      const at = info.latest
      const window = await feed.prices(asset, at - WINDOW, at)
      if (window === undefined) throw new Error(`The feed has no window of ${asset} up to step ${at}.`)
      const task: PricesTask = { asset, at, returns: logReturns(window), commitBy: now() + budgetMs + RESULT_GRACE_MS }
      const bytes = prices.encodeTask(task)
      current = { task, bytes, stepMs: info.stepMs }
      return new Map(targets.map(t => [t.uid, bytes]))
    },
    async settle (_tasks, answers) {
      const out: Scored[] = []
      const waiting = []
      for (const a of answers) {
        if (a.verdict.ok) waiting.push({ uid: a.uid, hotkey: toHex(a.hotkey), bytes: a.verdict.result, receivedAt: a.receivedAt })
        else out.push({ uid: a.uid, hotkey: a.hotkey, score: 0, reason: reasonOf(a.verdict) })
      }
      if (current !== undefined && waiting.length > 0) {
        const { task, bytes, stepMs } = current
        await pending.add({
          id: toHex(taskId(task)), task: bytes, asset: task.asset, at: task.at, submissions: waiting,
          expiresAt: task.commitBy + (LONGEST + 1) * stepMs + PENDING_SLACK_MS
        })
      }
      current = undefined
      return [...out, ...await scoreDue()]
    }
  }
}
