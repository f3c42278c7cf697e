/**
 * Keeps a tab (or a relay, for the relays it peers with) connected to its relays: each relay
 * that has no open connection is redialed, at once after a drop and then with exponential
 * backoff while it stays unreachable, for as long as the node runs. libp2p's own reconnect queue
 * gives up after a few tries; a tab must outlast a relay restart of any length.
 */
import type { Connection, Libp2p, PeerId } from '@libp2p/interface'
import { peerIdFromString } from '@libp2p/peer-id'
import type { Multiaddr } from '@multiformats/multiaddr'
import { peerIdOf } from './addresses.ts'
import { Backoff } from './backoff.ts'
import { DIAL_TIMEOUT_MS } from './constants.ts'
import { InvalidRelayAddressError } from './errors.ts'

interface Link {
  addr: Multiaddr
  peerId: PeerId
  backoff: Backoff
  dialing: boolean
}

export interface RelayLinksInit {
  /** Called with each new connection to a relay (a first connection or a reconnection). */
  onConnect?: (connection: Connection) => void
  now?: () => number
}

export class RelayLinks {
  readonly #node: Libp2p
  readonly #links: Link[]
  readonly #init: RelayLinksInit
  readonly #now: () => number

  constructor (node: Libp2p, relayAddrs: readonly Multiaddr[], init: RelayLinksInit = {}) {
    this.#node = node
    this.#init = init
    this.#now = init.now ?? Date.now
    this.#links = relayAddrs.map(addr => {
      const id = peerIdOf(addr)
      if (id === undefined) throw new InvalidRelayAddressError(`The relay address ${addr.toString()} does not end with /p2p/<peer id>.`)
      return { addr, peerId: peerIdFromString(id), backoff: new Backoff(), dialing: false }
    })
  }

  get peerIds (): PeerId[] {
    return this.#links.map(link => link.peerId)
  }

  /** How many relays this node holds an open connection to. */
  connected (): number {
    return this.#links.filter(link => this.#isConnected(link)).length
  }

  /** Dials every relay that is not connected and whose backoff has passed. */
  tick (): void {
    for (const link of this.#links) {
      if (link.dialing || this.#isConnected(link) || !link.backoff.due(this.#now())) continue
      link.dialing = true
      this.#node.dial(link.addr, { signal: AbortSignal.timeout(DIAL_TIMEOUT_MS) })
        .then(connection => {
          link.backoff.succeeded()
          this.#init.onConnect?.(connection)
        }, () => { link.backoff.failed(this.#now()) })
        .finally(() => { link.dialing = false })
    }
  }

  #isConnected (link: Link): boolean {
    return this.#node.getConnections(link.peerId).some(conn => conn.status === 'open' && conn.limits == null)
  }
}
