/**
 * The peers a node has heard announce themselves, each with when it was last heard. Bounded: past
 * `MAX_KNOWN_PEERS` the least recently heard is forgotten, and a record not repeated within
 * `PEER_RECORD_TTL_MS` no longer counts.
 */
import { MAX_KNOWN_PEERS, PEER_RECORD_TTL_MS } from './constants.ts'
import type { PeerRecord } from './record.ts'

export interface KnownPeer extends PeerRecord {
  /** When the record was last heard, in milliseconds since the epoch. */
  heardAt: number
}

export class PeerBook {
  // A Map keeps insertion order; re-inserting on every hearing makes the first entry the stalest.
  readonly #peers = new Map<string, KnownPeer>()

  constructor (private readonly maxPeers = MAX_KNOWN_PEERS, private readonly ttlMs = PEER_RECORD_TTL_MS) {}

  /** Records `record` as heard at `now`; returns true when the peer was not known (or had expired). */
  add (record: PeerRecord, now: number): boolean {
    const previous = this.#peers.get(record.peerId)
    const isNew = previous === undefined || now - previous.heardAt > this.ttlMs
    this.#peers.delete(record.peerId)
    this.#peers.set(record.peerId, { ...record, heardAt: now })
    if (this.#peers.size > this.maxPeers) {
      const stalest = this.#peers.keys().next().value
      if (stalest !== undefined) this.#peers.delete(stalest)
    }
    return isNew
  }

  remove (peerId: string): void {
    this.#peers.delete(peerId)
  }

  get (peerId: string, now: number): KnownPeer | undefined {
    const peer = this.#peers.get(peerId)
    return peer !== undefined && now - peer.heardAt <= this.ttlMs ? peer : undefined
  }

  /** The peers heard within the TTL, most recently heard first; drops the expired ones. */
  current (now: number): KnownPeer[] {
    const live: KnownPeer[] = []
    for (const [id, peer] of this.#peers) {
      if (now - peer.heardAt > this.ttlMs) this.#peers.delete(id)
      else live.push(peer)
    }
    return live.reverse()
  }

  /** Up to `count` current peers picked at random (for a peer-exchange answer). */
  sample (count: number, now: number, random: () => number = Math.random): KnownPeer[] {
    const live = this.current(now)
    for (let i = live.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1))
      ;[live[i], live[j]] = [live[j]!, live[i]!]
    }
    return live.slice(0, count)
  }

  get size (): number {
    return this.#peers.size
  }
}
