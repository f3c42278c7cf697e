import { describe, expect, it } from 'vitest'
import { WINDOW } from '../../../../src/subnets/prices/constants.ts'
import { gaussianEnsembles } from '../../../../src/subnets/prices/forecasters.ts'
import { prices } from '../../../../src/subnets/prices/index.ts'
import { encodeForecast, taskId, type PricesTask } from '../../../../src/subnets/prices/task.ts'

const task: PricesTask = { asset: 'JPY', at: 100, returns: new Array<number>(WINDOW).fill(0.001), commitBy: 5000, truth: [0.004, -0.01, 0.02] }
const forecast = (sigmas: number[], id = taskId(task)): Uint8Array => encodeForecast({ task: id, paths: gaussianEnsembles(sigmas) })

describe('prices scoring', () => {
  it('gives the best forecast 1 and the others less as their CRPS grows', () => {
    const scores = prices.score(task, [
      { uid: 0, bytes: forecast([0.006, 0.013, 0.027]), receivedAt: 10 },
      { uid: 1, bytes: forecast([0.05, 0.1, 0.2]), receivedAt: 10 },
      { uid: 2, bytes: forecast([0.0001, 0.0001, 0.0001]), receivedAt: 10 }
    ])
    const best = Math.max(...scores.map(s => s.score))
    expect(best).toBe(1)
    expect(scores[0]!.score).toBe(1)
    expect(scores[1]!.score).toBeGreaterThan(0)
    expect(scores[1]!.score).toBeLessThan(1)
    expect(scores.every(s => s.rejection === undefined)).toBe(true)
  })

  it('scores late, malformed and mis-addressed forecasts zero with a reason, never throwing', () => {
    const other = taskId({ ...task, at: 101 })
    const scores = prices.score(task, [
      { uid: 0, bytes: forecast([0.01, 0.02, 0.04]), receivedAt: 5001 },
      { uid: 1, bytes: new Uint8Array([0xa0]), receivedAt: 10 },
      { uid: 2, bytes: forecast([0.01, 0.02, 0.04], other), receivedAt: 10 },
      { uid: 3, bytes: forecast([0.01, 0.02, 0.04]), receivedAt: 10 }
    ])
    expect(scores.map(s => s.rejection?.code)).toEqual(['LATE', 'MISSING_FIELD', 'WRONG_TASK', undefined])
    expect(scores.map(s => s.score)).toEqual([0, 0, 0, 1])
  })

  it('cannot score before the truth is known', () => {
    expect(() => prices.score({ ...task, truth: undefined }, [])).toThrow(/truth is known/)
  })
})
