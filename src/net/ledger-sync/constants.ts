/**
 * Ledger sync: a tab asks a peer (its relay, or a tab that has verified the chain) for signed
 * headers and for account state proofs, so it can follow the chain over libp2p as well as over the
 * relay's HTTP API. One request and one answer per stream, each a length-prefixed canonical CBOR
 * frame. Nothing the peer says is trusted: headers go through the light client, proofs are checked
 * against verified state roots.
 */
import { MAX_HEADER_BYTES } from '../../core/block.ts'
import { MAX_PROOF_BYTES } from '../../core/light-client.ts'

export const LEDGER_SYNC_PROTOCOL = '/tabtensor/ledger-sync/1.0.0'

/** Most headers one answer carries; a request for more is cut to this. */
export const MAX_SYNC_HEADERS = 256

/** Largest request accepted, in bytes (a request is a few small fields). */
export const MAX_SYNC_REQUEST_BYTES = 128

/** Largest answer accepted, in bytes: a full batch of headers plus framing (larger than any state proof). */
export const MAX_SYNC_ANSWER_BYTES = MAX_SYNC_HEADERS * (MAX_HEADER_BYTES + 8) + 64

/** Requests one peer may make per second, sustained, before it is answered BUSY (a tab catching up on 10,000 headers makes 40). */
export const LEDGER_SYNC_REQUESTS_PER_SECOND_PER_PEER = 50

/** Requests one peer may make in a burst above the sustained rate. */
export const LEDGER_SYNC_REQUEST_BURST_PER_PEER = 100

/** Longest one request/answer may take, in milliseconds. */
export const LEDGER_SYNC_TIMEOUT_MS = 10_000

/** Most verified account proofs a tab keeps to serve (its own wallet's accounts are a handful). */
export const MAX_HELD_PROOFS = 64
