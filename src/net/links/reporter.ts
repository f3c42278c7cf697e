/**
 * The tab's side of direct-link reports: on each maintenance tick it sends its current set of
 * direct peers over every relay connection that has not yet had that set, at most once per
 * `LINK_REPORT_MIN_INTERVAL_MS` per connection. A new relay connection gets the set at once, so a
 * relay that restarted learns it again.
 */
import type { Connection, Libp2p } from '@libp2p/interface'
import { LINK_REPORT_MIN_INTERVAL_MS } from './constants.ts'
import { sendLinkReport } from './wire.ts'

interface Sent {
  key: string | null
  at: number
  sending: boolean
}

export class LinkReporter {
  readonly #node: Pick<Libp2p, 'getConnections'>
  readonly #relays: () => ReadonlySet<string>
  readonly #now: () => number
  /** By connection id: what was last sent over it, and when. */
  readonly #sent = new Map<string, Sent>()

  constructor (node: Pick<Libp2p, 'getConnections'>, relays: () => ReadonlySet<string>, now: () => number = Date.now) {
    this.#node = node
    this.#relays = relays
    this.#now = now
  }

  /** Reports `direct` (peer ids) to each connected relay that does not have it yet. */
  tick (direct: readonly string[]): void {
    const key = [...direct].sort().join(' ')
    const relays = this.#relays()
    const open = new Set<string>()
    const now = this.#now()
    for (const conn of this.#node.getConnections()) {
      if (conn.status !== 'open' || conn.limits !== undefined || !relays.has(conn.remotePeer.toString())) continue
      open.add(conn.id)
      const sent = this.#sent.get(conn.id) ?? { key: null, at: -Infinity, sending: false }
      this.#sent.set(conn.id, sent)
      if (sent.sending || sent.key === key || now - sent.at < LINK_REPORT_MIN_INTERVAL_MS) continue
      this.#send(conn, sent, key, direct)
    }
    for (const id of this.#sent.keys()) if (!open.has(id)) this.#sent.delete(id)
  }

  #send (conn: Connection, sent: Sent, key: string, direct: readonly string[]): void {
    sent.sending = true
    sent.at = this.#now()
    sendLinkReport(conn, direct).then(() => { sent.key = key }, () => {}).finally(() => { sent.sending = false })
  }
}
