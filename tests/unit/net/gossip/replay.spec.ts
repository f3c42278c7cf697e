import { describe, expect, it } from 'vitest'
import { ReplayGuard } from '../../../../src/net/gossip/replay.ts'

describe('the replay guard', () => {
  it('calls a number new once, then a duplicate', () => {
    const g = new ReplayGuard(4, 10)
    expect(g.check('a', 10)).toBe('new')
    g.record('a', 10)
    expect(g.check('a', 10)).toBe('duplicate')
    expect(g.check('b', 10)).toBe('new')
  })

  it('accepts numbers out of order within the window', () => {
    const g = new ReplayGuard(4, 10)
    for (const n of [10, 13, 11]) {
      expect(g.check('a', n)).toBe('new')
      g.record('a', n)
    }
    expect(g.check('a', 12)).toBe('new')
  })

  it('calls a replay anything at or below the highest number it has forgotten', () => {
    const g = new ReplayGuard(4, 10)
    for (let n = 1; n <= 6; n++) g.record('a', n * 10)
    // 10 and 20 fell out of the window of four; the floor is now 20.
    expect(g.check('a', 10)).toBe('replayed')
    expect(g.check('a', 20)).toBe('replayed')
    expect(g.check('a', 15)).toBe('replayed')
    expect(g.check('a', 30)).toBe('duplicate')
    expect(g.check('a', 25)).toBe('new')
    expect(g.check('a', 70)).toBe('new')
  })

  it('forgets the least recently heard sender past its bound', () => {
    const g = new ReplayGuard(4, 2)
    g.record('a', 1)
    g.record('b', 1)
    g.record('a', 2)
    g.record('c', 1)
    expect(g.senders).toBe(2)
    expect(g.check('b', 1)).toBe('new')
    expect(g.check('a', 1)).toBe('duplicate')
  })
})
