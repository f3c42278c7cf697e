/**
 * What a validator's round does for one subnet: which task each miner gets, and how the answers
 * become scores. The validator agent owns the rest (sending signed tasks, checking signatures,
 * moving scores, weights), the same for every subnet.
 *
 * - folding asks every miner the same fresh task and scores the answers together at once;
 * - prices asks everyone the same forecast but can score it only when the truth has come, so its
 *   answers wait in a store (prices-plan.ts);
 * - storage challenges each miner on a shard of its own, and a miner's standing is not a moving
 *   average but Wilson × bytes held over all its challenges (storage-plan.ts).
 */
import type { Subnet, Submission } from '../../subnets/subnet.ts'
import type { Verdict } from './judge.ts'
import type { StorageReport } from './scores-message.ts'

export interface Target {
  uid: number
  hotkey: Uint8Array
}

/** One miner's answer to its task this round, after the validator's checks. */
export interface Answer extends Target {
  verdict: Verdict
  receivedAt: number
}

/** A score to fold into a uid's moving score (or, with `standing`, to log). */
export interface Scored extends Target {
  score: number
  reason?: string
}

export interface RoundPlan {
  /** Each target's task this round (the subnet's task bytes), by uid; a target left out is not asked. */
  tasks (targets: readonly Target[]): Promise<Map<number, Uint8Array>>
  /** This round's answers in; out, the scores known now: this round's, or earlier rounds' whose truth has come. */
  settle (tasks: ReadonlyMap<number, Uint8Array>, answers: readonly Answer[]): Promise<Scored[]>
  /** When given, a uid's moving score is replaced by this standing in [0, 1] after each settle. */
  standing?: (target: Target) => number | undefined
  /**
   * When given, the task a miner that registered while a round is under way gets in that round
   * (undefined: none, it waits for the next): a plan that asks everyone the same task gives it,
   * so the newcomer is scored with the others instead of waiting a whole round.
   */
  join?: (target: Target) => Uint8Array | undefined
  /** When given (storage), what is gossiped beside the scores of these miners' bytes held and challenges passed. */
  storageReport?: (miners: readonly Target[]) => StorageReport | undefined
}

export function reasonOf (verdict: Verdict): string | undefined {
  return verdict.ok ? undefined : `${verdict.rejection.code}: ${verdict.rejection.reason}`
}

/** One task for everyone, scored together as soon as the answers are in (folding, and any subnet without context). */
export function immediatePlan<Task, Result> (subnet: Subnet<Task, Result, void>): RoundPlan {
  // Rounds run one at a time: the task settled is the one the last `tasks` made.
  let current: Task | undefined
  return {
    async tasks (targets) {
      current = subnet.newTask(crypto.getRandomValues(new Uint8Array(32)), undefined)
      const bytes = subnet.encodeTask(current)
      return new Map(targets.map(t => [t.uid, bytes]))
    },
    join () {
      return current === undefined ? undefined : subnet.encodeTask(current)
    },
    async settle (_tasks, answers) {
      const task = current
      if (task === undefined) return []
      const accepted = answers.filter(a => a.verdict.ok)
      const submissions: Submission[] = accepted.map(a => ({ uid: a.uid, bytes: (a.verdict as { result: Uint8Array }).result, receivedAt: a.receivedAt }))
      const scores = subnet.score(task, submissions)
      return answers.map(a => {
        const i = accepted.indexOf(a)
        if (i < 0) return { uid: a.uid, hotkey: a.hotkey, score: 0, reason: reasonOf(a.verdict) }
        const s = scores[i]!
        return { uid: a.uid, hotkey: a.hotkey, score: s.score, reason: s.rejection === undefined ? undefined : `${s.rejection.code}: ${s.rejection.reason}` }
      })
    }
  }
}
