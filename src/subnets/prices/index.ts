/**
 * Price prediction: miners forecast an ensemble of future log-returns of a currency for several
 * horizons before the target time; validators score them with CRPS once the truth is known.
 */
import type { Subnet } from '../subnet.ts'
import { replayRange, taskAt } from './replay.ts'
import { scoreForecasts } from './score.ts'
import { decodeForecast, decodeTask, encodeForecast, encodeTask, type Forecast, type PricesTask } from './task.ts'

/** What a validator needs to make a task: the series it knows and when forecasts are due. */
export interface PricesContext {
  asset: string
  prices: readonly number[]
  commitBy: number
  /** The step to start from; when absent the seed draws one from the replayable range. */
  at?: number
}

function drawStep (seed: Uint8Array, length: number): number {
  const { first, last } = replayRange(length)
  if (last < first) throw new RangeError('The series is too short to replay a task from.')
  const draw = ((seed[0]! << 24) | (seed[1]! << 16) | (seed[2]! << 8) | seed[3]!) >>> 0
  return first + (draw % (last - first + 1))
}

export const prices: Subnet<PricesTask, Forecast, PricesContext> = {
  name: 'prices',
  description: 'Forecasts where exchange rates will go, as a spread of likely outcomes, and is paid by how well the spread fits what happened.',
  newTask: (seed, context) =>
    taskAt(context.asset, context.prices, context.at ?? drawStep(seed, context.prices.length), context.commitBy),
  encodeTask,
  decodeTask,
  encodeResult: encodeForecast,
  decodeResult: decodeForecast,
  score: scoreForecasts
}

export { crps, fairCrps } from './crps.ts'
export { ewmaVolatility, randomWalk, longRunSigma } from './forecasters.ts'
export { parseFreechangeCsv, logReturns, ASSETS, type PriceSeries } from './history.ts'
export { taskAt, truthAt, replayRange } from './replay.ts'
export { taskId, type Forecast, type PricesTask } from './task.ts'
