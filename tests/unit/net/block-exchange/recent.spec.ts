import { describe, expect, it } from 'vitest'
import { RecentBlocks } from '../../../../src/net/block-exchange/recent.ts'

describe('the recent blocks kept in memory', () => {
  it('forgets the least recently used block first once over its byte bound', () => {
    const recent = new RecentBlocks(10)
    recent.add('a', new Uint8Array(4))
    recent.add('b', new Uint8Array(4))
    expect(recent.get('a')).toHaveLength(4)
    recent.add('c', new Uint8Array(4))
    expect([recent.get('a'), recent.get('b'), recent.get('c')].map(b => b?.length)).toEqual([4, undefined, 4])
    expect(recent.bytes).toBe(8)
  })

  it('counts a block added twice once, and never keeps one larger than its bound', () => {
    const recent = new RecentBlocks(10)
    recent.add('a', new Uint8Array(4))
    recent.add('a', new Uint8Array(4))
    recent.add('big', new Uint8Array(11))
    expect(recent.bytes).toBe(4)
    expect(recent.get('big')).toBeUndefined()
  })
})
