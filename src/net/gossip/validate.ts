/**
 * The checks a received gossip message goes through before it is delivered or forwarded, cheapest
 * first, and in an order that never lets a forgery pass as an innocent duplicate: size, encoding,
 * chain and topic, signer, signature, time window, replay, payload. A message that passes is
 * recorded in the replay guard; one that fails throws a GossipValidationError whose code says why
 * and whether gossipsub rejects it (the delivering peer is scored down) or ignores it.
 */
import { toHex, equalBytes } from '../../core/hash.ts'
import type { SignatureVerifier } from '../../core/keys.ts'
import { MESSAGE_TIME_WINDOW_MS } from './constants.ts'
import { decodeEnvelope, envelopeCap, verifyEnvelope, type Envelope } from './envelope.ts'
import { GossipValidationError } from './errors.ts'
import { checkPayload, type PayloadOf, type SubnetPayloadValidator } from './payloads.ts'
import type { ReplayGuard } from './replay.ts'
import { chainTopicPrefix, parseTopic, payloadCap, type SubnetTopic, type TopicKind } from './topics.ts'

export interface ValidatorContext {
  chainId: Uint8Array
  /** The network's block producer: headers must be signed by it. */
  producer: Uint8Array
  replay: ReplayGuard
  now: () => number
  verifier?: SignatureVerifier
  /** The subnet check plugged in for a results or scores topic, if any. */
  subnetCheck?: (topic: SubnetTopic) => SubnetPayloadValidator | undefined
}

/** A gossip message as it arrived: the topic it came on, its author's ed25519 key (absent if unsigned), its bytes. */
export interface ReceivedMessage {
  topic: string
  author: Uint8Array | undefined
  data: Uint8Array
}

export interface CheckedMessage<K extends TopicKind = TopicKind> {
  kind: K
  envelope: Envelope
  value: PayloadOf<K>
}

/** Checks a received message; returns it decoded or throws GossipValidationError. */
export function checkMessage (ctx: ValidatorContext, message: ReceivedMessage): CheckedMessage {
  const ours = chainTopicPrefix(ctx.chainId)
  const arrivedOn = parseTopic(message.topic)
  if (arrivedOn === undefined || arrivedOn.chainPrefix !== ours) {
    throw new GossipValidationError('WRONG_TOPIC', `"${message.topic}" is not a gossip topic of this network.`)
  }
  const kind = arrivedOn.kind
  if (message.author === undefined) {
    throw new GossipValidationError('UNSIGNED', 'The gossip message names no author; only signed messages are accepted.')
  }
  const cap = payloadCap(kind)
  const envelope = decodeEnvelope(message.data, envelopeCap(cap))
  const { body } = envelope
  const claimed = parseTopic(body.topic)
  if (claimed !== undefined && claimed.chainPrefix !== ours) {
    throw new GossipValidationError('WRONG_CHAIN', `The gossip message was made for another network (${claimed.chainPrefix}, not ${ours}).`)
  }
  if (body.topic !== message.topic) {
    throw new GossipValidationError('WRONG_TOPIC', `The gossip message was made for "${body.topic}" but arrived on "${message.topic}".`)
  }
  if (!equalBytes(body.from, message.author)) {
    throw new GossipValidationError('WRONG_SIGNER', 'The gossip message is signed by another key than the peer that published it.')
  }
  if (body.payload.length > cap) {
    throw new GossipValidationError('TOO_LARGE', `The gossip payload is ${body.payload.length} bytes; this topic's limit is ${cap}.`)
  }
  if (!verifyEnvelope(envelope, ctx.chainId, ctx.verifier)) {
    throw new GossipValidationError('BAD_SIGNATURE', 'The gossip message\'s signature does not verify for its sender on this network.')
  }
  const now = ctx.now()
  if (body.time < now - MESSAGE_TIME_WINDOW_MS) {
    throw new GossipValidationError('STALE', `The gossip message is ${Math.round((now - body.time) / 1000)} s old; messages older than ${MESSAGE_TIME_WINDOW_MS / 1000} s are dropped.`)
  }
  if (body.time > now + MESSAGE_TIME_WINDOW_MS) {
    throw new GossipValidationError('FUTURE', `The gossip message is dated ${Math.round((body.time - now) / 1000)} s ahead of this clock; check the sender's clock.`)
  }
  const sender = toHex(body.from)
  const seen = ctx.replay.check(sender, body.seq)
  if (seen === 'duplicate') {
    throw new GossipValidationError('DUPLICATE', `Message ${body.seq} of this sender was already delivered.`)
  }
  if (seen === 'replayed') {
    throw new GossipValidationError('REPLAYED', `Message ${body.seq} of this sender is older than every recent one: an old message sent again.`)
  }
  const subnetCheck = typeof kind === 'string' ? undefined : ctx.subnetCheck?.(kind)
  const value = checkPayload(kind, body.payload, { chainId: ctx.chainId, producer: ctx.producer, verifier: ctx.verifier, subnetCheck, from: body.from, now })
  ctx.replay.record(sender, body.seq)
  return { kind, envelope, value }
}
