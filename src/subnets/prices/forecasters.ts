/**
 * Forecasters a miner can run without a model of its own, and the ensemble they all share. A
 * forecast here is Gaussian in the cumulative log-return, N(0, σ²·h) at horizon h, sent as an
 * ensemble of its quantiles at (i + ½)/N, which is the N-member ensemble with the lowest
 * expected CRPS for that belief.
 *
 * - `randomWalk`: one σ for the asset, the long-run one (Synth's baseline miner does this).
 * - `ewmaVolatility`: σ² as the exponentially weighted mean of recent squared returns
 *   (RiskMetrics, λ = 0.94), which follows calm and turbulent spells. The subnet's shipped
 *   ONNX baseline computes the same σ from the same weights (baseline-model.ts).
 */
import { ENSEMBLE_MEMBERS, HORIZONS, WINDOW } from './constants.ts'

/** RiskMetrics' decay for daily data. */
export const EWMA_LAMBDA = 0.94

/** The EWMA weights over a window, oldest first, summing to 1. */
export function ewmaWeights (window = WINDOW, lambda = EWMA_LAMBDA): number[] {
  const raw = Array.from({ length: window }, (_, i) => (1 - lambda) * lambda ** (window - 1 - i))
  const total = raw.reduce((a, b) => a + b, 0)
  return raw.map(w => w / total)
}

/**
 * Φ⁻¹(p), the standard normal quantile, by Acklam's rational approximation (relative error
 * below 1.2e-9), which is ample for an ensemble's members.
 */
export function normalQuantile (p: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError('A normal quantile needs 0 < p < 1.')
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239]
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572]
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783]
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416]
  const low = 0.02425
  if (p < low || p > 1 - low) {
    const q = Math.sqrt(-2 * Math.log(p < low ? p : 1 - p))
    const x = (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) /
      ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1)
    return p < low ? x : -x
  }
  const q = p - 0.5
  const r = q * q
  return (((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q /
    (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1)
}

const UNIT_QUANTILES = Array.from({ length: ENSEMBLE_MEMBERS }, (_, i) => normalQuantile((i + 0.5) / ENSEMBLE_MEMBERS))

/** The ensemble for N(0, σ_h²) at each horizon, given σ_h per horizon. */
export function gaussianEnsembles (sigmaPerHorizon: readonly number[]): number[][] {
  return sigmaPerHorizon.map(sigma => UNIT_QUANTILES.map(z => z * sigma))
}

/** σ at each horizon from a one-step σ, growing as √h. */
export function horizonSigmas (sigma: number): number[] {
  return HORIZONS.map(h => sigma * Math.sqrt(h))
}

/** A random walk with the asset's long-run one-step σ. */
export function randomWalk (longRunSigma: number): number[][] {
  return gaussianEnsembles(horizonSigmas(longRunSigma))
}

/** The EWMA-volatility forecast of a window of log-returns. */
export function ewmaVolatility (returns: readonly number[]): number[][] {
  const weights = ewmaWeights(returns.length)
  let variance = 0
  returns.forEach((r, i) => { variance += weights[i]! * r * r })
  return gaussianEnsembles(horizonSigmas(Math.sqrt(variance)))
}

/** The sample standard deviation of log-returns (about a zero mean, as the forecasts assume). */
export function longRunSigma (returns: readonly number[]): number {
  let total = 0
  for (const r of returns) total += r * r
  return Math.sqrt(total / returns.length)
}
