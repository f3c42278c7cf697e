/**
 * The gossip envelope: every application message is the canonical CBOR map
 *
 *   {body: {topic, from, seq, time, payload}, sig}
 *
 * `topic` is the full topic name the message is for, `from` the signer's 32-byte ed25519 key (a
 * tab's hotkey, which is also its libp2p identity; the relay's libp2p key), `seq` a number the
 * sender never repeats (its clock in milliseconds, or one more than its last number if that is
 * larger, so it keeps growing across restarts), `time` the sender's clock in milliseconds, and
 * `payload` the topic's bytes. `sig` signs the canonical encoding of `body` under the `gossip`
 * domain and the chain id, so a message cannot move to another topic, kind of message or chain.
 */
import { decode, encode, readBytes, readString, readUint, record } from '../../core/codec.ts'
import { DecodeError } from '../../core/errors.ts'
import { PUBLIC_KEY_BYTES, SIGNATURE_BYTES, sign, verify, type Keypair, type SignatureVerifier } from '../../core/keys.ts'
import { ENVELOPE_OVERHEAD_BYTES, MAX_TOPIC_LENGTH } from './constants.ts'
import { GossipValidationError } from './errors.ts'

export interface EnvelopeBody {
  topic: string
  from: Uint8Array
  seq: number
  time: number
  payload: Uint8Array
}

export interface Envelope {
  readonly body: EnvelopeBody
  readonly sig: Uint8Array
  /** The canonical bytes of `{body, sig}`: what goes on the wire. */
  readonly bytes: Uint8Array
}

/** Largest envelope carrying a payload of at most `payloadCap` bytes. */
export function envelopeCap (payloadCap: number): number {
  return payloadCap + ENVELOPE_OVERHEAD_BYTES
}

export function signEnvelope (body: EnvelopeBody, key: Keypair, chainId: Uint8Array): Envelope {
  const sig = sign(key, 'gossip', chainId, encode(body))
  return { body, sig, bytes: encode({ body, sig }) }
}

/** Whether `envelope` is signed by `envelope.body.from` for this chain. */
export function verifyEnvelope (envelope: Envelope, chainId: Uint8Array, verifier?: SignatureVerifier): boolean {
  return verify(envelope.sig, 'gossip', chainId, encode(envelope.body), envelope.body.from, verifier)
}

/** Decodes an envelope of at most `maxBytes` (signature not yet checked); throws GossipValidationError. */
export function decodeEnvelope (bytes: Uint8Array, maxBytes: number): Envelope {
  if (bytes.length > maxBytes) {
    throw new GossipValidationError('TOO_LARGE', `The gossip message is ${bytes.length} bytes; this topic's limit is ${maxBytes}.`)
  }
  try {
    const outer = record(decode(bytes, maxBytes, 'gossip message'), ['body', 'sig'], 'gossip message')
    const f = record(outer.body, ['topic', 'from', 'seq', 'time', 'payload'], 'gossip message body')
    const body: EnvelopeBody = {
      topic: readString(f.topic, 'topic', MAX_TOPIC_LENGTH),
      from: readBytes(f.from, 'from', PUBLIC_KEY_BYTES),
      seq: readUint(f.seq, 'seq', Number.MAX_SAFE_INTEGER),
      time: readUint(f.time, 'time', Number.MAX_SAFE_INTEGER),
      payload: readBytes(f.payload, 'payload')
    }
    return { body, sig: readBytes(outer.sig, 'sig', SIGNATURE_BYTES), bytes }
  } catch (err) {
    if (!(err instanceof DecodeError)) throw err
    throw new GossipValidationError(err.code === 'NON_CANONICAL' ? 'NON_CANONICAL' : err.code === 'TOO_LARGE' ? 'TOO_LARGE' : 'MALFORMED', err.message)
  }
}
