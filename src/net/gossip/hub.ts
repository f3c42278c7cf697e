/**
 * A node's application gossip, the same object in a tab and in the relay. It joins topics,
 * registers each topic's validator with gossipsub (so nothing unchecked is forwarded), signs
 * what the node publishes in an envelope with the node's own key, hands accepted messages to the
 * handlers subscribed to their topic, and counts messages in, out, rejected and ignored.
 *
 *   const gossip = new GossipHub(libp2p, { chainId, producer, key })
 *   gossip.subscribe('headers', m => show(m.value.header.height))
 *   await gossip.publish('tx', signedTx.bytes)
 *   gossip.subscribe({ kind: 'results', netuid: 1 }, m => score(m.from, m.payload))
 *
 * The key must be the node's libp2p identity: an envelope's signer must be the gossipsub author,
 * so a penalty for a forged envelope lands on the peer that made it.
 */
import { TopicValidatorResult, type GossipSub, type Message } from '@libp2p/gossipsub'
import type { Libp2p } from '@libp2p/interface'
import { equalBytes } from '../../core/hash.ts'
import type { Keypair, SignatureVerifier } from '../../core/keys.ts'
import { signEnvelope } from './envelope.ts'
import { GossipKeyMismatchError, GossipValidationError, type GossipRejectionCode } from './errors.ts'
import { checkPayload, type PayloadOf, type SubnetPayloadValidator } from './payloads.ts'
import { ReplayGuard } from './replay.ts'
import { scoreTopic } from './scoring.ts'
import { payloadCap, topicLabel, topicName, type SubnetTopic, type TopicKind } from './topics.ts'
import { checkMessage, type CheckedMessage } from './validate.ts'

export interface GossipHubInit {
  chainId: Uint8Array
  /** The network's block producer (from the genesis): headers signed by any other key are rejected. */
  producer: Uint8Array
  /** Signs what this node publishes; must be the node's libp2p identity. */
  key: Keypair
  now?: () => number
  verifier?: SignatureVerifier
  /** Told when a handler throws; the message still reaches the other handlers. */
  onHandlerError?: (err: unknown) => void
  /** Told the verdict on every message received on a joined topic (the relay counts them for Prometheus). */
  onVerdict?: (verdict: GossipVerdictEvent) => void
}

/** The verdict on one received message: its topic's label (`tx`, `subnet/1/results`), and why it was not accepted. */
export interface GossipVerdictEvent {
  topic: string
  result: 'accepted' | 'rejected' | 'ignored'
  reason?: GossipRejectionCode
}

/** An accepted message, as handlers receive it. */
export interface GossipMessage<K extends TopicKind = TopicKind> {
  topic: K
  /** The sender's ed25519 key: a tab's hotkey, or a relay's libp2p key. */
  from: Uint8Array
  /** The sender's libp2p peer id. */
  peerId: string
  seq: number
  /** The sender's clock when it published, in milliseconds since the epoch. */
  time: number
  payload: Uint8Array
  /** The payload decoded: a transaction, a header, or a subnet's bytes. */
  value: PayloadOf<K>
}

export type GossipHandler<K extends TopicKind> = (message: GossipMessage<K>) => void

export interface TopicCounters {
  /** Messages accepted from other nodes. */
  in: number
  /** Messages this node published. */
  out: number
  rejected: number
  ignored: number
}

export interface GossipStats extends TopicCounters {
  /** Counters per topic, by label (`tx`, `headers`, `subnet/1/results`). */
  topics: Record<string, TopicCounters>
  /** Messages not accepted, by reason. */
  reasons: Partial<Record<GossipRejectionCode, number>>
}

interface Joined {
  kind: TopicKind
  handlers: Set<GossipHandler<never>>
}

const VERDICT_RESULT = { reject: TopicValidatorResult.Reject, ignore: TopicValidatorResult.Ignore } as const

export class GossipHub {
  readonly #pubsub: GossipSub
  readonly #init: GossipHubInit
  readonly #now: () => number
  readonly #replay = new ReplayGuard()
  readonly #joined = new Map<string, Joined>()
  readonly #subnetChecks = new Map<string, SubnetPayloadValidator>()
  readonly #counters = new Map<string, TopicCounters>()
  readonly #reasons: Partial<Record<GossipRejectionCode, number>> = {}
  // The validator and the 'message' event see the same Message object: decode once.
  readonly #checked = new WeakMap<Message, CheckedMessage>()
  #lastSeq = 0

  constructor (libp2p: Libp2p<{ pubsub: GossipSub }>, init: GossipHubInit) {
    if (!equalBytes(libp2p.peerId.publicKey?.raw ?? new Uint8Array(), init.key.publicKey)) {
      throw new GossipKeyMismatchError('The gossip key must be the node\'s libp2p identity; create the hub with the key the node was started with.')
    }
    this.#pubsub = libp2p.services.pubsub
    this.#init = init
    this.#now = init.now ?? Date.now
    this.#pubsub.addEventListener('message', this.#onMessage)
  }

  /** The full topic name of `kind` on this network. */
  topic (kind: TopicKind): string {
    return topicName(this.#init.chainId, kind)
  }

  /** Joins `kind`'s topic (receiving, validating and forwarding its messages) without a handler. */
  join (kind: TopicKind): void {
    const topic = this.topic(kind)
    if (this.#joined.has(topic)) return
    this.#joined.set(topic, { kind, handlers: new Set() })
    this.#pubsub.topicValidators.set(topic, (_from, message) => this.#validate(message))
    scoreTopic(this.#pubsub, topic)
    this.#pubsub.subscribe(topic)
  }

  leave (kind: TopicKind): void {
    const topic = this.topic(kind)
    if (!this.#joined.delete(topic)) return
    this.#pubsub.unsubscribe(topic)
    this.#pubsub.topicValidators.delete(topic)
  }

  /** Joins `kind`'s topic and calls `handler` with every accepted message; returns a function that removes the handler. */
  subscribe<K extends TopicKind> (kind: K, handler: GossipHandler<K>): () => void {
    this.join(kind)
    const handlers = this.#joined.get(this.topic(kind))!.handlers
    handlers.add(handler as GossipHandler<never>)
    return () => { handlers.delete(handler as GossipHandler<never>) }
  }

  /** Plugs a subnet's check of its result or score payloads into the topic's validator (undefined removes it). */
  setSubnetValidator (topic: SubnetTopic, validate: SubnetPayloadValidator | undefined): void {
    const name = this.topic(topic)
    if (validate === undefined) this.#subnetChecks.delete(name)
    else this.#subnetChecks.set(name, validate)
  }

  /**
   * Signs `payload` in an envelope and publishes it on `kind`'s topic (joined or not). The payload
   * is checked as receivers will check it first, so a bad one throws here instead of getting this
   * node scored down. Resolves with how many peers it was sent to.
   */
  async publish (kind: TopicKind, payload: Uint8Array): Promise<{ recipients: number }> {
    const topic = this.topic(kind)
    const cap = payloadCap(kind)
    if (payload.length > cap) throw new GossipValidationError('TOO_LARGE', `The payload is ${payload.length} bytes; the ${topicLabel(kind)} topic takes at most ${cap}.`)
    const { key, chainId, producer, verifier } = this.#init
    const time = this.#now()
    checkPayload(kind, payload, { chainId, producer, verifier, subnetCheck: this.#subnetCheck(kind), from: key.publicKey, now: time })
    this.#lastSeq = Math.max(this.#lastSeq + 1, time)
    const envelope = signEnvelope({ topic, from: key.publicKey, seq: this.#lastSeq, time, payload }, key, chainId)
    const result = await this.#pubsub.publish(topic, envelope.bytes)
    this.#count(kind).out++
    return { recipients: result.recipients.length }
  }

  stats (): GossipStats {
    const topics: Record<string, TopicCounters> = {}
    const total: TopicCounters = { in: 0, out: 0, rejected: 0, ignored: 0 }
    for (const [label, c] of this.#counters) {
      topics[label] = { ...c }
      total.in += c.in
      total.out += c.out
      total.rejected += c.rejected
      total.ignored += c.ignored
    }
    return { ...total, topics, reasons: { ...this.#reasons } }
  }

  stop (): void {
    this.#pubsub.removeEventListener('message', this.#onMessage)
    for (const { kind } of [...this.#joined.values()]) this.leave(kind)
  }

  #subnetCheck (kind: TopicKind): SubnetPayloadValidator | undefined {
    return typeof kind === 'string' ? undefined : this.#subnetChecks.get(this.topic(kind))
  }

  #count (kind: TopicKind): TopicCounters {
    const label = topicLabel(kind)
    let c = this.#counters.get(label)
    if (c === undefined) {
      c = { in: 0, out: 0, rejected: 0, ignored: 0 }
      this.#counters.set(label, c)
    }
    return c
  }

  #validate (message: Message): TopicValidatorResult {
    const joined = this.#joined.get(message.topic)
    if (joined === undefined) return TopicValidatorResult.Ignore
    try {
      const checked = checkMessage({
        chainId: this.#init.chainId,
        producer: this.#init.producer,
        replay: this.#replay,
        now: this.#now,
        verifier: this.#init.verifier,
        subnetCheck: topic => this.#subnetCheck(topic)
      }, {
        topic: message.topic,
        author: message.type === 'signed' && message.key.type === 'Ed25519' ? message.key.raw : undefined,
        data: message.data
      })
      this.#checked.set(message, checked)
      this.#init.onVerdict?.({ topic: topicLabel(joined.kind), result: 'accepted' })
      return TopicValidatorResult.Accept
    } catch (err) {
      if (!(err instanceof GossipValidationError)) throw err
      const c = this.#count(joined.kind)
      if (err.verdict === 'reject') c.rejected++
      else c.ignored++
      this.#reasons[err.code] = (this.#reasons[err.code] ?? 0) + 1
      this.#init.onVerdict?.({ topic: topicLabel(joined.kind), result: err.verdict === 'reject' ? 'rejected' : 'ignored', reason: err.code })
      return VERDICT_RESULT[err.verdict]
    }
  }

  readonly #onMessage = (event: CustomEvent<Message>): void => {
    const message = event.detail
    const joined = this.#joined.get(message.topic)
    const checked = this.#checked.get(message)
    if (joined === undefined || checked === undefined || message.type !== 'signed') return
    this.#count(joined.kind).in++
    const { body } = checked.envelope
    const delivered: GossipMessage = {
      topic: joined.kind, from: body.from, peerId: message.from.toString(), seq: body.seq, time: body.time, payload: body.payload, value: checked.value
    }
    for (const handler of joined.handlers) {
      // One failing handler must not keep the message from the others, nor break gossipsub's dispatch.
      try {
        (handler as GossipHandler<TopicKind>)(delivered)
      } catch (err) {
        this.#init.onHandlerError?.(err)
      }
    }
  }
}
