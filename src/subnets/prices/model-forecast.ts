/**
 * A forecast from a model's outputs, whichever of the two contracts the model follows (see
 * baseline-model.ts): `ensemble` [batch, 3, N] is used as it is, `sigma` [batch, 3] becomes the
 * Gaussian quantile ensemble. Anything else, or a value that is not a finite log-return, is
 * refused here rather than sent, since a validator would score it zero.
 */
import { ENSEMBLE_MEMBERS, HORIZONS, MAX_ABS_RETURN } from './constants.ts'
import { gaussianEnsembles } from './forecasters.ts'
import { ENSEMBLE_OUTPUT, SIGMA_OUTPUT } from './baseline-model.ts'

/** A model output: its data and dims (what ONNX Runtime's tensors carry). */
export interface ModelOutput {
  data: Float32Array
  dims: readonly number[]
}

export class ForecastModelError extends Error {
  static override name = 'ForecastModelError'
  override name = 'ForecastModelError'
}

function finite (value: number, what: string): number {
  if (!Number.isFinite(value) || Math.abs(value) > MAX_ABS_RETURN) {
    throw new ForecastModelError(`The model gave ${value} for ${what}; a forecast needs finite log-returns within ±${MAX_ABS_RETURN}.`)
  }
  return value
}

/** The ensembles of the first batch row of `outputs`. */
export function forecastFromOutputs (outputs: Readonly<Record<string, ModelOutput>>): number[][] {
  const ensemble = outputs[ENSEMBLE_OUTPUT]
  if (ensemble !== undefined) {
    if (ensemble.dims.length !== 3 || ensemble.dims[1] !== HORIZONS.length || ensemble.dims[2] !== ENSEMBLE_MEMBERS) {
      throw new ForecastModelError(`The model's "${ENSEMBLE_OUTPUT}" output must be [batch, ${HORIZONS.length}, ${ENSEMBLE_MEMBERS}], not [${ensemble.dims.join(', ')}].`)
    }
    return HORIZONS.map((_, h) => Array.from(ensemble.data.subarray(h * ENSEMBLE_MEMBERS, (h + 1) * ENSEMBLE_MEMBERS), (v, i) => finite(v, `horizon ${h} member ${i}`)))
  }
  const sigma = outputs[SIGMA_OUTPUT]
  if (sigma !== undefined) {
    if (sigma.dims.length !== 2 || sigma.dims[1] !== HORIZONS.length) {
      throw new ForecastModelError(`The model's "${SIGMA_OUTPUT}" output must be [batch, ${HORIZONS.length}], not [${sigma.dims.join(', ')}].`)
    }
    const sigmas = Array.from(sigma.data.subarray(0, HORIZONS.length), (v, h) => finite(v, `horizon ${h}'s sigma`))
    if (sigmas.some(s => s < 0)) throw new ForecastModelError('The model gave a negative sigma.')
    return gaussianEnsembles(sigmas)
  }
  throw new ForecastModelError(`The model has neither a "${ENSEMBLE_OUTPUT}" nor a "${SIGMA_OUTPUT}" output; see the prices subnet's model contract.`)
}
