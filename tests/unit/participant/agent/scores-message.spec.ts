/**
 * The scores message validators gossip: the moving scores, and a storage validator's optional
 * report of bytes held and challenges passed per miner.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { encode } from '../../../../src/core/codec.ts'
import { MAX_SCORES_BYTES } from '../../../../src/participant/agent/constants.ts'
import { AgentError } from '../../../../src/participant/agent/errors.ts'
import { decodeScores, encodeScores, type ScoresMessage } from '../../../../src/participant/agent/scores-message.ts'

const base = { netuid: 3, round: 7, scores: [65535, 1200], uids: [1, 4] }
const storage = { bytes: [2_097_152, 524_288], passes: [9, 3], trials: [9, 6], uids: [1, 4] }

function refusal (bytes: Uint8Array): AgentError {
  try {
    decodeScores(bytes)
  } catch (err) {
    if (err instanceof AgentError) return err
    throw err
  }
  throw new Error('the message was accepted')
}

describe('the scores message', () => {
  it('round-trips with and without a storage report', () => {
    const report = fc.integer({ min: 0, max: 40 }).chain(n => fc.record({
      uids: fc.uniqueArray(fc.integer({ min: 0, max: 65535 }), { minLength: n, maxLength: n }).map(u => u.sort((a, b) => a - b)),
      bytes: fc.array(fc.nat(), { minLength: n, maxLength: n }),
      trials: fc.array(fc.nat(1000), { minLength: n, maxLength: n })
    })).chain(r => fc.tuple(...r.trials.map(t => fc.nat(t))).map(passes => ({ ...r, passes })))
    fc.assert(fc.property(fc.option(report, { nil: undefined }), r => {
      const m: ScoresMessage = { netuid: 1, round: 2, uids: [0, 5], scores: [10, 65535], ...(r === undefined ? {} : { storage: r }) }
      expect(decodeScores(encodeScores(m))).toStrictEqual(m)
    }))
  })

  it('still reads a message from before the storage report', () => {
    expect(decodeScores(encode(base))).toStrictEqual(base)
    expect(decodeScores(encode(base)).storage).toBeUndefined()
  })

  it('refuses a malformed storage report with MALFORMED and hands back nothing of it', () => {
    const cases: Array<[string, unknown]> = [
      ['not a map', [1, 2]],
      ['a missing list', { bytes: [1, 2], passes: [1, 1], uids: [1, 4] }],
      ['an unknown field', { ...storage, extra: 1 }],
      ['lists of different lengths', { ...storage, bytes: [5] }],
      ['more passes than trials', { ...storage, passes: [10, 3] }],
      ['a uid twice', { ...storage, uids: [4, 4] }],
      ['uids out of order', { ...storage, uids: [4, 1] }],
      ['a negative byte count', { ...storage, bytes: [-1, 0] }],
      ['a fractional pass count', { ...storage, passes: [1.5, 0] }],
      ['a uid past 65535', { ...storage, uids: [1, 65536] }]
    ]
    for (const [what, report] of cases) {
      const err = refusal(encode({ ...base, storage: report }))
      expect(err.code, what).toBe('MALFORMED')
      expect(err.message, what).toMatch(/storage|scores message/)
    }
  })

  it('refuses a message over its cap with MALFORMED before reading it', () => {
    const uids = Array.from({ length: 4096 }, (_, i) => i)
    const big = encode({ ...base, uids, scores: uids.map(() => 65535), storage: { uids, bytes: uids.map(() => 2 ** 40), passes: uids, trials: uids } })
    expect(big.length).toBeGreaterThan(MAX_SCORES_BYTES)
    const err = refusal(big)
    expect(err.code).toBe('MALFORMED')
    expect(err.message).toContain(`limit is ${MAX_SCORES_BYTES}`)
  })

  it('leaves the storage report out rather than send a message over the cap', () => {
    const uids = Array.from({ length: 4096 }, (_, i) => i)
    const m = { netuid: 1, round: 1, uids, scores: uids.map(() => 65535), storage: { uids, bytes: uids.map(() => 2 ** 40), passes: uids, trials: uids } }
    const bytes = encodeScores(m)
    expect(bytes.length).toBeLessThanOrEqual(MAX_SCORES_BYTES)
    const { storage: _dropped, ...scores } = m
    expect(decodeScores(bytes)).toStrictEqual(scores)
  })
})
