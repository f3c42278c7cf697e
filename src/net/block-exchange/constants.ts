/**
 * Limits and timings of block exchange. A bundle (ONNX models, data) is megabytes; it travels as
 * chunks of `DEFAULT_CHUNK_BYTES` over direct WebRTC connections, whose data channels have no read
 * backpressure: a receiver buffers whatever the sender writes, so every answer is bounded by the
 * request that asked for it.
 */

/** The protocol tabs and relays exchange blocks over: several requests per stream, answered in order. */
export const BLOCKS_PROTOCOL = '/tabtensor/blocks/1.1.0'

/** The first version, one request per stream: still served (the same server answers it), never asked. */
export const BLOCKS_PROTOCOL_ONE_REQUEST = '/tabtensor/blocks/1.0.0'

/**
 * Chunk size of a bundle built without another choice, in bytes: the most a block may be. A
 * fetching page's work goes by block more than by byte (a frame to read, a hash to ask for, a
 * request slot), and that work is on the page's main thread, which the data channel's own
 * delivery needs too: a 16 MiB fetch between two tabs went from 0.72 of a bare data channel with
 * 256 KiB chunks to 0.77 with 1 MiB (means of four and five runs of `npm run bench -- block-exchange`). Bundles are
 * megabytes, so they still come from several peers at once; one under 2 MiB comes from one or two.
 */
export const DEFAULT_CHUNK_BYTES = 1024 * 1024

/** Largest block (chunk or manifest) anybody sends or accepts, in bytes. */
export const MAX_BLOCK_BYTES = 1024 * 1024

/** Most chunks one manifest lists (8 GiB at the largest chunk size, 2 GiB at the default). */
export const MAX_CHUNKS = 8192

/** Longest bundle name, in characters. */
export const MAX_NAME_LENGTH = 256

/** Most CIDs one `have` request asks about. */
export const MAX_HAVE_PER_REQUEST = 1024

/** Most blocks one `want` request asks for; bounds what the answer may make the asker buffer. */
export const MAX_WANT_PER_REQUEST = 8

/** Largest request frame, in bytes (a CID is at most ~40 bytes in canonical CBOR). */
export const MAX_REQUEST_BYTES = 64 * 1024

/** Largest answer frame, in bytes: one status byte and a block. */
export const MAX_ANSWER_BYTES = 1 + MAX_BLOCK_BYTES

/** What a `want` stream may have to buffer on the asker's side, in bytes (every answer frame with its length prefix). */
export const MAX_WANT_BUFFER_BYTES = MAX_WANT_PER_REQUEST * (MAX_ANSWER_BYTES + 8)

/** Most requests an asker sends on one stream ahead of the answers; a server buffers no more than these. */
export const MAX_PIPELINED_REQUESTS = 4

/** Most block streams one peer may have open to a server at once (libp2p resets the rest). */
export const MAX_INBOUND_STREAMS_PER_PEER = 16

/** Most block streams a fetcher opens to one peer at once. */
export const MAX_OUTBOUND_STREAMS_PER_PEER = 16

/** Requests one peer may make per second, sustained, before it is answered "busy". */
export const REQUESTS_PER_SECOND_PER_PEER = 200

/** Requests one peer may make in a burst above the sustained rate. */
export const REQUEST_BURST_PER_PEER = 400

/** Longest a server waits for a request once a stream is open, in milliseconds. */
export const REQUEST_TIMEOUT_MS = 10_000

/** Longest a server keeps a stream open with no request after the first, in milliseconds (longer than an asker's rounds of have requests). */
export const SESSION_IDLE_TIMEOUT_MS = 60_000

/** Longest a fetcher waits for the next frame of an answer (a stalled peer), in milliseconds. */
export const FRAME_TIMEOUT_MS = 10_000

/** Longest a `have` round may take for one peer, in milliseconds. */
export const HAVE_TIMEOUT_MS = 5_000

/** Bytes of blocks a fetcher asks one peer for in each `want` request: as many blocks as fit, at least one and at most `MAX_WANT_PER_REQUEST`. */
export const WANT_BATCH_BYTES = 2 * 1024 * 1024

/** `want` requests a fetcher keeps in flight to one peer, all on one stream: the next answer is on its way while one is checked. */
export const WANT_PIPELINE = MAX_PIPELINED_REQUESTS

/** Bytes of checked blocks a fetcher holds in memory on their way into the store; past it, it waits for the store before reading more. */
export const MAX_UNSTORED_BYTES = 8 * 1024 * 1024

/** Least time between two `progress` events of a fetch, in milliseconds (the last one always comes); each redraws the page. */
export const PROGRESS_INTERVAL_MS = 200

/** How long a fetcher that found no provider for some chunks waits before asking around again, in milliseconds. */
export const PROVIDER_RETRY_MS = 1_000

/** How long a fetch may go without any provider for the chunks it misses before it gives up, in milliseconds. */
export const NO_PROVIDER_TIMEOUT_MS = 30_000

/** Local score a peer starts at; a peer below `BAN_SCORE` is not asked again by this node. */
export const INITIAL_SCORE = 0

/** Score below which a peer is no longer asked for blocks. */
export const BAN_SCORE = -50

/** Score a peer loses for a block whose hash does not match its CID, or for breaking the protocol: banned at once. */
export const PENALTY_INVALID = 100

/** Score a peer loses for a stalled or failed request. */
export const PENALTY_FAILURE = 10

/** Score a peer loses for saying it holds a block, then answering "not held". */
export const PENALTY_NOT_HELD = 2

/** Score a peer regains for each good block, up to `MAX_SCORE`. */
export const REWARD_BLOCK = 1

/** Highest score a peer can build up, so that an old good record cannot hide a new failure streak. */
export const MAX_SCORE = 20

/** Name of the tab's IndexedDB database of cached blocks. */
export const CACHE_DB_NAME = 'tabtensor-blocks'

/**
 * Version of the cache's IndexedDB schema. 3: blocks live only in packs, found by CID through an
 * index (2 also kept a record per block, 1 a record per block with its bytes); an older cache is
 * emptied on upgrade, since what it held is fetched again when needed.
 */
export const CACHE_DB_VERSION = 3

/** Object store of packs: blocks written together, in one record, keyed by the CID of the first (see `idb-store.ts`). */
export const CACHE_PACKS_STORE = 'packs'

/** Index of `CACHE_PACKS_STORE` by the CIDs of the blocks in each pack (unique: a block is held once). */
export const CACHE_CID_INDEX = 'cid'

/** Most bytes of blocks the cache writes as one pack: a few large records cost IndexedDB far less than many small ones. */
export const PACK_BYTES = 4 * 1024 * 1024

/**
 * Longest a block waits in the cache's queue for others to share its pack, in milliseconds. A fetch
 * tells the cache to write when it waits on it and when it has nothing more coming, so this only
 * bounds how long a block goes unwritten: 1 MiB blocks arriving at 15 MiB/s came every 65 ms, and
 * a 20 ms wait wrote most of them alone (12–17 writes per 16 MiB instead of 4).
 */
export const PACK_WAIT_MS = 250

/** Object store of the cache's running total of bytes and the list of bundles held in full. */
export const CACHE_META_STORE = 'meta'

/** Most bytes of recently stored or read blocks the tab's cache also keeps in memory, to serve without reading IndexedDB (a 16 MiB bundle fits twice). */
export const RECENT_BLOCKS_BYTES = 32 * 1024 * 1024

/** Most bytes the tab's block cache holds; a put past it fails with BlockCacheFullError. */
export const MAX_CACHE_BYTES = 1024 * 1024 * 1024

/** The gossip topic on which tabs announce the bundles they hold (manifest CIDs). */
export const PROVIDERS_TOPIC = 'tabtensor/providers/1'

/** How often a tab repeats its provider announcement, in milliseconds. */
export const PROVIDER_ANNOUNCE_INTERVAL_MS = 30_000

/** How long an announcement counts after it was made, in milliseconds (three rounds); older ones are ignored. */
export const PROVIDER_RECORD_TTL_MS = 3 * PROVIDER_ANNOUNCE_INTERVAL_MS

/** How far ahead of this clock an announcement may be dated, in milliseconds (clocks differ a little). */
export const PROVIDER_CLOCK_SKEW_MS = 30_000

/** Most bundles one announcement names; a tab holding more announces the ones it got last. */
export const MAX_ANNOUNCED_BUNDLES = 64

/** Largest announcement accepted, in bytes (a CID is at most ~40 bytes in canonical CBOR). */
export const MAX_PROVIDER_RECORD_BYTES = 64 + MAX_ANNOUNCED_BUNDLES * 48

/** Most bundles a node remembers providers of; the least recently announced are forgotten first. */
export const MAX_KNOWN_BUNDLES = 1024

/** Most providers a node remembers in all; the least recently heard are forgotten first. */
export const MAX_KNOWN_PROVIDERS = 1024

/** Most providers a node remembers per bundle; the least recently heard are forgotten first. */
export const MAX_PROVIDERS_PER_BUNDLE = 64
