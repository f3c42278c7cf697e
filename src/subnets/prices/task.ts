/**
 * Tasks and forecasts. A task shows the last WINDOW log-returns of a series up to a point and
 * asks for an ensemble of ENSEMBLE_MEMBERS cumulative log-returns at each of HORIZONS steps
 * later, received before `commitBy`; the validator scores it once the truth is known. The truth
 * is the validator's own and never part of the encoded task.
 */
import { decode, encode, readBytes, readList, readU64, readString, record } from '../../core/codec.ts'
import { LedgerError } from '../../core/errors.ts'
import { hash } from '../../core/hash.ts'
import { SubnetInputError } from '../subnet.ts'
import {
  ENSEMBLE_MEMBERS, HORIZONS, MAX_ABS_RETURN, MAX_ASSET_LENGTH, MAX_RESULT_BYTES, MAX_TASK_BYTES, WINDOW
} from './constants.ts'

export interface PricesTask {
  asset: string
  /** Where the forecast starts: a step of a replayed series, or a time in ms for live data. */
  at: number
  /** The last WINDOW log-returns up to `at`, oldest first. */
  returns: number[]
  /** Forecasts received after this time (ms since the epoch) are late. */
  commitBy: number
  /** Cumulative log-return at each horizon: known to the validator after the target time only. */
  truth?: number[]
}

export interface Forecast {
  /** Id of the task answered (taskId). */
  task: Uint8Array
  /** Per horizon, ENSEMBLE_MEMBERS cumulative log-returns. */
  paths: number[][]
}

function asInput<T> (read: () => T): T {
  try {
    return read()
  } catch (err) {
    if (err instanceof LedgerError) throw new SubnetInputError(err.code, err.message)
    throw err
  }
}

function readReturn (value: unknown, field: string): number {
  if (typeof value === 'number' && Number.isFinite(value) && Math.abs(value) <= MAX_ABS_RETURN) return value
  throw new SubnetInputError('BAD_FIELD', `The field "${field}" must be a finite log-return between −${MAX_ABS_RETURN} and ${MAX_ABS_RETURN}.`)
}

function readReturns (value: unknown, field: string, length: number): number[] {
  const list = readList(value, field, length)
  if (list.length !== length) throw new SubnetInputError('BAD_FIELD', `The field "${field}" must hold exactly ${length} log-returns.`)
  return list.map((v, i) => readReturn(v, `${field}[${i}]`))
}

export function encodeTask (task: PricesTask): Uint8Array {
  return encode({ asset: task.asset, at: task.at, returns: task.returns, commitBy: task.commitBy })
}

export function decodeTask (bytes: Uint8Array): PricesTask {
  return asInput(() => {
    const f = record(decode(bytes, MAX_TASK_BYTES, 'prices task'), ['asset', 'at', 'returns', 'commitBy'], 'prices task')
    return {
      asset: readString(f.asset, 'asset', MAX_ASSET_LENGTH),
      at: Number(readU64(f.at, 'at')),
      returns: readReturns(f.returns, 'returns', WINDOW),
      commitBy: Number(readU64(f.commitBy, 'commitBy'))
    }
  })
}

export function taskId (task: PricesTask): Uint8Array {
  return hash(encodeTask(task))
}

export function encodeForecast (forecast: Forecast): Uint8Array {
  return encode({ task: forecast.task, paths: forecast.paths })
}

export function decodeForecast (bytes: Uint8Array): Forecast {
  return asInput(() => {
    const f = record(decode(bytes, MAX_RESULT_BYTES, 'forecast'), ['task', 'paths'], 'forecast')
    const paths = readList(f.paths, 'paths', HORIZONS.length)
    if (paths.length !== HORIZONS.length) {
      throw new SubnetInputError('BAD_FIELD', `A forecast holds one ensemble for each of the ${HORIZONS.length} horizons.`)
    }
    return {
      task: readBytes(f.task, 'task', 32),
      paths: paths.map((p, h) => readReturns(p, `paths[${h}]`, ENSEMBLE_MEMBERS))
    }
  })
}
