import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { hash, toHex } from '../../../src/core/hash.ts'
import { merkleLevels, merkleProof, merkleRoot, rootOfLevels, verifyMerkleProof } from '../../../src/core/merkle.ts'

const leaves = (n: number, tag = 0): Uint8Array[] => Array.from({ length: n }, (_, i) => hash(new Uint8Array([tag, i & 0xff, i >> 8])))
const leafList = fc.array(fc.uint8Array({ minLength: 32, maxLength: 32 }), { minLength: 1, maxLength: 70 })

describe('merkle tree', () => {
  it('proves every leaf of trees of 1 to 70 leaves', () => {
    for (let n = 1; n <= 70; n++) {
      const list = leaves(n)
      const levels = merkleLevels(list)
      const root = rootOfLevels(levels)
      expect(root).toStrictEqual(merkleRoot(list))
      for (let i = 0; i < n; i++) expect(verifyMerkleProof(root, list[i]!, merkleProof(levels, i)), `leaf ${i} of ${n}`).toBe(true)
    }
  })

  it('rejects a proof for the wrong leaf, index, count or root', () => {
    fc.assert(fc.property(leafList, fc.nat(), (list, pick) => {
      const i = pick % list.length
      const levels = merkleLevels(list)
      const root = rootOfLevels(levels)
      const proof = merkleProof(levels, i)
      const otherLeaf = hash(list[i]!)
      expect(verifyMerkleProof(root, otherLeaf, proof)).toBe(false)
      expect(verifyMerkleProof(root, list[i]!, { ...proof, count: proof.count + 1 })).toBe(false)
      expect(verifyMerkleProof(merkleRoot([...list, otherLeaf]), list[i]!, proof)).toBe(false)
      if (list.length > 1) {
        const j = (i + 1) % list.length
        if (toHex(list[j]!) !== toHex(list[i]!)) expect(verifyMerkleProof(root, list[i]!, { ...proof, index: j })).toBe(false)
      }
    }), { numRuns: 150 })
  })

  it('rejects a proof with a changed, missing or extra sibling', () => {
    fc.assert(fc.property(leafList, fc.nat(), fc.nat(), (list, pick, s) => {
      const i = pick % list.length
      const levels = merkleLevels(list)
      const root = rootOfLevels(levels)
      const proof = merkleProof(levels, i)
      expect(verifyMerkleProof(root, list[i]!, { ...proof, siblings: [...proof.siblings, new Uint8Array(32)] })).toBe(false)
      if (proof.siblings.length === 0) return
      const k = s % proof.siblings.length
      const changed = proof.siblings.map((x, j) => (j === k ? hash(x) : x))
      expect(verifyMerkleProof(root, list[i]!, { ...proof, siblings: changed })).toBe(false)
      expect(verifyMerkleProof(root, list[i]!, { ...proof, siblings: proof.siblings.slice(0, -1) })).toBe(false)
    }), { numRuns: 150 })
  })

  it('rejects out-of-range, negative and fractional indices without throwing', () => {
    const list = leaves(5)
    const levels = merkleLevels(list)
    const root = rootOfLevels(levels)
    const proof = merkleProof(levels, 4)
    for (const index of [5, -1, 1.5, Number.NaN]) expect(verifyMerkleProof(root, list[4]!, { ...proof, index })).toBe(false)
    expect(verifyMerkleProof(root, list[4]!, { ...proof, siblings: [new Uint8Array(31), ...proof.siblings.slice(1)] })).toBe(false)
  })

  it('gives lists of different lengths different roots, even when the odd leaf is carried up', () => {
    const list = leaves(3)
    // Duplicating the last leaf (as Bitcoin does) must not give the same root.
    expect(toHex(merkleRoot([...list, list[2]!]))).not.toBe(toHex(merkleRoot(list)))
    // One leaf equal to the node of two leaves is not the tree of those two leaves.
    const node = hash(new Uint8Array([1]), list[0]!, list[1]!)
    expect(toHex(merkleRoot([node]))).not.toBe(toHex(merkleRoot([list[0]!, list[1]!])))
    expect(toHex(merkleRoot([]))).not.toBe(toHex(merkleRoot([new Uint8Array(32)])))
  })

  it('gives a different root when any leaf changes or two leaves swap', () => {
    fc.assert(fc.property(fc.uniqueArray(fc.uint8Array({ minLength: 32, maxLength: 32 }), { minLength: 2, maxLength: 20, selector: toHex }), fc.nat(), (list, pick) => {
      const i = pick % list.length
      const root = toHex(merkleRoot(list))
      expect(toHex(merkleRoot(list.map((x, j) => (j === i ? hash(x) : x))))).not.toBe(root)
      const j = (i + 1) % list.length
      const swapped = list.slice()
      swapped[i] = list[j]!
      swapped[j] = list[i]!
      expect(toHex(merkleRoot(swapped))).not.toBe(root)
    }), { numRuns: 100 })
  })
})
