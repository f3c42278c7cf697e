/**
 * Limits and timings of a tab's libp2p node. Browser values: a tab shares one process's budget
 * of RTCPeerConnections (Chromium allows about 500 per process lifetime) and a couple of CPU
 * cores with the page's own work, so it keeps few direct peers and dials them patiently.
 */

/** Most direct WebRTC peers a tab keeps; more are dialed only when one of these drops. */
export const MAX_DIRECT_PEERS = 16

/** Direct peers a tab may add past `MAX_DIRECT_PEERS` to reach announced providers of a bundle it is fetching. */
export const EXTRA_PROVIDER_PEERS = 4

/** Most connections of any kind a tab keeps (relays, direct peers, relayed signalling). */
export const MAX_CONNECTIONS = 64

/** Longest a single dial (relay or peer) may take, in milliseconds. */
export const DIAL_TIMEOUT_MS = 15_000

/** First delay before redialing a relay or a peer that dropped or refused, in milliseconds. */
export const BACKOFF_BASE_MS = 500

/** Longest delay between two redials of the same relay or peer, in milliseconds. */
export const BACKOFF_MAX_MS = 30_000

/** Share of a backoff delay that is randomised, so that tabs that lost the same relay do not redial together. */
export const BACKOFF_JITTER = 0.5

/** Failed WebRTC dials to a peer before the tab settles for a relayed (limited) connection to it. */
export const WEBRTC_ATTEMPTS_BEFORE_RELAYED = 2

/** How often a tab checks its relays and direct peers and redials what is due, in milliseconds. */
export const MAINTENANCE_INTERVAL_MS = 1_000

/** How long the peer with the larger id waits for the smaller one to dial first, in milliseconds (avoids two dials crossing). */
export const GLARE_DELAY_MS = 3_000

/**
 * Largest message a tab writes on a WebRTC data channel, in bytes (libp2p's default is 16 KiB, for
 * go- and rust-libp2p peers; tabs talk to tabs). Larger messages cut per-message work on bundle
 * transfers; 64 KiB keeps the time one message holds the shared SCTP association (and so delays
 * gossip on other channels) to a few milliseconds.
 */
export const WEBRTC_MAX_MESSAGE_BYTES = 64 * 1024

/**
 * Bytes a tab lets wait in a data channel's send buffer before a stream waits to write more
 * (libp2p's default is 2 MiB); writing resumes when a quarter of it is left (our patch of
 * @libp2p/webrtc, see patches/README.md, where libp2p waited for an empty buffer and the link
 * idled until the page wrote again). A block-exchange session keeps this much on its way, as a
 * careful bare data channel does (1 to 4 MiB). Chromium refuses sends past 16 MiB.
 */
export const WEBRTC_MAX_BUFFERED_BYTES = 4 * 1024 * 1024

/** STUN/TURN servers a tab's WebRTC uses by default: none, so that only host candidates are gathered and no third party is contacted. */
export const DEFAULT_ICE_SERVERS: RTCIceServer[] = []
