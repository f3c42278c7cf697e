import { describe, expect, it } from 'vitest'
import { Backoff, backoffDelay } from '../../../src/net/backoff.ts'
import { BACKOFF_BASE_MS, BACKOFF_JITTER, BACKOFF_MAX_MS } from '../../../src/net/constants.ts'

describe('backoff', () => {
  it('doubles the delay with each failure up to the cap', () => {
    const none = (): number => 0
    expect([1, 2, 3, 4].map(n => backoffDelay(n, none))).toEqual([1, 2, 4, 8].map(k => k * BACKOFF_BASE_MS))
    expect(backoffDelay(40, none)).toBe(BACKOFF_MAX_MS)
  })

  it('takes at most the jitter share off a delay', () => {
    for (let n = 1; n < 20; n++) {
      const ceiling = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** (n - 1))
      expect(backoffDelay(n, () => 0.999999)).toBeGreaterThanOrEqual(Math.floor(ceiling * (1 - BACKOFF_JITTER)))
      expect(backoffDelay(n, Math.random)).toBeLessThanOrEqual(ceiling)
    }
  })

  it('allows a dial at once, holds it back after a failure and resets after a success', () => {
    const b = new Backoff(() => 0)
    expect(b.due(0)).toBe(true)
    b.failed(1000)
    expect(b.due(1000 + BACKOFF_BASE_MS - 1)).toBe(false)
    expect(b.due(1000 + BACKOFF_BASE_MS)).toBe(true)
    b.failed(2000)
    expect(b.due(2000 + 2 * BACKOFF_BASE_MS - 1)).toBe(false)
    b.succeeded()
    expect(b.failures).toBe(0)
    expect(b.due(0)).toBe(true)
  })
})
