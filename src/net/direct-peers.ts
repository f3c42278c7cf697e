/**
 * The tab's bounded set of direct peers. Every tick, while the tab has fewer than
 * `maxDirect` peers, it dials announced peers it is not yet connected to: first over WebRTC (the
 * relay carries only the signalling), and after `WEBRTC_ATTEMPTS_BEFORE_RELAYED` failed WebRTC
 * dials over a relayed connection, which the relay limits in time and bytes, while WebRTC keeps
 * being retried with backoff. Of two tabs that discover each other, the one with the smaller peer
 * id dials; the other waits `GLARE_DELAY_MS` first, so that their dials do not cross. Inbound
 * direct connections past twice the bound are closed, newest first, and so is a relayed
 * connection to a peer once a direct one is up (it carried the signalling; the relay's slots for
 * relayed connections are better spent on tabs that need them).
 */
import type { Connection, Libp2p } from '@libp2p/interface'
import { WebRTC } from '@multiformats/multiaddr-matcher'
import { connectionKind, type ConnectionKind } from './addresses.ts'
import { Backoff } from './backoff.ts'
import { DIAL_TIMEOUT_MS, EXTRA_PROVIDER_PEERS, GLARE_DELAY_MS, MAX_DIRECT_PEERS, WEBRTC_ATTEMPTS_BEFORE_RELAYED } from './constants.ts'
import type { KnownPeer, PeerBook } from './discovery/index.ts'

interface PeerState {
  backoff: Backoff
  webrtcFailures: number
  dialing: boolean
  firstSeen: number
}

export interface DirectPeersInit {
  maxDirect?: number
  /** Peer ids never dialed as tabs (the relays). */
  exclude?: () => readonly string[]
  /** Peer ids to dial before the others (the providers of a bundle being fetched). */
  prefer?: () => ReadonlySet<string>
  now?: () => number
}

/** How this node is connected to each peer: direct beats relayed beats anything else. */
export function peerKinds (connections: readonly Connection[]): Map<string, ConnectionKind> {
  const rank: Record<ConnectionKind, number> = { direct: 2, relayed: 1, other: 0 }
  const kinds = new Map<string, ConnectionKind>()
  for (const conn of connections) {
    if (conn.status !== 'open') continue
    const id = conn.remotePeer.toString()
    const kind = connectionKind(conn)
    const known = kinds.get(id)
    if (known === undefined || rank[kind] > rank[known]) kinds.set(id, kind)
  }
  return kinds
}

export class DirectPeers {
  readonly #node: Libp2p
  readonly #book: PeerBook
  readonly #maxDirect: number
  readonly #exclude: () => readonly string[]
  readonly #prefer: () => ReadonlySet<string>
  readonly #now: () => number
  readonly #peers = new Map<string, PeerState>()

  constructor (node: Libp2p, book: PeerBook, init: DirectPeersInit = {}) {
    this.#node = node
    this.#book = book
    this.#maxDirect = init.maxDirect ?? MAX_DIRECT_PEERS
    this.#exclude = init.exclude ?? (() => [])
    this.#prefer = init.prefer ?? (() => new Set())
    this.#now = init.now ?? Date.now
  }

  tick (): void {
    const now = this.#now()
    const self = this.#node.peerId.toString()
    const excluded = new Set(this.#exclude())
    const kinds = peerKinds(this.#node.getConnections())
    this.#closeSurplus(kinds, excluded)
    this.#closeRelayedBesideDirect(kinds)
    const known = this.#book.current(now)
    this.#forgetGone(known)
    let busy = [...kinds].filter(([id, kind]) => kind !== 'other' && !excluded.has(id)).length +
      [...this.#peers.values()].filter(p => p.dialing).length
    const preferred = this.#prefer()
    const ordered = preferred.size === 0 ? known : [...known.filter(p => preferred.has(p.peerId)), ...known.filter(p => !preferred.has(p.peerId))]
    for (const peer of ordered) {
      if (busy >= this.#maxDirect + (preferred.has(peer.peerId) ? EXTRA_PROVIDER_PEERS : 0)) break
      if (peer.peerId === self || excluded.has(peer.peerId) || kinds.get(peer.peerId) === 'direct') continue
      const state = this.#state(peer.peerId, now)
      if (state.dialing || !state.backoff.due(now)) continue
      if (self > peer.peerId && now - state.firstSeen < GLARE_DELAY_MS) continue
      if (kinds.get(peer.peerId) !== 'relayed') busy++
      void this.#dial(peer, state, kinds.get(peer.peerId) === 'relayed')
    }
  }

  async #dial (peer: KnownPeer, state: PeerState, hasRelayed: boolean): Promise<void> {
    state.dialing = true
    try {
      const webrtc = peer.addrs.find(ma => WebRTC.exactMatch(ma))
      if (webrtc !== undefined) {
        try {
          const conn = await this.#node.dial(webrtc, { signal: AbortSignal.timeout(DIAL_TIMEOUT_MS) })
          if (connectionKind(conn) === 'direct') {
            state.webrtcFailures = 0
            state.backoff.succeeded()
            return
          }
        } catch {}
        state.webrtcFailures++
      }
      state.backoff.failed(this.#now())
      const relayed = peer.addrs.find(ma => !WebRTC.exactMatch(ma))
      if (!hasRelayed && relayed !== undefined && (webrtc === undefined || state.webrtcFailures >= WEBRTC_ATTEMPTS_BEFORE_RELAYED)) {
        await this.#node.dial(relayed, { signal: AbortSignal.timeout(DIAL_TIMEOUT_MS) }).catch(() => {})
      }
    } finally {
      state.dialing = false
    }
  }

  #state (peerId: string, now: number): PeerState {
    let state = this.#peers.get(peerId)
    if (state === undefined) {
      state = { backoff: new Backoff(), webrtcFailures: 0, dialing: false, firstSeen: now }
      this.#peers.set(peerId, state)
    }
    return state
  }

  /** Drops the dial state of peers no longer announced, so the map stays as small as the book. */
  #forgetGone (known: readonly KnownPeer[]): void {
    const ids = new Set(known.map(p => p.peerId))
    for (const [id, state] of this.#peers) if (!ids.has(id) && !state.dialing) this.#peers.delete(id)
  }

  #closeRelayedBesideDirect (kinds: Map<string, ConnectionKind>): void {
    for (const conn of this.#node.getConnections()) {
      if (conn.status === 'open' && conn.limits != null && kinds.get(conn.remotePeer.toString()) === 'direct') {
        void conn.close().catch(() => {})
      }
    }
  }

  #closeSurplus (kinds: Map<string, ConnectionKind>, excluded: Set<string>): void {
    const direct = this.#node.getConnections()
      .filter(conn => conn.status === 'open' && connectionKind(conn) === 'direct' && !excluded.has(conn.remotePeer.toString()))
    const surplus = direct.length - 2 * this.#maxDirect
    if (surplus <= 0) return
    const inbound = direct.filter(conn => conn.direction === 'inbound').sort((a, b) => b.timeline.open - a.timeline.open)
    for (const conn of inbound.slice(0, surplus)) {
      kinds.delete(conn.remotePeer.toString())
      void conn.close().catch(() => {})
    }
  }
}
