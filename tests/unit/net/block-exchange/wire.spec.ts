import fc from 'fast-check'
import { CID } from 'multiformats/cid'
import * as raw from 'multiformats/codecs/raw'
import { identity } from 'multiformats/hashes/identity'
import { describe, expect, it } from 'vitest'
import { encode } from '../../../../src/core/codec.ts'
import { chunkCid } from '../../../../src/net/block-exchange/bundle.ts'
import { MAX_HAVE_PER_REQUEST, MAX_WANT_PER_REQUEST } from '../../../../src/net/block-exchange/constants.ts'
import { PeerMisbehaviourError } from '../../../../src/net/block-exchange/errors.ts'
import { answerFrame, decodeAnswer, decodeHave, decodeRequest, encodeHave, encodeRequest, Status } from '../../../../src/net/block-exchange/wire.ts'

const cids = await Promise.all(Array.from({ length: 3 }, async (_, i) => await chunkCid(Uint8Array.of(i))))

function violation (fn: () => unknown): PeerMisbehaviourError {
  try {
    fn()
  } catch (err) {
    expect(err).toBeInstanceOf(PeerMisbehaviourError)
    return err as PeerMisbehaviourError
  }
  throw new Error('expected a PeerMisbehaviourError')
}

describe('block protocol frames', () => {
  it('encode and decode have and want requests', () => {
    for (const kind of ['have', 'want'] as const) {
      const decoded = decodeRequest(encodeRequest({ kind, cids }))
      expect(decoded.kind).toBe(kind)
      expect(decoded.cids.map(String)).toEqual(cids.map(String))
    }
  })

  it.each([
    ['garbage bytes', Uint8Array.of(0xde, 0xad, 0xbe, 0xef), /malformed/],
    ['a request that is not a map', encode([1, 2]), /must be a map/],
    ['an unknown kind', encode({ kind: 'give', cids: [] }), /must be "have" or "want"/],
    ['an extra field', encode({ kind: 'have', cids: [], more: 1 }), /unknown field/],
    ['a CID that is bytes, not a link', encode({ kind: 'have', cids: [new Uint8Array(36)] }), /not a SHA-256 CIDv1/],
    ['an identity-hash CID', encode({ kind: 'want', cids: [CID.createV1(raw.code, identity.digest(Uint8Array.of(1)))] }), /not a SHA-256 CIDv1/],
    ['too many wanted blocks', encode({ kind: 'want', cids: Array(MAX_WANT_PER_REQUEST + 1).fill(cids[0]) }), /at most 8 items/],
    ['too many have questions', encode({ kind: 'have', cids: Array(MAX_HAVE_PER_REQUEST + 1).fill(cids[0]) }), /at most 1024 items/]
  ])('refuse %s as a protocol violation', (_what, bytes, message) => {
    const err = violation(() => decodeRequest(bytes))
    expect(err.code).toBe('PROTOCOL_VIOLATION')
    expect(err.message).toMatch(message)
  })

  it('refuse a non-canonical request (map keys out of order)', () => {
    const canonical = encodeRequest({ kind: 'have', cids: [] })
    // {cids: [], kind: 'have'} written with "kind" first: same content, other bytes.
    const swapped = Uint8Array.of(0xa2, 0x64, ...new TextEncoder().encode('kind'), 0x64, ...new TextEncoder().encode('have'), 0x64, ...new TextEncoder().encode('cids'), 0x80)
    expect(swapped).not.toEqual(canonical)
    expect(violation(() => decodeRequest(swapped)).message).toMatch(/not canonically encoded/)
  })

  it('round-trip have bitfields of any length (property)', () => {
    fc.assert(fc.property(fc.array(fc.boolean(), { maxLength: 64 }), held => {
      expect(decodeHave(encodeHave(held), held.length)).toEqual(held)
    }))
  })

  it('refuse a have bitfield of the wrong length or with bits past the count', () => {
    expect(violation(() => decodeHave(new Uint8Array(2), 3)).message).toMatch(/must be 1 bytes, not 2/)
    expect(violation(() => decodeHave(Uint8Array.of(0b1000), 3)).message).toMatch(/bits past/)
  })

  it('read answer frames and refuse an empty one or an unknown status', () => {
    expect(decodeAnswer(answerFrame(Status.BLOCK, Uint8Array.of(7, 8)))).toEqual({ status: Status.BLOCK, body: Uint8Array.of(7, 8) })
    expect(decodeAnswer(answerFrame(Status.NOT_HELD))).toEqual({ status: Status.NOT_HELD, body: new Uint8Array() })
    expect(violation(() => decodeAnswer(new Uint8Array())).message).toMatch(/empty/)
    expect(violation(() => decodeAnswer(Uint8Array.of(9))).message).toMatch(/unknown status 9/)
  })
})
