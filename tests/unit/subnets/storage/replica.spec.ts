import { describe, expect, it } from 'vitest'
import { hash } from '../../../../src/core/hash.ts'
import { verifyMerkleProof } from '../../../../src/core/merkle.ts'
import { LEAF_BYTES, SHARD_BYTES } from '../../../../src/subnets/storage/constants.ts'
import { encodeReplica, holdReplica, leafCount, leafHash, openLeaf, replicaRoot } from '../../../../src/subnets/storage/replica.ts'
import { StorageError } from '../../../../src/subnets/storage/errors.ts'

const shardOf = (bytes: number, fill: number): Uint8Array => Uint8Array.from({ length: bytes }, (_, i) => (i * 31 + fill) & 0xff)
const MINER_A = hash(new TextEncoder().encode('miner a'))
const MINER_B = hash(new TextEncoder().encode('miner b'))

describe('per-miner replicas', () => {
  const shard = shardOf(SHARD_BYTES, 7)
  const id = hash(shard)

  it('decode back to the shard with the same call', () => {
    expect(encodeReplica(encodeReplica(shard, MINER_A, id), MINER_A, id)).toEqual(shard)
  })

  it('differ between miners, so each replica has its own root', () => {
    const a = encodeReplica(shard, MINER_A, id)
    const b = encodeReplica(shard, MINER_B, id)
    expect(a).not.toEqual(b)
    expect(replicaRoot(a)).not.toEqual(replicaRoot(b))
  })

  it('open any leaf with a path to the root, including a short last leaf', () => {
    const replica = encodeReplica(shardOf(3 * LEAF_BYTES + 100, 1), MINER_A, id)
    const root = replicaRoot(replica)
    const held = holdReplica(replica)
    expect(leafCount(replica.length)).toBe(4)
    for (let i = 0; i < 4; i++) {
      const { leaf, proof } = openLeaf(held, i)
      expect(leaf.length).toBe(i === 3 ? 100 : LEAF_BYTES)
      expect(verifyMerkleProof(root, leafHash(leaf), proof)).toBe(true)
    }
  })

  it('refuses an empty or oversized shard with its code', () => {
    expect(() => encodeReplica(new Uint8Array(0), MINER_A, id)).toThrow(StorageError)
    expect(() => encodeReplica(new Uint8Array(SHARD_BYTES + 1), MINER_A, id)).toThrow(/1 to 262144 bytes/)
  })
})
