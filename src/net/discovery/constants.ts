/**
 * Peer discovery: tabs announce where they can be reached on a gossip topic, and a tab that has
 * just joined asks its relay for the announcements the relay has heard (peer exchange), so it
 * need not wait for the next round of announcements.
 */

/** The gossip topic of peer announcements. */
export const PEERS_TOPIC = 'tabtensor/peers/1'

/** The protocol a tab asks its relay for known peers with. */
export const PEER_EXCHANGE_PROTOCOL = '/tabtensor/peer-exchange/1.0.0'

/** How often a tab repeats its announcement, in milliseconds. */
export const ANNOUNCE_INTERVAL_MS = 15_000

/** How long an announcement is believed without being repeated, in milliseconds (three rounds). */
export const PEER_RECORD_TTL_MS = 3 * ANNOUNCE_INTERVAL_MS

/** Largest announcement accepted, in bytes. */
export const MAX_PEER_RECORD_BYTES = 2048

/** Most addresses one announcement may list (one WebRTC and one relayed address per relay). */
export const MAX_RECORD_ADDRS = 8

/** Most announcements a node remembers; the oldest are forgotten first. */
export const MAX_KNOWN_PEERS = 4096

/** Most peers one peer-exchange answer lists, picked at random. */
export const MAX_EXCHANGED_PEERS = 64

/** Largest peer-exchange answer accepted, in bytes. */
export const MAX_PEER_EXCHANGE_BYTES = MAX_EXCHANGED_PEERS * MAX_PEER_RECORD_BYTES

/** Longest a peer exchange may take, in milliseconds. */
export const PEER_EXCHANGE_TIMEOUT_MS = 10_000
