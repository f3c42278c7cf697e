import { describe, expect, it } from 'vitest'
import { toHex } from '../../../../src/core/hash.ts'
import { UnknownTopicError } from '../../../../src/net/gossip/errors.ts'
import { parseTopic, topicLabel, topicName } from '../../../../src/net/gossip/topics.ts'
import { chainId } from './fixture.ts'

const c8 = toHex(chainId).slice(0, 8)

describe('gossip topics', () => {
  it('are named after the chain, the kind and the version', () => {
    expect(topicName(chainId, 'tx')).toBe(`tabtensor/${c8}/tx/1`)
    expect(topicName(chainId, 'headers')).toBe(`tabtensor/${c8}/headers/1`)
    expect(topicName(chainId, { kind: 'results', netuid: 3 })).toBe(`tabtensor/${c8}/subnet/3/results/1`)
    expect(topicName(chainId, { kind: 'scores', netuid: 65535 })).toBe(`tabtensor/${c8}/subnet/65535/scores/1`)
    expect(topicLabel({ kind: 'scores', netuid: 2 })).toBe('subnet/2/scores')
  })

  it('parse back to their kind', () => {
    for (const kind of ['tx', 'headers', { kind: 'results', netuid: 0 }, { kind: 'scores', netuid: 12 }] as const) {
      expect(parseTopic(topicName(chainId, kind))).toEqual({ chainPrefix: `tabtensor/${c8}`, kind })
    }
  })

  it('do not parse when they are not ours', () => {
    for (const name of ['tabtensor/peers/1', `tabtensor/${c8}/tx/2`, `tabtensor/${c8}/subnet/01/results/1`, `tabtensor/${c8}/subnet/65536/results/1`, `tabtensor/${c8.toUpperCase()}/tx/1`, `x/${c8}/tx/1`]) {
      expect(parseTopic(name), name).toBeUndefined()
    }
  })

  it('refuse a netuid that is not one', () => {
    expect(() => topicName(chainId, { kind: 'results', netuid: -1 })).toThrow(UnknownTopicError)
    expect(() => topicName(chainId, { kind: 'results', netuid: 1.5 })).toThrow(UnknownTopicError)
    expect(() => topicName(chainId, { kind: 'results', netuid: 70000 })).toThrow(/0 to 65535/)
  })
})
