/**
 * The baseline forecasting model the prices subnet ships, built in code (no training data or
 * model hub needed): EWMA volatility as an ONNX graph. Input `returns` [batch, WINDOW] (float32
 * log-returns, oldest first); output `sigma` [batch, 3], the forecast's standard deviation at each
 * horizon: sqrt(Σ_i w_i·r_i²)·√h with the RiskMetrics weights of forecasters.ts.
 *
 * A miner may load its own `.onnx` instead, with the same input and either this `sigma` output
 * or an `ensemble` output [batch, 3, ENSEMBLE_MEMBERS] of cumulative log-returns (model-forecast.ts).
 */
import { encodeModel } from '../../inference/onnx/model.ts'
import { HORIZONS, WINDOW } from './constants.ts'
import { ewmaWeights } from './forecasters.ts'

export const BASELINE_INPUT = 'returns'
export const SIGMA_OUTPUT = 'sigma'
export const ENSEMBLE_OUTPUT = 'ensemble'

export function baselineModel (): Uint8Array {
  return encodeModel({
    name: 'prices-ewma-volatility',
    nodes: [
      { op: 'Mul', inputs: [BASELINE_INPUT, BASELINE_INPUT], outputs: ['squared'], name: 'square' },
      { op: 'MatMul', inputs: ['squared', 'weights'], outputs: ['variance'], name: 'ewma' },
      { op: 'Sqrt', inputs: ['variance'], outputs: ['step_sigma'], name: 'sqrt' },
      { op: 'Mul', inputs: ['step_sigma', 'horizon_scale'], outputs: [SIGMA_OUTPUT], name: 'horizons' }
    ],
    initializers: [
      { name: 'weights', dims: [WINDOW, 1], data: Float32Array.from(ewmaWeights(WINDOW)) },
      { name: 'horizon_scale', dims: [1, HORIZONS.length], data: Float32Array.from(HORIZONS, h => Math.sqrt(h)) }
    ],
    inputs: [{ name: BASELINE_INPUT, dims: ['batch', WINDOW] }],
    outputs: [{ name: SIGMA_OUTPUT, dims: ['batch', HORIZONS.length] }]
  })
}
