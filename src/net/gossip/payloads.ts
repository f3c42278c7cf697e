/**
 * What each topic's payload must be. Transactions and headers are checked completely here
 * (canonical encoding, fields, signature for this chain; headers also by this network's
 * producer, and a header older than the time window is ignored, so that old headers re-wrapped in
 * fresh envelopes are not spread again). A subnet's results and scores are opaque bytes under a size cap until the subnet
 * plugs in its own check (`SubnetPayloadValidator`).
 */
import { decodeSignedHeader, verifyHeaderSignature, type SignedHeader } from '../../core/block.ts'
import { equalBytes } from '../../core/hash.ts'
import type { SignatureVerifier } from '../../core/keys.ts'
import { decodeTx, verifyTx, type SignedTx } from '../../core/tx.ts'
import { MESSAGE_TIME_WINDOW_MS } from './constants.ts'
import { GossipValidationError } from './errors.ts'
import type { SubnetTopic, SubnetTopicKind, TopicKind } from './topics.ts'

/** The decoded payload each kind of topic delivers: a transaction, a header, or a subnet's bytes. */
export type PayloadOf<K extends TopicKind> = K extends 'tx' ? SignedTx : K extends 'headers' ? SignedHeader : Uint8Array

/**
 * A subnet's check of a result or score payload. Throw (any error; its message is kept) when the
 * payload is invalid — the sender is scored down; return 'ignore' when it is not invalid but not
 * wanted (a task this node does not know), so nobody is blamed.
 */
export type SubnetPayloadValidator = (payload: Uint8Array, context: { topic: SubnetTopic, from: Uint8Array }) => void | 'ignore'

export interface PayloadContext {
  chainId: Uint8Array
  /** The network's block producer. */
  producer: Uint8Array
  verifier?: SignatureVerifier
  /** The subnet check plugged in for this topic, if any. */
  subnetCheck?: SubnetPayloadValidator
  from: Uint8Array
  /** The receiver's clock, in milliseconds since the epoch. */
  now: number
}

function bad (what: string, err: unknown): GossipValidationError {
  return new GossipValidationError('BAD_PAYLOAD', `The ${what} in this gossip message is invalid: ${(err as Error).message}`)
}

function checkTx (payload: Uint8Array, ctx: PayloadContext): SignedTx {
  try {
    const tx = decodeTx(payload)
    verifyTx(tx, ctx.chainId, ctx.verifier)
    return tx
  } catch (err) {
    throw bad('transaction', err)
  }
}

function checkHeader (payload: Uint8Array, ctx: PayloadContext): SignedHeader {
  let signed: SignedHeader
  try {
    signed = decodeSignedHeader(payload)
  } catch (err) {
    throw bad('block header', err)
  }
  if (!equalBytes(signed.header.producer, ctx.producer)) {
    throw new GossipValidationError('BAD_PAYLOAD', `Block ${signed.header.height} in this gossip message was not produced by this network's producer.`)
  }
  if (!verifyHeaderSignature(signed, ctx.chainId, ctx.verifier)) {
    throw new GossipValidationError('BAD_PAYLOAD', `Block ${signed.header.height} in this gossip message has a bad producer signature for this chain.`)
  }
  if (signed.header.time < ctx.now - MESSAGE_TIME_WINDOW_MS) {
    throw new GossipValidationError('STALE', `Block ${signed.header.height} is ${Math.round((ctx.now - signed.header.time) / 1000)} s old; only new headers are gossiped.`)
  }
  return signed
}

function checkSubnet (kind: SubnetTopic, payload: Uint8Array, ctx: PayloadContext): Uint8Array {
  if (ctx.subnetCheck === undefined) return payload
  let verdict: void | 'ignore'
  try {
    verdict = ctx.subnetCheck(payload, { topic: kind, from: ctx.from })
  } catch (err) {
    throw bad(`subnet ${kind.netuid} ${kind.kind satisfies SubnetTopicKind}`, err)
  }
  if (verdict === 'ignore') {
    throw new GossipValidationError('UNWANTED', `Subnet ${kind.netuid} does not want this ${kind.kind.replace(/s$/, '')}.`)
  }
  return payload
}

/** Checks `payload` for the topic `kind`; returns its decoded value or throws GossipValidationError. */
export function checkPayload<K extends TopicKind> (kind: K, payload: Uint8Array, ctx: PayloadContext): PayloadOf<K> {
  if (kind === 'tx') return checkTx(payload, ctx) as PayloadOf<K>
  if (kind === 'headers') return checkHeader(payload, ctx) as PayloadOf<K>
  return checkSubnet(kind as SubnetTopic, payload, ctx) as PayloadOf<K>
}
