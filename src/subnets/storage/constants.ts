/** The storage subnet's sizes, deadlines and statistics, each with its unit. */

/** Bytes of one shard: the unit a miner is assigned, stores and is challenged on. */
export const SHARD_BYTES = 256 * 1024

/** Bytes of one Merkle leaf of a shard; a challenge opens one leaf (256 leaves per shard). */
export const LEAF_BYTES = 1024

/** Leaves in a full shard. */
export const LEAVES_PER_SHARD = SHARD_BYTES / LEAF_BYTES

/** Siblings in a proof of a full shard (log2 of the leaves); a proof with more is refused unread. */
export const MAX_SIBLINGS = 32

/** Bytes of a challenge's nonce. */
export const NONCE_BYTES = 16

/** Milliseconds a miner has to answer a challenge: enough to read a leaf from IndexedDB, too
 * little to fetch the shard from elsewhere and encode it (the outsourcing attack). */
export const ANSWER_DEADLINE_MS = 2_000

/** Largest encoded challenge we decode, in bytes. */
export const MAX_TASK_BYTES = 512

/** Largest encoded answer we decode, in bytes: one leaf, a full path and small fields. */
export const MAX_RESULT_BYTES = LEAF_BYTES + MAX_SIBLINGS * 34 + 256

/** z for the Wilson lower bound: 1.96, a 95 % two-sided interval. */
export const WILSON_Z = 1.96
