import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { encode } from '../../../../src/core/codec.ts'
import { sign } from '../../../../src/core/keys.ts'
import { decodeEnvelope, envelopeCap, signEnvelope, verifyEnvelope, type EnvelopeBody } from '../../../../src/net/gossip/envelope.ts'
import { GossipValidationError } from '../../../../src/net/gossip/errors.ts'
import { topicName } from '../../../../src/net/gossip/topics.ts'
import { alice, bob, chainId, NOW, otherChainId } from './fixture.ts'

const body = (over: Partial<EnvelopeBody> = {}): EnvelopeBody =>
  ({ topic: topicName(chainId, 'tx'), from: alice.publicKey, seq: 7, time: NOW, payload: new Uint8Array([1, 2, 3]), ...over })

function failure (fn: () => unknown): GossipValidationError {
  try {
    fn()
  } catch (err) {
    expect(err).toBeInstanceOf(GossipValidationError)
    return err as GossipValidationError
  }
  throw new Error('expected a GossipValidationError')
}

describe('gossip envelopes', () => {
  it('round-trip through canonical CBOR and verify for their signer on their chain', () => {
    const env = signEnvelope(body(), alice, chainId)
    const back = decodeEnvelope(env.bytes, 1024)
    expect(back.body).toEqual(env.body)
    expect(back.sig).toEqual(env.sig)
    expect(verifyEnvelope(back, chainId)).toBe(true)
  })

  it('round-trips any body (property)', () => {
    fc.assert(fc.property(
      fc.string({ maxLength: 64 }), fc.nat(), fc.nat(), fc.uint8Array({ maxLength: 300 }),
      (topic, seq, time, payload) => {
        const env = signEnvelope({ topic, from: alice.publicKey, seq, time, payload }, alice, chainId)
        const back = decodeEnvelope(env.bytes, envelopeCap(300))
        expect(back.body).toEqual(env.body)
        expect(verifyEnvelope(back, chainId)).toBe(true)
      }
    ))
  })

  it('does not verify on another chain, for another signer, or when the body changed', () => {
    const env = signEnvelope(body(), alice, chainId)
    expect(verifyEnvelope(env, otherChainId)).toBe(false)
    expect(verifyEnvelope({ ...env, body: { ...env.body, from: bob.publicKey } }, chainId)).toBe(false)
    expect(verifyEnvelope({ ...env, body: { ...env.body, topic: topicName(chainId, 'headers') } }, chainId)).toBe(false)
    expect(verifyEnvelope({ ...env, body: { ...env.body, seq: 8 } }, chainId)).toBe(false)
  })

  it('does not verify a signature made for another kind of message over the same bytes', () => {
    const b = body()
    const sig = sign(alice, 'tx', chainId, encode(b))
    expect(verifyEnvelope({ body: b, sig, bytes: encode({ body: b, sig }) }, chainId)).toBe(false)
  })

  it('refuses bytes over the cap before parsing them', () => {
    const env = signEnvelope(body({ payload: new Uint8Array(500) }), alice, chainId)
    const err = failure(() => decodeEnvelope(env.bytes, 400))
    expect([err.code, err.verdict]).toEqual(['TOO_LARGE', 'reject'])
    expect(err.message).toMatch(/limit is 400/)
  })

  it('refuses garbage, missing and unknown fields as MALFORMED', () => {
    expect(failure(() => decodeEnvelope(new Uint8Array([0xff, 0x00, 0x13]), 100)).code).toBe('MALFORMED')
    const env = signEnvelope(body(), alice, chainId)
    const { seq: _seq, ...noSeq } = env.body
    expect(failure(() => decodeEnvelope(encode({ body: noSeq, sig: env.sig }), 1024)).message).toMatch(/lacks the field "seq"/)
    expect(failure(() => decodeEnvelope(encode({ body: { ...env.body, extra: 1 }, sig: env.sig }), 1024)).message).toMatch(/unknown field "extra"/)
    expect(failure(() => decodeEnvelope(encode({ body: env.body, sig: env.sig.subarray(1) }), 1024)).code).toBe('MALFORMED')
    expect(failure(() => decodeEnvelope(encode({ body: { ...env.body, topic: 'x'.repeat(65) }, sig: env.sig }), 1024)).code).toBe('MALFORMED')
  })

  it('refuses a non-canonical encoding as NON_CANONICAL', () => {
    const env = signEnvelope(body({ seq: 5 }), alice, chainId)
    // "seq" then the integer 5: written in two bytes (0x18 0x05) instead of one.
    const at = Buffer.from(env.bytes).indexOf(Buffer.from([0x63, 0x73, 0x65, 0x71, 0x05])) + 4
    const longer = new Uint8Array([...env.bytes.subarray(0, at), 0x18, ...env.bytes.subarray(at)])
    const err = failure(() => decodeEnvelope(longer, 1024))
    expect([err.code, err.verdict]).toEqual(['NON_CANONICAL', 'reject'])
  })
})
