/**
 * Peer discovery over libp2p, the same code in a tab and in the relay. Tabs announce their relay
 * addresses on `PEERS_TOPIC` (gossipsub signs each message with the sender's key, and the topic
 * validator rejects records for any other peer) and repeat them every `ANNOUNCE_INTERVAL_MS`.
 * Everyone subscribed keeps what it hears in a `PeerBook`. The relay also answers peer exchanges
 * from its book, so a tab that has just joined learns the network at once instead of after the
 * next round of announcements, and a relay that peers with other relays hears their tabs too.
 */
import { TopicValidatorResult, type GossipSub, type Message } from '@libp2p/gossipsub'
import { TypedEventEmitter, type Connection, type Libp2p, type PeerId, type Stream } from '@libp2p/interface'
import type { Multiaddr } from '@multiformats/multiaddr'
import { announceableAddrs } from '../addresses.ts'
import { ANNOUNCE_INTERVAL_MS, MAX_EXCHANGED_PEERS, PEERS_TOPIC, PEER_EXCHANGE_PROTOCOL, PEER_EXCHANGE_TIMEOUT_MS } from './constants.ts'
import { answerPeerExchange, requestPeerExchange } from './peer-exchange.ts'
import { PeerBook } from './peer-book.ts'
import { decodePeerRecord, encodePeerRecord, type PeerRecord } from './record.ts'

export { PEERS_TOPIC, PEER_EXCHANGE_PROTOCOL } from './constants.ts'
export { PeerBook, type KnownPeer } from './peer-book.ts'
export type { PeerRecord } from './record.ts'

export interface PeerDiscoveryInit {
  /** Whether this node announces its own relay addresses (tabs do; relays have none). */
  announce: boolean
  /** Whether this node answers peer exchanges from its book (relays do). */
  serve: boolean
  now?: () => number
}

export interface PeerDiscoveryEvents {
  /** A peer not known before (or whose record had expired) announced itself. */
  peer: CustomEvent<PeerRecord>
}

export class PeerDiscovery extends TypedEventEmitter<PeerDiscoveryEvents> {
  readonly book = new PeerBook()
  readonly #node: Libp2p<{ pubsub: GossipSub }>
  readonly #init: PeerDiscoveryInit
  readonly #now: () => number
  #announced = ''
  #announcedAt = 0

  constructor (node: Libp2p<{ pubsub: GossipSub }>, init: PeerDiscoveryInit) {
    super()
    this.#node = node
    this.#init = init
    this.#now = init.now ?? Date.now
  }

  async start (): Promise<void> {
    const pubsub = this.#node.services.pubsub
    pubsub.topicValidators.set(PEERS_TOPIC, (_from, message) => this.#validate(message))
    pubsub.addEventListener('message', this.#onMessage)
    pubsub.subscribe(PEERS_TOPIC)
    this.#node.addEventListener('peer:disconnect', this.#onDisconnect)
    if (this.#init.serve) {
      await this.#node.handle(PEER_EXCHANGE_PROTOCOL, this.#onExchange, { runOnLimitedConnection: false })
    }
  }

  async stop (): Promise<void> {
    const pubsub = this.#node.services.pubsub
    pubsub.removeEventListener('message', this.#onMessage)
    pubsub.topicValidators.delete(PEERS_TOPIC)
    this.#node.removeEventListener('peer:disconnect', this.#onDisconnect)
    if (this.#init.serve) await this.#node.unhandle(PEER_EXCHANGE_PROTOCOL)
  }

  /** This node's relay addresses that other tabs can dial, WebRTC first. */
  ownAddrs (): Multiaddr[] {
    return announceableAddrs(this.#node.getMultiaddrs(), this.#node.peerId.toString())
  }

  /**
   * Announces this node's addresses when they changed or the last announcement is due for
   * repeating; an announcement nobody received (no gossip peer yet) is retried next time.
   */
  async maybeAnnounce (): Promise<void> {
    if (!this.#init.announce) return
    const addrs = this.ownAddrs()
    const key = addrs.map(ma => ma.toString()).join(' ')
    const now = this.#now()
    if (addrs.length === 0 || (key === this.#announced && now - this.#announcedAt < ANNOUNCE_INTERVAL_MS)) return
    const result = await this.#node.services.pubsub.publish(PEERS_TOPIC, encodePeerRecord(addrs))
    if (result.recipients.length === 0) return
    this.#announced = key
    this.#announcedAt = now
  }

  /** Forces the next `maybeAnnounce` to publish (after a relay came back, say). */
  reannounce (): void {
    this.#announced = ''
  }

  /** Asks the peer on `connection` (a relay) for the peers it knows and adds them to the book. */
  async exchange (connection: Connection): Promise<number> {
    const records = await requestPeerExchange(connection, { signal: AbortSignal.timeout(PEER_EXCHANGE_TIMEOUT_MS) })
    const self = this.#node.peerId.toString()
    let added = 0
    for (const record of records) {
      if (record.peerId === self) continue
      added++
      if (this.book.add(record, this.#now())) this.safeDispatchEvent('peer', { detail: record })
    }
    return added
  }

  #validate (message: Message): TopicValidatorResult {
    if (message.type !== 'signed') return TopicValidatorResult.Reject
    try {
      decodePeerRecord(message.data, message.from.toString())
      return TopicValidatorResult.Accept
    } catch {
      return TopicValidatorResult.Reject
    }
  }

  readonly #onMessage = (event: CustomEvent<Message>): void => {
    const message = event.detail
    if (message.topic !== PEERS_TOPIC || message.type !== 'signed') return
    if (message.from.equals(this.#node.peerId)) return
    const record = decodePeerRecord(message.data, message.from.toString())
    if (this.book.add(record, this.#now())) this.safeDispatchEvent('peer', { detail: record })
  }

  /** A relay forgets a tab that left it at once rather than after the TTL; tabs keep theirs (the peer may be reachable via another path). */
  readonly #onDisconnect = (event: CustomEvent<PeerId>): void => {
    if (this.#init.serve) this.book.remove(event.detail.toString())
  }

  readonly #onExchange = (stream: Stream): void => {
    answerPeerExchange(stream, () => this.book.sample(MAX_EXCHANGED_PEERS, this.#now()), { signal: AbortSignal.timeout(PEER_EXCHANGE_TIMEOUT_MS) })
      .catch(err => { stream.abort(err as Error) })
  }
}
