import { describe, expect, it } from 'vitest'
import { keypairFromLabel } from '../../../../src/core/keys.ts'
import { ScoreBook } from '../../../../src/participant/agent/score-book.ts'
import { nextWeightsStep } from '../../../../src/participant/agent/weights-cycle.ts'

const a = keypairFromLabel('book/a').publicKey
const b = keypairFromLabel('book/b').publicKey
const c = keypairFromLabel('book/c').publicKey

describe('the moving score per uid', () => {
  it('takes the first score as is, then moves by alpha toward each new one', () => {
    const book = new ScoreBook([], 0.5)
    expect(book.update(1, a, 1).ema).toBe(1)
    expect(book.update(1, a, 0).ema).toBe(0.5)
    expect(book.update(1, a, 0).ema).toBe(0.25)
    expect(book.get(1)?.tasks).toBe(3)
  })

  it('starts again when another hotkey takes the uid, and forgets uids that are gone', () => {
    const book = new ScoreBook([], 0.5)
    book.update(1, a, 1)
    expect(book.update(1, b, 0.2).ema).toBe(0.2)
    book.update(2, c, 1)
    book.prune(new Map([[1, b]]))
    expect(book.entries().map(e => e.uid)).toEqual([1])
  })

  it('treats NaN and out-of-range scores as what they can be', () => {
    const book = new ScoreBook()
    expect(book.update(1, a, Number.NaN).ema).toBe(0)
    expect(book.update(2, b, 7).ema).toBe(1)
  })

  it('turns moving scores into weights with the best at 65535, leaving out itself and zeros', () => {
    const book = new ScoreBook()
    book.update(0, a, 1)
    book.update(1, b, 0.5)
    book.update(2, c, 0)
    book.update(3, keypairFromLabel('book/d').publicKey, 0.25)
    expect(book.weights(0)).toEqual({ uids: [1, 3], weights: [65535, 32768] })
  })

  it('survives a reload from its entries', () => {
    const book = new ScoreBook([], 0.5)
    book.update(4, a, 0.8, 'x')
    const again = new ScoreBook(book.entries(), 0.5)
    expect(again.update(4, a, 0).ema).toBeCloseTo(0.4)
  })
})

describe('the weights cycle', () => {
  const weights = { uids: [1, 2], weights: [65535, 100] }
  const pending = { uids: [1], weights: [65535], salt: '00'.repeat(32), epochBlock: 40 }

  it('commits once per epoch when it holds a permit and has weights', () => {
    expect(nextWeightsStep({ epochBlock: 40, permit: true, pending: null, committedAt: 20, weights })).toEqual({ kind: 'commit', weights })
    expect(nextWeightsStep({ epochBlock: 40, permit: true, pending: null, committedAt: 40, weights })).toEqual({ kind: 'wait' })
    expect(nextWeightsStep({ epochBlock: 40, permit: false, pending: null, committedAt: 20, weights })).toEqual({ kind: 'wait' })
    expect(nextWeightsStep({ epochBlock: 40, permit: true, pending: null, committedAt: 20, weights: { uids: [], weights: [] } })).toEqual({ kind: 'wait' })
  })

  it('reveals a commit only after an epoch has run since, before committing again', () => {
    expect(nextWeightsStep({ epochBlock: 40, permit: true, pending, committedAt: 40, weights })).toEqual({ kind: 'wait' })
    expect(nextWeightsStep({ epochBlock: 60, permit: true, pending, committedAt: 40, weights })).toEqual({ kind: 'reveal', commit: pending })
  })
})
