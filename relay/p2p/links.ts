/**
 * The relay's side of direct-link reports (`/tabtensor/links/1.0.0`): it keeps each connected
 * tab's latest list of direct peers, forgets it when the tab disconnects, and drops reports from
 * a tab past its rate. `/api/network` draws an edge only where both tabs report each other.
 */
import type { Libp2p } from '@libp2p/interface'
import { LINK_REPORT_BURST_PER_PEER, LINK_REPORTS_PER_SECOND_PER_PEER, LINKS_PROTOCOL, mutualLinks, readLinkReport } from '../../src/net/links/index.ts'
import { PeerRateLimit } from '../../src/net/rate-limit.ts'

export class LinkBook {
  readonly #reports = new Map<string, ReadonlySet<string>>()

  set (peerId: string, direct: readonly string[]): void {
    this.#reports.set(peerId, new Set(direct))
  }

  drop (peerId: string): void {
    this.#reports.delete(peerId)
  }

  /** Edges both ends report, between the peers in `among`. */
  links (among: ReadonlySet<string>): Array<[string, string]> {
    return mutualLinks(this.#reports, among)
  }
}

/** Accepts link reports on `node` into a new book; returns the book and a function that stops it. */
export async function serveLinkReports (node: Pick<Libp2p, 'handle' | 'unhandle' | 'addEventListener' | 'removeEventListener' | 'getConnections'>): Promise<{ book: LinkBook, stop: () => Promise<void> }> {
  const book = new LinkBook()
  const limit = new PeerRateLimit(LINK_REPORTS_PER_SECOND_PER_PEER, LINK_REPORT_BURST_PER_PEER)
  await node.handle(LINKS_PROTOCOL, (stream, connection) => {
    const sender = connection.remotePeer.toString()
    if (!limit.take(sender)) {
      stream.abort(new Error('Too many link reports from this peer.'))
      return
    }
    // A report that finishes after its tab left is not kept: nothing would ever forget it.
    readLinkReport(stream, sender).then(ids => { if (node.getConnections(connection.remotePeer).length > 0) book.set(sender, ids) }, () => {})
  }, { runOnLimitedConnection: false })
  const forget = (event: CustomEvent<{ toString: () => string }>): void => { book.drop(event.detail.toString()) }
  node.addEventListener('peer:disconnect', forget)
  return {
    book,
    async stop () {
      node.removeEventListener('peer:disconnect', forget)
      await node.unhandle(LINKS_PROTOCOL)
    }
  }
}
