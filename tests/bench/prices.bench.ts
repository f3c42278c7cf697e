/**
 * The prices subnet: the CRPS loss (Σ_h CRPS_h/√h, in basis points of log-return) of the shipped
 * baseline model, run in onnxruntime-node, against a random walk with each currency's long-run σ,
 * on the held-out years (2015 on; the random walk's σ comes from 2000–2014). Lower is better.
 */
import * as ort from 'onnxruntime-node'
import { loadPriceHistory } from '../../relay/price-history.ts'
import { BASELINE_INPUT, baselineModel } from '../../src/subnets/prices/baseline-model.ts'
import { WINDOW } from '../../src/subnets/prices/constants.ts'
import { longRunSigma, randomWalk } from '../../src/subnets/prices/forecasters.ts'
import { logReturns } from '../../src/subnets/prices/history.ts'
import { forecastFromOutputs } from '../../src/subnets/prices/model-forecast.ts'
import { taskAt, truthAt } from '../../src/subnets/prices/replay.ts'
import { forecastLoss } from '../../src/subnets/prices/score.ts'
import { figure, type Figure } from './figure.ts'

const HELD_OUT_FROM = '2015-01-01'
const BASIS_POINTS = 10_000

export async function pricesFigures (): Promise<Figure[]> {
  const session = await ort.InferenceSession.create(baselineModel())
  let modelLoss = 0
  let walkLoss = 0
  let tasks = 0
  for (const series of loadPriceHistory()) {
    const split = series.days.findIndex(d => d >= HELD_OUT_FROM)
    const walk = randomWalk(longRunSigma(logReturns(series.prices.slice(0, split))))
    for (let at = split; truthAt(series.prices, at) !== undefined; at++) {
      const task = taskAt(series.asset, series.prices, at, 0)
      const { sigma } = await session.run({ [BASELINE_INPUT]: new ort.Tensor('float32', Float32Array.from(task.returns), [1, WINDOW]) })
      const truth = truthAt(series.prices, at)!
      modelLoss += forecastLoss(forecastFromOutputs({ sigma: { data: sigma!.data as Float32Array, dims: sigma!.dims } }), truth)
      walkLoss += forecastLoss(walk, truth)
      tasks++
    }
  }
  await session.release()
  return [figure(
    `prices: CRPS loss of the shipped baseline on ${tasks} held-out tasks (EUR, JPY, GBP, CHF from ${HELD_OUT_FROM})`,
    modelLoss / tasks * BASIS_POINTS, walkLoss / tasks * BASIS_POINTS, 'bp',
    'random walk with the long-run σ, same tasks', 'the shipped baseline scores better (lower) than a random walk'
  )]
}
