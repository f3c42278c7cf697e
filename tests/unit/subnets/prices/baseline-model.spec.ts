import { describe, expect, it } from 'vitest'
import * as ort from 'onnxruntime-node'
import { loadPriceHistory } from '../../../../relay/price-history.ts'
import { BASELINE_INPUT, baselineModel } from '../../../../src/subnets/prices/baseline-model.ts'
import { ENSEMBLE_MEMBERS, WINDOW } from '../../../../src/subnets/prices/constants.ts'
import { ewmaVolatility, gaussianEnsembles } from '../../../../src/subnets/prices/forecasters.ts'
import { ForecastModelError, forecastFromOutputs } from '../../../../src/subnets/prices/model-forecast.ts'
import { taskAt } from '../../../../src/subnets/prices/replay.ts'

describe('the shipped baseline model', () => {
  it('computes in onnxruntime-node the EWMA-volatility forecast of the TypeScript forecaster', async () => {
    const session = await ort.InferenceSession.create(baselineModel())
    const eur = loadPriceHistory()[0]!
    const steps = [100, 2000, 4000, 6000]
    const windows = steps.map(at => taskAt('EUR', eur.prices, at, 0).returns)
    const input = new ort.Tensor('float32', Float32Array.from(windows.flat()), [steps.length, WINDOW])
    const { sigma } = await session.run({ [BASELINE_INPUT]: input })
    expect(sigma!.dims).toEqual([steps.length, 3])
    windows.forEach((returns, row) => {
      const fromModel = forecastFromOutputs({ sigma: { data: (sigma!.data as Float32Array).slice(row * 3, row * 3 + 3), dims: [1, 3] } })
      const expected = ewmaVolatility(returns)
      // float32 in the model against float64 here: a relative error of a few 1e-7.
      fromModel.forEach((members, h) => members.forEach((m, i) => expect(Math.abs(m - expected[h]![i]!)).toBeLessThanOrEqual(Math.abs(expected[h]![i]!) * 1e-5 + 1e-12)))
    })
    await session.release()
  })

  it('turns an ensemble output into the forecast as it is, and refuses outputs of the wrong shape or non-finite values', () => {
    const members = gaussianEnsembles([0.01, 0.02, 0.04])
    expect(forecastFromOutputs({ ensemble: { data: Float32Array.from(members.flat()), dims: [1, 3, ENSEMBLE_MEMBERS] } })[2]![5]).toBeCloseTo(members[2]![5]!, 6)
    expect(() => forecastFromOutputs({ ensemble: { data: new Float32Array(3 * 10), dims: [1, 3, 10] } })).toThrow(ForecastModelError)
    expect(() => forecastFromOutputs({ sigma: { data: Float32Array.of(0.01, Number.NaN, 0.02), dims: [1, 3] } })).toThrow(/NaN/)
    expect(() => forecastFromOutputs({ y: { data: new Float32Array(3), dims: [1, 3] } })).toThrow(/neither/)
  })
})
