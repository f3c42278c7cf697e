import { describe, expect, it } from 'vitest'
import { utf8ToBytes } from '../../../../src/core/hash.ts'
import { folding } from '../../../../src/subnets/folding/index.ts'
import { solveSync } from '../../../../src/subnets/folding/solver.ts'

describe('the folding subnet', () => {
  it('names itself and says what it does in plain words', () => {
    expect(folding.name).toBe('folding')
    expect(folding.description.length).toBeGreaterThan(80)
  })

  it('runs a task from seed to scores through its interface alone', () => {
    const task = folding.newTask(utf8ToBytes('index round trip'))
    const onWire = folding.decodeTask(folding.encodeTask(task))
    expect(onWire).toStrictEqual(task)
    const strong = solveSync(onWire, { maxSteps: 400_000, seed: 1 })
    const weak = solveSync(onWire, { maxSteps: 20_000, seed: 1, moveSet: 'local', temperatures: [0.5] })
    expect(strong.energy).toBeLessThan(weak.energy)
    const results = [strong, weak].map(r => folding.encodeResult({ taskId: onWire.id, moves: r.moves }))
    expect(folding.decodeResult(results[0]!)).toStrictEqual({ taskId: task.id, moves: strong.moves })
    const scores = folding.score(task, results.map((bytes, uid) => ({ uid, bytes, receivedAt: uid })))
    expect(scores).toStrictEqual([{ uid: 0, score: 1 }, { uid: 1, score: 1 / 2 }])
  })
})
