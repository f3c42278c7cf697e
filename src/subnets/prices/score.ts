/**
 * Scoring forecasts once the truth is known. Each horizon's CRPS is divided by √h, the way a
 * random walk's spread grows, so every horizon weighs alike; their sum L is the forecast's loss.
 * Scores are relative to the best forecast of the task: exp(−β·(L/L_best − 1)), so the best gets 1
 * and the others less as they fall behind — and no forecast can gain by hedging, since CRPS is
 * strictly proper. Late, malformed, mis-addressed or non-finite forecasts score 0 with a reason.
 */
import { equalBytes } from '../../core/hash.ts'
import { SubnetInputError, type Rejection, type Score, type Submission } from '../subnet.ts'
import { HORIZONS, SCORE_BETA } from './constants.ts'
import { crps } from './crps.ts'
import { decodeForecast, taskId, type Forecast, type PricesTask } from './task.ts'

/** The loss of one forecast against the truth: Σ_h CRPS_h / √h. */
export function forecastLoss (paths: readonly number[][], truth: readonly number[]): number {
  let loss = 0
  HORIZONS.forEach((h, k) => { loss += crps(paths[k]!, truth[k]!) / Math.sqrt(h) })
  return loss
}

function judge (task: PricesTask, id: Uint8Array, submission: Submission): Forecast | Rejection {
  if (submission.receivedAt > task.commitBy) {
    return { code: 'LATE', reason: 'The forecast arrived after the task\'s commit time.' }
  }
  try {
    const forecast = decodeForecast(submission.bytes)
    if (!equalBytes(forecast.task, id)) return { code: 'WRONG_TASK', reason: 'The forecast is for another task.' }
    return forecast
  } catch (err) {
    if (err instanceof SubnetInputError) return err.rejection
    throw err
  }
}

export function scoreForecasts (task: PricesTask, submissions: readonly Submission[]): Score[] {
  const truth = task.truth
  if (truth === undefined || truth.length !== HORIZONS.length) {
    throw new Error('A prices task can be scored only once its truth is known, one value per horizon.')
  }
  const id = taskId(task)
  const judged = submissions.map(s => judge(task, id, s))
  const losses = judged.map(j => ('paths' in j ? forecastLoss(j.paths, truth) : Infinity))
  const best = Math.min(...losses)
  return submissions.map((s, i) => {
    const j = judged[i]!
    if (!('paths' in j)) return { uid: s.uid, score: 0, rejection: j }
    const loss = losses[i]!
    const score = best === 0 ? (loss === 0 ? 1 : 0) : Math.exp(-SCORE_BETA * (loss / best - 1))
    return { uid: s.uid, score }
  })
}
