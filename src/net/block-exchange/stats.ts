/**
 * What a node's block exchange has moved: bytes and blocks served to and fetched from each peer,
 * and the misbehaviour it caught, by error code. The page shows the totals; tests read who served
 * a bundle.
 */
import type { BlockErrorCode } from './errors.ts'

export interface Traffic {
  bytes: number
  blocks: number
  /** Bytes per peer id. */
  byPeer: Record<string, number>
}

export interface BlockExchangeStats {
  served: Traffic
  fetched: Traffic
  /** Requests refused and peers penalised, by error code. */
  rejected: Partial<Record<BlockErrorCode, number>>
}

/** Most peers itemised in `byPeer`; the totals always count everyone. */
const MAX_PEERS_ITEMISED = 256

export class TrafficCounter {
  readonly served: Traffic = { bytes: 0, blocks: 0, byPeer: {} }
  readonly fetched: Traffic = { bytes: 0, blocks: 0, byPeer: {} }
  readonly rejected: Partial<Record<BlockErrorCode, number>> = {}

  countServed (peerId: string, bytes: number): void {
    add(this.served, peerId, bytes)
  }

  countFetched (peerId: string, bytes: number): void {
    add(this.fetched, peerId, bytes)
  }

  countRejected (code: BlockErrorCode): void {
    this.rejected[code] = (this.rejected[code] ?? 0) + 1
  }

  snapshot (): BlockExchangeStats {
    return structuredClone({ served: this.served, fetched: this.fetched, rejected: this.rejected })
  }
}

function add (traffic: Traffic, peerId: string, bytes: number): void {
  traffic.bytes += bytes
  traffic.blocks++
  if (peerId in traffic.byPeer || Object.keys(traffic.byPeer).length < MAX_PEERS_ITEMISED) {
    traffic.byPeer[peerId] = (traffic.byPeer[peerId] ?? 0) + bytes
  }
}
