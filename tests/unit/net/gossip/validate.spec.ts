import { afterAll, describe, expect, it } from 'vitest'
import { toHex, utf8ToBytes } from '../../../../src/core/hash.ts'
import { MAX_RESULTS_PAYLOAD_BYTES, MESSAGE_TIME_WINDOW_MS, SEQ_WINDOW } from '../../../../src/net/gossip/constants.ts'
import { GOSSIP_VERDICTS, GossipValidationError, type GossipRejectionCode } from '../../../../src/net/gossip/errors.ts'
import { ReplayGuard } from '../../../../src/net/gossip/replay.ts'
import { topicName } from '../../../../src/net/gossip/topics.ts'
import { checkMessage, type ReceivedMessage, type ValidatorContext } from '../../../../src/net/gossip/validate.ts'
import { alice, bob, chainId, context, header, headerBytes, message, NOW, otherChainId, txBytes } from './fixture.ts'

const seen = new Set<GossipRejectionCode>()

/** Checks `m` and returns why it was refused; records the code so the suite can check that every one was met. */
function refusal (m: ReceivedMessage, ctx: ValidatorContext = context()): GossipValidationError {
  try {
    checkMessage(ctx, m)
  } catch (err) {
    expect(err).toBeInstanceOf(GossipValidationError)
    const e = err as GossipValidationError
    expect(e.verdict).toBe(GOSSIP_VERDICTS[e.code])
    expect(e.message).toMatch(/^[A-Z"].*[.)]$/)
    seen.add(e.code)
    return e
  }
  throw new Error('expected the message to be refused')
}

describe('the gossip topic validator', () => {
  afterAll(() => {
    // Every reason a message can be refused for has a test of its own below.
    expect([...seen].sort()).toEqual(Object.keys(GOSSIP_VERDICTS).sort())
  })

  it('accepts a signed transaction, a producer\'s header and a subnet\'s result, decoded', () => {
    const ctx = context()
    const tx = checkMessage(ctx, message({ kind: 'tx', payload: txBytes() }))
    expect(tx.kind).toBe('tx')
    expect((tx.value as { body: { kind: string } }).body.kind).toBe('transfer')
    const header = checkMessage(ctx, message({ kind: 'headers', payload: headerBytes(), seq: 2 }))
    expect((header.value as { header: { height: number } }).header.height).toBe(1)
    const result = checkMessage(ctx, message({ payload: utf8ToBytes('fold: LRUD'), seq: 3 }))
    expect(result.value).toEqual(utf8ToBytes('fold: LRUD'))
    expect(result.envelope.body.from).toEqual(alice.publicKey)
  })

  it('rejects a message over its topic\'s cap (TOO_LARGE), whether the envelope or the payload is too big', () => {
    const m = message()
    expect(refusal({ ...m, data: new Uint8Array(MAX_RESULTS_PAYLOAD_BYTES + 1000) }).code).toBe('TOO_LARGE')
    expect(refusal(message({ payload: new Uint8Array(MAX_RESULTS_PAYLOAD_BYTES + 1) })).message).toMatch(/payload is 32769 bytes; this topic's limit is 32768/)
    expect(refusal(message({ kind: 'headers', payload: new Uint8Array(600) })).code).toBe('TOO_LARGE')
  })

  it('rejects bytes that are not an envelope (MALFORMED) or not canonical (NON_CANONICAL)', () => {
    const m = message({ seq: 5 })
    expect(refusal({ ...m, data: utf8ToBytes('hello, mesh') }).code).toBe('MALFORMED')
    const at = Buffer.from(m.data).indexOf(Buffer.from([0x63, 0x73, 0x65, 0x71, 0x05])) + 4
    expect(refusal({ ...m, data: new Uint8Array([...m.data.subarray(0, at), 0x18, ...m.data.subarray(at)]) }).code).toBe('NON_CANONICAL')
  })

  it('rejects a message without an author (UNSIGNED)', () => {
    expect(refusal(message({ author: null })).code).toBe('UNSIGNED')
  })

  it('rejects an envelope made for another network (WRONG_CHAIN)', () => {
    const foreign = topicName(otherChainId, { kind: 'results', netuid: 1 })
    const err = refusal(message({ bodyTopic: foreign, signChain: otherChainId }))
    expect(err.code).toBe('WRONG_CHAIN')
    expect(err.message).toContain(`tabtensor/${toHex(otherChainId).slice(0, 8)}`)
  })

  it('rejects an envelope replayed onto another topic (WRONG_TOPIC)', () => {
    const err = refusal(message({ bodyTopic: topicName(chainId, { kind: 'results', netuid: 2 }) }))
    expect(err.code).toBe('WRONG_TOPIC')
    expect(refusal(message({ arrivesOn: 'tabtensor/peers/1' })).code).toBe('WRONG_TOPIC')
  })

  it('rejects an envelope signed by another key than the publishing peer (WRONG_SIGNER)', () => {
    expect(refusal(message({ author: bob })).code).toBe('WRONG_SIGNER')
  })

  it('rejects a bad signature, and one made for another chain under this chain\'s topic (BAD_SIGNATURE)', () => {
    const m = message()
    const data = new Uint8Array(m.data)
    data[data.length - 1]! ^= 1
    expect(refusal({ ...m, data }).code).toBe('BAD_SIGNATURE')
    expect(refusal(message({ signChain: otherChainId })).code).toBe('BAD_SIGNATURE')
  })

  it('ignores messages dated outside the window (STALE, FUTURE), without blame', () => {
    const stale = refusal(message({ time: NOW - MESSAGE_TIME_WINDOW_MS - 1 }))
    expect([stale.code, stale.verdict]).toEqual(['STALE', 'ignore'])
    const future = refusal(message({ time: NOW + MESSAGE_TIME_WINDOW_MS + 1 }))
    expect([future.code, future.verdict]).toEqual(['FUTURE', 'ignore'])
    expect(() => checkMessage(context(), message({ time: NOW - MESSAGE_TIME_WINDOW_MS }))).not.toThrow()
  })

  it('ignores an old header in a fresh envelope (STALE), so it is not spread again', () => {
    const old = headerBytes(undefined, undefined, { ...header(), time: NOW - MESSAGE_TIME_WINDOW_MS - 1 })
    const err = refusal(message({ kind: 'headers', payload: old }))
    expect([err.code, err.verdict]).toEqual(['STALE', 'ignore'])
    expect(err.message).toMatch(/only new headers are gossiped/)
  })

  it('ignores a second copy of a message (DUPLICATE) and rejects an old one sent again (REPLAYED)', () => {
    const ctx = context({ replay: new ReplayGuard() })
    const first = message({ seq: 100 })
    checkMessage(ctx, first)
    const dup = refusal(first, ctx)
    expect([dup.code, dup.verdict]).toEqual(['DUPLICATE', 'ignore'])
    // A different envelope under the same number is a duplicate too: it is not delivered twice.
    expect(refusal(message({ seq: 100, payload: utf8ToBytes('other') }), ctx).code).toBe('DUPLICATE')
    for (let seq = 101; seq <= 100 + SEQ_WINDOW; seq++) checkMessage(ctx, message({ seq }))
    const replay = refusal(first, ctx)
    expect([replay.code, replay.verdict]).toEqual(['REPLAYED', 'reject'])
    // Another sender's numbers are its own.
    expect(() => checkMessage(ctx, message({ key: bob, seq: 100 }))).not.toThrow()
  })

  it('accepts messages that arrive slightly out of order', () => {
    const ctx = context()
    for (const seq of [5, 9, 7, 6, 8]) expect(() => checkMessage(ctx, message({ seq }))).not.toThrow()
  })

  it('rejects a transaction or header that does not verify, and what a subnet\'s check calls invalid (BAD_PAYLOAD)', () => {
    expect(refusal(message({ kind: 'tx', payload: txBytes(alice, otherChainId) })).message).toMatch(/transaction in this gossip message is invalid/)
    expect(refusal(message({ kind: 'tx', payload: utf8ToBytes('not a tx') })).code).toBe('BAD_PAYLOAD')
    expect(refusal(message({ kind: 'headers', payload: headerBytes(bob) })).message).toMatch(/not produced by this network's producer/)
    expect(refusal(message({ kind: 'headers', payload: headerBytes(undefined, otherChainId) })).message).toMatch(/bad producer signature/)
    const ctx = context({ subnetCheck: () => () => { throw new Error('The move string has a letter other than L, R, U, D.') } })
    expect(refusal(message(), ctx).message).toMatch(/subnet 1 results .* invalid: The move string/)
  })

  it('ignores what a subnet\'s check declines without calling it invalid (UNWANTED), and records nothing', () => {
    const replay = new ReplayGuard()
    const err = refusal(message({ kind: { kind: 'scores', netuid: 4 } }), context({ replay, subnetCheck: () => () => 'ignore' }))
    expect([err.code, err.verdict]).toEqual(['UNWANTED', 'ignore'])
    expect(replay.senders).toBe(0)
  })
})
