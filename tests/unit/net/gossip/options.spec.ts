import { describe, expect, it } from 'vitest'
import { fastMessageId, gossipsubOptions } from '../../../../src/net/gossip/options.ts'
import { chainId } from './fixture.ts'

describe('gossipsub options', () => {
  it('give a message the fast id of its author and sequence number, whatever its data', () => {
    const from = new Uint8Array([0x00, 0x24, 0xff])
    const seqno = new Uint8Array([0, 0, 0, 1])
    expect(fastMessageId({ from, seqno, topic: 't', data: new Uint8Array([1]) })).toBe('0024ff:00000001')
    expect(fastMessageId({ from, seqno, topic: 't', data: new Uint8Array([2]) })).toBe(fastMessageId({ from, seqno, topic: 't' }))
    expect(fastMessageId({ from, seqno: new Uint8Array([0, 0, 0, 2]), topic: 't' })).not.toBe(fastMessageId({ from, seqno, topic: 't' }))
  })

  it('carry the scoring and the fast id together', () => {
    const options = gossipsubOptions({ chainId })
    expect(options.fastMsgIdFn).toBe(fastMessageId)
    expect(options.scoreThresholds?.graylistThreshold).toBeLessThan(0)
  })
})
