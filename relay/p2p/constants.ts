/**
 * Limits of the relay's libp2p node. A relay serves hundreds of tabs, each holding one WebSocket
 * connection and one circuit-relay reservation, and relays only WebRTC signalling (SDP offer and
 * answer, a few ICE candidates) plus small exchanges between tabs that WebRTC cannot join.
 */

/** Most circuit-relay reservations held at once (libp2p's default, 15, suits a home node, not a relay for tabs). */
export const MAX_RESERVATIONS = 2048

/** How long a reservation lasts before the tab must renew it, in milliseconds (libp2p renews before expiry). */
export const RESERVATION_TTL_MS = 30 * 60_000

/** Longest a relayed connection between two tabs stays open, in milliseconds: signalling needs seconds, a relayed fallback a little more. */
export const RELAYED_DURATION_LIMIT_MS = 5 * 60_000

/** Most bytes one relayed connection may carry (each direction counted together), in bytes: SDP and ICE are a few KiB. */
export const RELAYED_DATA_LIMIT_BYTES = 1n << 20n

/** Most simultaneous inbound hop streams (reservations and relayed dials in progress). */
export const MAX_INBOUND_HOP_STREAMS = 4096

/** Most simultaneous outbound stop streams (relayed connections being opened towards tabs). */
export const MAX_OUTBOUND_STOP_STREAMS = 4096

/** Most connections the relay keeps open: every tab, every relayed pair's signalling and the peer relays. */
export const MAX_CONNECTIONS = 8192

/** Inbound connections accepted per remote host per second; tabs behind one NAT reconnect together after a relay restart. */
export const INBOUND_CONNECTIONS_PER_HOST_PER_SECOND = 200

/** Most inbound connections being upgraded (noise, yamux) at once. */
export const MAX_INCOMING_PENDING_CONNECTIONS = 256

/** Most bytes a WebSocket connection may have queued for sending before writers wait, in bytes. */
export const MAX_WEBSOCKET_BUFFERED_BYTES = 4 * 1024 * 1024

/** How often a full WebSocket send buffer is checked for room, in milliseconds. */
export const WEBSOCKET_DRAIN_POLL_MS = 10

/** Largest WebSocket frame the relay accepts, in bytes (yamux frames are at most 256 KiB plus a header). */
export const MAX_WEBSOCKET_FRAME_BYTES = 1024 * 1024

/** The path of the page's origin where WebSocket upgrades become libp2p connections (a `/ws` multiaddr dials `/`). */
export const WEBSOCKET_PATH = '/'

/** File in the data folder holding the relay's libp2p identity: an ed25519 secret key, 64 hex characters. */
export const P2P_KEY_FILE = 'p2p.key'
