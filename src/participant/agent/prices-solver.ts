/**
 * The prices miner: the task's window of log-returns goes through the miner's ONNX model (the
 * subnet's baseline, or the person's own `.onnx` with the same contract, baseline-model.ts) in
 * the inference engine, under the governor; its outputs become the forecast ensemble
 * (model-forecast.ts), answered for the task's id. A model that gives something unusable is a
 * refusal with the model's reason, not a forecast that would score zero.
 */
import { forecastFromOutputs, ForecastModelError, type ModelOutput } from '../../subnets/prices/model-forecast.ts'
import { gaussianEnsembles, horizonSigmas } from '../../subnets/prices/forecasters.ts'
import { decodeTask, encodeForecast, taskId } from '../../subnets/prices/task.ts'
import { AgentError } from './errors.ts'
import type { TaskSolver } from './solver.ts'

/** Runs the miner's model on one window ([1, WINDOW] float32) and gives its outputs by name. */
export type RunForecastModel = (returns: Float32Array) => Promise<Record<string, ModelOutput>>

export interface PricesSolverOptions {
  /** Forecasts N(0, σ²h) with this one-step σ, ignoring the model: a weak miner, for tests and demos of scoring. */
  constantSigma?: number
}

export function pricesSolver (runModel: RunForecastModel, options: PricesSolverOptions = {}): TaskSolver {
  return {
    async solve (bytes, _deadline, onProgress) {
      const task = decodeTask(bytes)
      onProgress({ summary: `${task.asset} from step ${task.at}: running the model`, work: 0 })
      let paths: number[][]
      if (options.constantSigma !== undefined) {
        paths = gaussianEnsembles(horizonSigmas(options.constantSigma))
      } else {
        try {
          paths = forecastFromOutputs(await runModel(Float32Array.from(task.returns)))
        } catch (err) {
          if (err instanceof ForecastModelError) throw new AgentError('SOLVER_FAILED', err.message)
          throw new AgentError('SOLVER_FAILED', `The model could not run: ${(err as Error).message}`)
        }
      }
      const spread = paths.map(p => Math.max(...p) - Math.min(...p))
      onProgress({ summary: `${task.asset} from step ${task.at}: forecast spread ${spread.map(s => s.toFixed(4)).join(' / ')}`, work: 1 })
      return encodeForecast({ task: taskId(task), paths })
    }
  }
}
