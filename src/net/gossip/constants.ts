/**
 * Application gossip: topics, size caps, the replay window, and gossipsub v1.1 peer scoring.
 *
 * Every topic name starts with `tabtensor/<first 8 hex digits of the chain id>/`, so two networks
 * never share a mesh, and ends with a version, so a later wire format gets a topic of its own.
 * The same values apply in a tab and in the relay: a message one side forwards must be one the
 * other accepts, or honest forwarders would be scored down.
 */

/** First part of every application topic. */
export const TOPIC_PREFIX = 'tabtensor'

/** Hex digits of the chain id in a topic name: enough to keep networks apart, short enough to read. */
export const TOPIC_CHAIN_HEX_DIGITS = 8

/** Version of the envelope and payload format, the last part of every topic name. */
export const TOPIC_VERSION = 1

/** Longest topic name an envelope may carry, in characters (`tabtensor/xxxxxxxx/subnet/65535/results/1` is 41). */
export const MAX_TOPIC_LENGTH = 64

/** Bytes an envelope adds to its payload at most: field names, topic, sender key, numbers and signature (about 210). */
export const ENVELOPE_OVERHEAD_BYTES = 256

/** Largest payload on the transactions topic, in bytes: one signed transaction (`MAX_TX_BYTES` of the core). */
export const MAX_TX_PAYLOAD_BYTES = 64 * 1024

/** Largest payload on the headers topic, in bytes: one signed header (`MAX_HEADER_BYTES` of the core). */
export const MAX_HEADER_PAYLOAD_BYTES = 512

/** Largest payload on a subnet's results topic, in bytes: a move string, a forecast ensemble or a storage proof fits. */
export const MAX_RESULTS_PAYLOAD_BYTES = 32 * 1024

/** Largest payload on a subnet's scores topic, in bytes: a weight commit or a full reveal of 4096 weights fits. */
export const MAX_SCORES_PAYLOAD_BYTES = 64 * 1024

/**
 * Most recent sequence numbers remembered per sender. A number at or below the lowest one still
 * remembered is a replay; honest messages are never that far out of order (gossip reorders by
 * milliseconds, a sender publishes far fewer than this many messages in that time).
 */
export const SEQ_WINDOW = 128

/** Most senders whose sequence numbers are remembered; the least recently heard is forgotten first. */
export const MAX_TRACKED_SENDERS = 2048

/**
 * How far an envelope's time may be from the receiver's clock, either way, in milliseconds.
 * Older messages are ignored, which stops replays of senders whose numbers were forgotten; the
 * window is wide because browsers' clocks drift, and ignoring (not rejecting) never punishes a
 * forwarder for a difference of clocks.
 */
export const MESSAGE_TIME_WINDOW_MS = 5 * 60_000

// ---- gossipsub v1.1 peer scoring ---------------------------------------------------------
// A peer's score is the sum over topics of weight × (P1 time in mesh + P2 first deliveries +
// P4 invalid deliveries), capped above by TOPIC_SCORE_CAP, plus the application score P5 and
// the behaviour penalty P7. Mesh-delivery penalties (P3, P3b) are off: headers come once per
// block and transactions when someone pays, so a quiet honest mesh peer would look like a
// failing one. IP colocation (P6) is off: many honest tabs share one address (a home, an office,
// one machine running several tabs), and a tab's identity costs nothing to make anyway.

/** Weight of each application topic in the score; all equal, a forgery is as bad on one as on another. */
export const TOPIC_WEIGHT = 1

/** Score per second a peer spends in a topic's mesh (P1), rewarding stable peers a little. */
export const TIME_IN_MESH_WEIGHT = 0.01

/** Time unit of P1, in milliseconds. */
export const TIME_IN_MESH_QUANTUM_MS = 1_000

/** Most units of P1 counted: five minutes in the mesh earns the full +3. */
export const TIME_IN_MESH_CAP = 300

/** Score per message a peer is first to deliver (P2). */
export const FIRST_MESSAGE_DELIVERIES_WEIGHT = 1

/** Factor P2's counter keeps per decay interval: forgets useful deliveries over tens of seconds. */
export const FIRST_MESSAGE_DELIVERIES_DECAY = 0.9

/** Most first deliveries counted (P2): a busy peer cannot buy credit to spend on invalid messages. */
export const FIRST_MESSAGE_DELIVERIES_CAP = 10

/** Score of the squared count of invalid messages a peer delivered (P4): 1 → −5, 2 → −20, 4 → −80 (graylisted). */
export const INVALID_MESSAGE_DELIVERIES_WEIGHT = -5

/** Factor P4's counter keeps per decay interval: about a minute's half-life, so a graylisted peer waits minutes. */
export const INVALID_MESSAGE_DELIVERIES_DECAY = 0.99

/** Cap on the positive part of the topic scores, so good behaviour cannot pay for many invalid messages. */
export const TOPIC_SCORE_CAP = 10

/**
 * Application score (P5) of a node's relays and peer relays. A tab reaches most of the mesh through
 * its relay, so the relay starts well above zero: one message the two judge differently does not
 * cut the tab off, while a relay that keeps forwarding invalid messages is still graylisted.
 */
export const TRUSTED_PEER_SCORE = 20

/** Broken gossip promises (IWANT not answered) tolerated before the behaviour penalty (P7) starts. */
export const BEHAVIOUR_PENALTY_THRESHOLD = 6

/** Score of the squared count of broken promises above the threshold (P7). */
export const BEHAVIOUR_PENALTY_WEIGHT = -10

/** Factor P7's counter keeps per decay interval. */
export const BEHAVIOUR_PENALTY_DECAY = 0.9

/** How often counters decay, in milliseconds. */
export const SCORE_DECAY_INTERVAL_MS = 1_000

/** A decaying counter below this counts as zero. */
export const SCORE_DECAY_TO_ZERO = 0.01

/** How long a disconnected peer's score is kept, in milliseconds, so reconnecting does not wash it. */
export const SCORE_RETAIN_MS = 10 * 60_000

/** Below this score no gossip (IHAVE/IWANT) is exchanged with a peer: two invalid messages put it there. */
export const GOSSIP_THRESHOLD = -10

/** Below this score our own messages are not flood-published to a peer. */
export const PUBLISH_THRESHOLD = -50

/** Below this score everything a peer sends is ignored (graylist): four invalid messages with no credit. */
export const GRAYLIST_THRESHOLD = -80

/** Peer exchange on prune is accepted only from peers this trusted: the relays and no tab. */
export const ACCEPT_PX_THRESHOLD = 10

/** A mesh whose median score falls below this grafts better-scoring peers opportunistically. */
export const OPPORTUNISTIC_GRAFT_THRESHOLD = 1
