import { describe, expect, it } from 'vitest'
import { encode } from '../../../../src/core/codec.ts'
import { ENSEMBLE_MEMBERS, MAX_RESULT_BYTES, WINDOW } from '../../../../src/subnets/prices/constants.ts'
import { ewmaVolatility } from '../../../../src/subnets/prices/forecasters.ts'
import { decodeForecast, decodeTask, encodeForecast, encodeTask, taskId, type PricesTask } from '../../../../src/subnets/prices/task.ts'
import { SubnetInputError } from '../../../../src/subnets/subnet.ts'

const task: PricesTask = { asset: 'EUR', at: 4000, returns: Array.from({ length: WINDOW }, (_, i) => Math.sin(i) / 100), commitBy: 1_700_000_000_000 }

function codeOf (read: () => unknown): string {
  try {
    read()
  } catch (err) {
    expect(err).toBeInstanceOf(SubnetInputError)
    return (err as SubnetInputError).code
  }
  return 'accepted'
}

describe('prices tasks and forecasts', () => {
  it('round-trip through their canonical encodings, the truth left out of the task', () => {
    expect(decodeTask(encodeTask({ ...task, truth: [0, 0, 0] }))).toEqual(task)
    const forecast = { task: taskId(task), paths: ewmaVolatility(task.returns) }
    expect(decodeForecast(encodeForecast(forecast))).toEqual(forecast)
  })

  it('refuse NaN, out-of-range returns, wrong ensemble sizes and oversized bytes with codes', () => {
    const paths = ewmaVolatility(task.returns)
    const id = taskId(task)
    // DAG-CBOR has no NaN: a forecast carrying one (raw CBOR float64 NaN, 0xfb 7ff8…) is refused.
    const withNaN = encode({ task: id, paths: [[...paths[0]!.slice(1), 0.5], paths[1], paths[2]] })
    const at = withNaN.lastIndexOf(0xfb) // the last float: 0.5
    withNaN.set([0xfb, 0x7f, 0xf8, 0, 0, 0, 0, 0, 0], at)
    expect(codeOf(() => decodeForecast(withNaN))).toBe('MALFORMED')
    expect(codeOf(() => decodeForecast(encode({ task: id, paths: [paths[0], paths[1], [...paths[2]!.slice(1), 2]] })))).toBe('BAD_FIELD')
    expect(codeOf(() => decodeForecast(encode({ task: id, paths: [paths[0], paths[1], paths[2]!.slice(1)] })))).toBe('BAD_FIELD')
    expect(codeOf(() => decodeForecast(encode({ task: id, paths: [paths[0], paths[1]] })))).toBe('BAD_FIELD')
    expect(codeOf(() => decodeForecast(new Uint8Array(MAX_RESULT_BYTES + 1)))).toBe('TOO_LARGE')
    expect(codeOf(() => decodeTask(encode({ ...task, returns: task.returns.slice(1) })))).toBe('BAD_FIELD')
    expect(paths[0]!.length).toBe(ENSEMBLE_MEMBERS)
  })
})
