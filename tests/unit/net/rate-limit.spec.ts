import { describe, expect, it } from 'vitest'
import { PeerRateLimit } from '../../../src/net/rate-limit.ts'

describe('the per-peer rate limit', () => {
  it('allows a burst, then the sustained rate, per peer', () => {
    let now = 0
    const limit = new PeerRateLimit(10, 3, () => now)
    expect([1, 2, 3, 4].map(() => limit.take('a'))).toEqual([true, true, true, false])
    expect(limit.take('b')).toBe(true)
    now += 100
    expect([limit.take('a'), limit.take('a')]).toEqual([true, false])
  })
})
