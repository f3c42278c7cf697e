/** The prices subnet's shapes and limits, each with its unit. */

/** Forecast horizons, in steps of the series (days for the bundled daily history). */
export const HORIZONS = [1, 5, 20] as const

/** Members of every forecast ensemble: fixed, because an ensemble's CRPS depends on its size. */
export const ENSEMBLE_MEMBERS = 64

/** Recent log-returns a task shows the miner. */
export const WINDOW = 64

/** Largest log-return a forecast member may hold (e^±1: far beyond any daily move of a currency). */
export const MAX_ABS_RETURN = 1

/** Largest encoded task we decode, in bytes (a window of float64s and small fields). */
export const MAX_TASK_BYTES = 2048

/** Largest encoded forecast we decode, in bytes (3 × 64 float64s and small fields). */
export const MAX_RESULT_BYTES = 4096

/** Longest asset name, in characters. */
export const MAX_ASSET_LENGTH = 16

/**
 * How steeply a forecast's score falls with its CRPS relative to the best one: the score is
 * exp(−β·(CRPS/best − 1)), so a forecast 10 % worse than the best earns exp(−0.5) ≈ 0.61.
 */
export const SCORE_BETA = 5

/** Names of the files in the subnet's bundle: the baseline model, and the replay series. */
export const PRICES_MODEL_FILE = 'model.onnx'
export const PRICES_SERIES_FILE = 'series.cbor'
