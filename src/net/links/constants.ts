/**
 * Direct-link reports: a tab tells the relays it is connected to which tabs it holds direct
 * WebRTC connections with, so the relay's network view (the demo screen) can draw tab-to-tab edges
 * it never carries itself.
 */
import { EXTRA_PROVIDER_PEERS, MAX_DIRECT_PEERS } from '../constants.ts'

/** The protocol a tab reports its direct peers to a relay on: one frame, no answer. */
export const LINKS_PROTOCOL = '/tabtensor/links/1.0.0'

/** Most peers one report may list: a tab closes inbound direct peers past twice its bound, plus its extra providers. */
export const MAX_REPORTED_LINKS = 2 * MAX_DIRECT_PEERS + EXTRA_PROVIDER_PEERS

/** Longest peer id string accepted in a report, in characters (an ed25519 id is 52). */
export const MAX_PEER_ID_LENGTH = 64

/** Largest report accepted, in bytes: every listed id at its longest, and some CBOR framing. */
export const MAX_LINK_REPORT_BYTES = MAX_REPORTED_LINKS * (MAX_PEER_ID_LENGTH + 2) + 16

/** Shortest time between two reports a tab sends over one relay connection, in milliseconds. */
export const LINK_REPORT_MIN_INTERVAL_MS = 2_000

/** Reports a relay accepts per peer per second, sustained, and at once. */
export const LINK_REPORTS_PER_SECOND_PER_PEER = 1
export const LINK_REPORT_BURST_PER_PEER = 4

/** Longest a report may take to send or to read, in milliseconds. */
export const LINK_REPORT_TIMEOUT_MS = 10_000
