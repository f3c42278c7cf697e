/**
 * The ledger's state: one ordered key–value map, and its commitment (the state root).
 *
 * Writes go through `set`, which records the old value while a checkpoint is open, so a rejected
 * transaction or block is undone exactly (`revert`). Values are plain, immutable records: to
 * change one, write a new one. `commit()` folds every key written since the last commit into the
 * Merkle commitment: leaf = H(0x00 ‖ u16 key length ‖ key ‖ canonical value), leaves sorted by
 * key. The commitment keeps the encoded values and tree of the last commit, so proofs are served
 * for the committed head while new transactions are already applied to the working state.
 */
import { encode } from './codec.ts'
import { equalBytes, hash, utf8ToBytes } from './hash.ts'
import { merkleLevels, merkleProof, rootOfLevels, verifyMerkleProof, type MerkleProof } from './merkle.ts'

const LEAF = new Uint8Array([0])

export function leafHash (key: string, encodedValue: Uint8Array): Uint8Array {
  const k = utf8ToBytes(key)
  return hash(LEAF, new Uint8Array([k.length >> 8, k.length & 0xff]), k, encodedValue)
}

/** Proof that `key` holds `value` (or holds nothing) under a state root. */
export type StateProof =
  | { key: string, value: Uint8Array, proof: MerkleProof }
  | { key: string, value: null, left: NeighbourProof | null, right: NeighbourProof | null }

export interface NeighbourProof { key: string, value: Uint8Array, proof: MerkleProof }

/** The commitment of one past commit: its root, values and proofs. */
export interface StateSnapshot {
  readonly root: Uint8Array
  committed (key: string): Uint8Array | undefined
  prove (key: string): StateProof
}

export class State {
  private readonly values = new Map<string, unknown>()
  private readonly journal: Array<[string, unknown]> = []
  private readonly marks: number[] = []
  private readonly dirty = new Set<string>()
  // Commitment of the last commit.
  private sortedKeys: string[] = []
  private readonly committedValues = new Map<string, Uint8Array>()
  private readonly leaves = new Map<string, Uint8Array>()
  private levels: Uint8Array[][] = [[]]
  private committedRoot: Uint8Array = rootOfLevels([[]])

  get<T> (key: string): T | undefined {
    return this.values.get(key) as T | undefined
  }

  has (key: string): boolean {
    return this.values.has(key)
  }

  /** Writes `value` at `key`; `undefined` deletes the key. */
  set (key: string, value: unknown): void {
    if (this.marks.length > 0) this.journal.push([key, this.values.get(key)])
    if (value === undefined) this.values.delete(key)
    else this.values.set(key, value)
    this.dirty.add(key)
  }

  /** Opens a checkpoint; `revert` undoes everything written since, `release` keeps it. */
  checkpoint (): void {
    this.marks.push(this.journal.length)
  }

  revert (): void {
    const mark = this.marks.pop()
    if (mark === undefined) throw new Error('revert without checkpoint')
    while (this.journal.length > mark) {
      const [key, old] = this.journal.pop()!
      if (old === undefined) this.values.delete(key)
      else this.values.set(key, old)
    }
  }

  release (): void {
    if (this.marks.pop() === undefined) throw new Error('release without checkpoint')
    if (this.marks.length === 0) this.journal.length = 0
  }

  /** Number of keys in the working state. */
  get size (): number {
    return this.values.size
  }

  /** Updates the commitment to the working state and returns the new state root. */
  commit (): Uint8Array {
    let keysChanged = false
    for (const key of this.dirty) {
      const value = this.values.get(key)
      if (value === undefined) {
        if (this.committedValues.delete(key)) keysChanged = true
        this.leaves.delete(key)
        continue
      }
      const encoded = encode(value)
      if (!this.committedValues.has(key)) keysChanged = true
      this.committedValues.set(key, encoded)
      this.leaves.set(key, leafHash(key, encoded))
    }
    if (this.dirty.size > 0) {
      if (keysChanged) this.sortedKeys = [...this.committedValues.keys()].sort(compareKeys)
      this.levels = merkleLevels(this.sortedKeys.map(k => this.leaves.get(k)!))
      this.committedRoot = rootOfLevels(this.levels)
    }
    this.dirty.clear()
    return this.committedRoot
  }

  get root (): Uint8Array {
    return this.committedRoot
  }

  /** The canonical encoding of `key`'s value at the last commit, or undefined. */
  committed (key: string): Uint8Array | undefined {
    return this.committedValues.get(key)
  }

  /**
   * A frozen copy of the last commit. Key lists and tree levels are replaced, never changed, by
   * later commits, so only the value map is copied.
   */
  snapshot (): StateSnapshot {
    return proverOf(this.committedRoot, this.sortedKeys, new Map(this.committedValues), this.levels)
  }

  /** A proof of `key`'s committed value (or of its absence) against `root`. */
  prove (key: string): StateProof {
    return proverOf(this.committedRoot, this.sortedKeys, this.committedValues, this.levels).prove(key)
  }
}

function proverOf (root: Uint8Array, keys: string[], values: Map<string, Uint8Array>, levels: Uint8Array[][]): StateSnapshot {
  return {
    root,
    committed: key => values.get(key),
    prove: key => proveIn(keys, values, levels, key)
  }
}

function proveIn (keys: string[], values: Map<string, Uint8Array>, levels: Uint8Array[][], key: string): StateProof {
  let lo = 0
  let hi = keys.length
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if (compareKeys(keys[mid]!, key) < 0) lo = mid + 1
    else hi = mid
  }
  const neighbour = (i: number): NeighbourProof | null =>
    i < 0 || i >= keys.length ? null : { key: keys[i]!, value: values.get(keys[i]!)!, proof: merkleProof(levels, i) }
  if (keys[lo] === key) return { key, value: values.get(key)!, proof: merkleProof(levels, lo) }
  return { key, value: null, left: neighbour(lo - 1), right: neighbour(lo) }
}

/** Keys order by UTF-16 code units, the same in every JavaScript engine. */
export function compareKeys (a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

/** Checks a proof from `State.prove` against a state root; returns the proven encoded value. */
export function verifyStateProof (root: Uint8Array, proof: StateProof): { ok: boolean, value: Uint8Array | null } {
  const fail = { ok: false, value: null }
  if (proof.value !== null) {
    return verifyMerkleProof(root, leafHash(proof.key, proof.value), proof.proof) ? { ok: true, value: proof.value } : fail
  }
  const { left, right, key } = proof
  const holds = (n: NeighbourProof): boolean => verifyMerkleProof(root, leafHash(n.key, n.value), n.proof)
  if (left !== null && (!holds(left) || compareKeys(left.key, key) >= 0)) return fail
  if (right !== null && (!holds(right) || compareKeys(right.key, key) <= 0)) return fail
  if (left !== null && right !== null && right.proof.index !== left.proof.index + 1) return fail
  // At an edge, the one neighbour must be the first or the last leaf (or the tree is empty).
  if (left === null && right === null) return equalBytes(root, rootOfLevels([[]])) ? { ok: true, value: null } : fail
  if (left === null && right!.proof.index !== 0) return fail
  if (right === null && left!.proof.index !== left!.proof.count - 1) return fail
  return { ok: true, value: null }
}
