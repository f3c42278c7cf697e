/**
 * Provider announcements on gossip (the record and the book are in `providers.ts`). A tab
 * announces the bundles it holds when that set changes and every `PROVIDER_ANNOUNCE_INTERVAL_MS`;
 * every node on the topic (tabs, and relays, which forward between tabs without a direct
 * connection) checks each announcement before it is forwarded — malformed ones are rejected and
 * cost the sender gossip score, out-of-date ones are dropped without blame — and keeps what it
 * hears in its `ProviderBook`.
 */
import { TopicValidatorResult, type GossipSub, type Message } from '@libp2p/gossipsub'
import type { Libp2p } from '@libp2p/interface'
import type { CID } from 'multiformats/cid'
import { PROVIDER_ANNOUNCE_INTERVAL_MS, PROVIDERS_TOPIC } from './constants.ts'
import { InvalidAnnouncementError } from './errors.ts'
import { decodeProviderRecord, encodeProviderRecord, ProviderBook, type ProviderRecord } from './providers.ts'

export interface ProviderAnnouncementsInit {
  /** The bundles this node holds, most recent first; a node without it (a relay) only listens and forwards. */
  held?: () => readonly CID[]
  now?: () => number
}

export class ProviderAnnouncements {
  readonly book = new ProviderBook()
  readonly #node: Libp2p<{ pubsub: GossipSub }>
  readonly #held: (() => readonly CID[]) | undefined
  readonly #now: () => number
  // The validator and the 'message' event see the same Message object: decode once.
  readonly #decoded = new WeakMap<Message, ProviderRecord>()
  #announced = ''
  #announcedAt = 0

  constructor (node: Libp2p<{ pubsub: GossipSub }>, init: ProviderAnnouncementsInit = {}) {
    this.#node = node
    this.#held = init.held
    this.#now = init.now ?? Date.now
  }

  start (): void {
    const pubsub = this.#node.services.pubsub
    pubsub.topicValidators.set(PROVIDERS_TOPIC, (_from, message) => this.#validate(message))
    pubsub.addEventListener('message', this.#onMessage)
    pubsub.subscribe(PROVIDERS_TOPIC)
  }

  stop (): void {
    const pubsub = this.#node.services.pubsub
    pubsub.removeEventListener('message', this.#onMessage)
    pubsub.unsubscribe(PROVIDERS_TOPIC)
    pubsub.topicValidators.delete(PROVIDERS_TOPIC)
  }

  /** Peers that announced holding the bundle `cid`, most recent first. */
  providers (cid: CID | string): string[] {
    return this.book.providers(cid, this.#now())
  }

  /**
   * Announces the bundles this node holds when they changed or the last announcement is due for
   * repeating; one nobody received (no gossip peer yet) is retried next time.
   */
  async maybeAnnounce (): Promise<void> {
    const held = this.#held?.() ?? []
    const key = held.map(cid => cid.toString()).join(' ')
    const now = this.#now()
    if (held.length === 0 || (key === this.#announced && now - this.#announcedAt < PROVIDER_ANNOUNCE_INTERVAL_MS)) return
    const result = await this.#node.services.pubsub.publish(PROVIDERS_TOPIC, encodeProviderRecord(held, now))
    if (result.recipients.length === 0) return
    this.#announced = key
    this.#announcedAt = now
  }

  #validate (message: Message): TopicValidatorResult {
    if (message.type !== 'signed') return TopicValidatorResult.Reject
    try {
      this.#decoded.set(message, decodeProviderRecord(message.data, this.#now()))
      return TopicValidatorResult.Accept
    } catch (err) {
      if (err instanceof InvalidAnnouncementError && err.code === 'STALE_ANNOUNCEMENT') return TopicValidatorResult.Ignore
      return TopicValidatorResult.Reject
    }
  }

  readonly #onMessage = (event: CustomEvent<Message>): void => {
    const message = event.detail
    const announcement = this.#decoded.get(message)
    if (message.topic !== PROVIDERS_TOPIC || message.type !== 'signed' || announcement === undefined) return
    if (message.from.equals(this.#node.peerId)) return
    this.book.add(message.from.toString(), announcement)
  }
}
