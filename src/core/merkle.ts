/**
 * A binary Merkle tree over an ordered list of leaf hashes, with proofs.
 *
 * Interior nodes are H(0x01 ‖ left ‖ right); a node without a sibling moves up unchanged (no
 * duplication, so two lists never share a root). The root commits to the leaf count as well:
 * H(0x02 ‖ u64 count ‖ top). A proof is the list of siblings from the leaf up; which levels have
 * a sibling follows from the index and the count, so the verifier needs nothing else.
 */
import { hash, equalBytes, u64be } from './hash.ts'

const NODE = new Uint8Array([1])
const ROOT = new Uint8Array([2])
const EMPTY = new Uint8Array(32)

export interface MerkleProof {
  index: number
  count: number
  siblings: Uint8Array[]
}

/** All levels of the tree, leaves first; the last level has one node (or none if empty). */
export function merkleLevels (leaves: Uint8Array[]): Uint8Array[][] {
  const levels = [leaves]
  let level = leaves
  while (level.length > 1) {
    const next: Uint8Array[] = []
    for (let i = 0; i < level.length; i += 2) {
      next.push(i + 1 < level.length ? hash(NODE, level[i]!, level[i + 1]!) : level[i]!)
    }
    levels.push(next)
    level = next
  }
  return levels
}

export function rootOfLevels (levels: Uint8Array[][]): Uint8Array {
  const count = levels[0]!.length
  const top = count === 0 ? EMPTY : levels[levels.length - 1]![0]!
  return hash(ROOT, u64be(count), top)
}

export function merkleRoot (leaves: Uint8Array[]): Uint8Array {
  return rootOfLevels(merkleLevels(leaves))
}

export function merkleProof (levels: Uint8Array[][], index: number): MerkleProof {
  const siblings: Uint8Array[] = []
  let i = index
  for (let d = 0; d < levels.length - 1; d++) {
    const level = levels[d]!
    const sibling = i ^ 1
    if (sibling < level.length) siblings.push(level[sibling]!)
    i >>= 1
  }
  return { index, count: levels[0]!.length, siblings }
}

/** True when `leaf` sits at `proof.index` of a tree of `proof.count` leaves whose root is `root`. */
export function verifyMerkleProof (root: Uint8Array, leaf: Uint8Array, proof: MerkleProof): boolean {
  const { index, count, siblings } = proof
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(count) || index < 0 || index >= count) return false
  let node = leaf
  let i = index
  let width = count
  let used = 0
  while (width > 1) {
    const sibling = i ^ 1
    if (sibling < width) {
      const other = siblings[used++]
      if (other === undefined || other.length !== 32) return false
      node = (i & 1) === 0 ? hash(NODE, node, other) : hash(NODE, other, node)
    }
    i >>= 1
    width = Math.ceil(width / 2)
  }
  return used === siblings.length && equalBytes(hash(ROOT, u64be(count), node), root)
}
