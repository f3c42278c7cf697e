/**
 * The data the storage subnet keeps, and who keeps what.
 *
 * The data is generated: `generatedShard(i)` is a BLAKE3 keystream from a fixed seed, so every
 * relay publishes the very same shards (and CIDs) and tests need no files. A real deployment
 * would publish its users' (encrypted) data the same way.
 *
 * Assignment is a public function of the miner's hotkey and the bundle's shard list
 * (rendezvous hashing: each miner takes the SHARDS_PER_MINER shards that rank highest for it),
 * so every validator assigns a miner the same shards and the miner knows what to fetch without
 * asking anyone; a validator computes each assigned replica's root once and keeps it.
 */
import { blake3 } from '@noble/hashes/blake3.js'
import { concatBytes, hash, toHex, utf8ToBytes } from '../../core/hash.ts'
import { SHARD_BYTES } from './constants.ts'

/** Shards the bundle publishes (4 MiB of 256 KiB shards). */
export const BUNDLE_SHARDS = 16
/** Shards each miner is assigned and challenged on (2 MiB). */
export const SHARDS_PER_MINER = 8

const DATA_DOMAIN = utf8ToBytes('tabtensor/storage/generated-shard/v1')
const RANK_DOMAIN = utf8ToBytes('tabtensor/storage/assignment/v1')

/** The `index`-th generated shard: SHARD_BYTES pseudo-random bytes, the same everywhere. */
export function generatedShard (index: number): Uint8Array {
  return blake3(utf8ToBytes(String(index)), { key: hash(DATA_DOMAIN), dkLen: SHARD_BYTES })
}

/** The shards (by their bundle names, e.g. CIDs) `miner` keeps, best-ranked first. */
export function assignedShards<T extends string> (miner: Uint8Array, shards: readonly T[], count = SHARDS_PER_MINER): T[] {
  const ranked = shards.map(name => ({ name, rank: toHex(hash(concatBytes(RANK_DOMAIN, miner, utf8ToBytes(name)))) }))
  ranked.sort((a, b) => (a.rank < b.rank ? -1 : a.rank > b.rank ? 1 : 0))
  return ranked.slice(0, count).map(r => r.name)
}
