/**
 * Per-miner replicas. A shard is stored by each miner XORed with a keystream derived from the
 * miner's hotkey and the shard's id, so every replica has its own Merkle root: a miner cannot
 * answer for another miner's copy, and two miners cannot share one. (The keystream is public; a
 * miner that keeps only the plain shard still holds the data, which is what is paid for. What
 * it cannot do in time is fetch a leaf it does not hold: see ANSWER_DEADLINE_MS.)
 *
 * The validator computes the root of each replica once, when it assigns the shard, and keeps
 * 32 bytes per (miner, shard).
 */
import { blake3 } from '@noble/hashes/blake3.js'
import { concatBytes, hash, utf8ToBytes } from '../../core/hash.ts'
import { merkleLevels, merkleProof, rootOfLevels, type MerkleProof } from '../../core/merkle.ts'
import { LEAF_BYTES, SHARD_BYTES } from './constants.ts'
import { StorageError } from './errors.ts'

const KEY_DOMAIN = utf8ToBytes('tabtensor/storage/replica-key/v1')
const LEAF_DOMAIN = utf8ToBytes('tabtensor/storage/leaf/v1')

/** The keystream's key for one miner's replica of one shard. */
function replicaKey (miner: Uint8Array, shardId: Uint8Array): Uint8Array {
  return hash(KEY_DOMAIN, miner, shardId)
}

/** The shard XORed with the miner's keystream (the same call decodes a replica back). */
export function encodeReplica (shard: Uint8Array, miner: Uint8Array, shardId: Uint8Array): Uint8Array {
  if (shard.length === 0 || shard.length > SHARD_BYTES) {
    throw new StorageError('BAD_SHARD', `A shard holds 1 to ${SHARD_BYTES} bytes, not ${shard.length}.`)
  }
  const stream = blake3(shardId, { key: replicaKey(miner, shardId), dkLen: shard.length })
  for (let i = 0; i < stream.length; i++) stream[i]! ^= shard[i]!
  return stream
}

/** Number of leaves of a replica of `bytes` bytes (the last leaf may be short). */
export function leafCount (bytes: number): number {
  return Math.ceil(bytes / LEAF_BYTES)
}

export function leafOf (replica: Uint8Array, index: number): Uint8Array {
  return replica.subarray(index * LEAF_BYTES, Math.min((index + 1) * LEAF_BYTES, replica.length))
}

export function leafHash (leaf: Uint8Array): Uint8Array {
  return hash(concatBytes(LEAF_DOMAIN, leaf))
}

function levelsOf (replica: Uint8Array): Uint8Array[][] {
  const leaves = Array.from({ length: leafCount(replica.length) }, (_, i) => leafHash(leafOf(replica, i)))
  return merkleLevels(leaves)
}

/** The root the validator keeps for this replica. */
export function replicaRoot (replica: Uint8Array): Uint8Array {
  return rootOfLevels(levelsOf(replica))
}

/** A held replica with its tree, ready to answer challenges. */
export interface HeldReplica {
  replica: Uint8Array
  levels: Uint8Array[][]
}

export function holdReplica (replica: Uint8Array): HeldReplica {
  return { replica, levels: levelsOf(replica) }
}

/** One leaf and its Merkle path. */
export function openLeaf (held: HeldReplica, index: number): { leaf: Uint8Array, proof: MerkleProof } {
  return { leaf: leafOf(held.replica, index), proof: merkleProof(held.levels, index) }
}
