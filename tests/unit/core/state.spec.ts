import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { decode, encode } from '../../../src/core/codec.ts'
import { toHex } from '../../../src/core/hash.ts'
import { State, compareKeys, verifyStateProof, type NeighbourProof, type StateProof } from '../../../src/core/state.ts'

type Value = bigint | number | string | Uint8Array | { balance: bigint, nonce: number }

const key = fc.string({ minLength: 1, maxLength: 8 })
const value: fc.Arbitrary<Value> = fc.oneof(
  fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }),
  fc.nat(),
  fc.string({ maxLength: 8 }),
  fc.uint8Array({ maxLength: 8 }),
  fc.record({ balance: fc.bigInt({ min: 0n, max: 1n << 60n }), nonce: fc.nat() })
)
const contents = fc.dictionary(key, value, { minKeys: 1, maxKeys: 40, noNullPrototype: true })
/** A write: a value, or undefined to delete the key. */
const writes = fc.array(fc.tuple(fc.string({ minLength: 1, maxLength: 3 }), fc.option(value, { nil: undefined })), { maxLength: 40 })

function stateOf (entries: Record<string, unknown>): State {
  const state = new State()
  for (const [k, v] of Object.entries(entries)) state.set(k, v)
  state.commit()
  return state
}

const rootHex = (s: State): string => toHex(s.root)

/** The inclusion proof of a present key, as a neighbour in an absence proof. */
function neighbour (state: State, k: string): NeighbourProof {
  const p = state.prove(k)
  if (p.value === null) throw new Error(`${k} is not in the state`)
  return { key: p.key, value: p.value, proof: p.proof }
}

describe('state commitment', () => {
  it('gives the same root for the same contents whatever the order of writes', () => {
    fc.assert(fc.property(contents, entries => {
      const reversed = Object.fromEntries(Object.entries(entries).reverse())
      expect(rootHex(stateOf(reversed))).toBe(rootHex(stateOf(entries)))
    }), { numRuns: 100 })
  })

  it('gives a deleted key the root of a state that never had it', () => {
    const a = stateOf({ x: 1, y: 2 })
    a.set('z', 3)
    a.commit()
    a.set('z', undefined)
    a.commit()
    expect(a.has('z')).toBe(false)
    expect(rootHex(a)).toBe(rootHex(stateOf({ x: 1, y: 2 })))
    expect(rootHex(a)).not.toBe(rootHex(stateOf({ x: 1, y: 2, z: 3 })))
  })

  it('gives the empty state the empty-tree root, and changes the root when a value changes', () => {
    expect(rootHex(new State())).toBe(rootHex(stateOf({})))
    expect(rootHex(stateOf({ a: 1 }))).not.toBe(rootHex(stateOf({ a: 2 })))
    expect(rootHex(stateOf({ a: 1 }))).not.toBe(rootHex(stateOf({ b: 1 })))
  })

  it('orders keys by UTF-16 code units', () => {
    expect(['b', 'a/1', 'a', 'B', 'a/10', 'a/2'].sort(compareKeys)).toStrictEqual(['B', 'a', 'a/1', 'a/10', 'a/2', 'b'])
  })
})

describe('inclusion proofs', () => {
  it('prove every key against the committed root', () => {
    fc.assert(fc.property(contents, entries => {
      const state = stateOf(entries)
      for (const [k, v] of Object.entries(entries)) {
        const proof = state.prove(k)
        expect(proof.value).not.toBeNull()
        const { ok, value: proven } = verifyStateProof(state.root, proof)
        expect(ok, k).toBe(true)
        expect(proven).toStrictEqual(encode(v))
        expect(decode(proven!, 1 << 16)).toStrictEqual(decode(encode(v), 1 << 16))
      }
    }), { numRuns: 60 })
  })

  it('fail when the value or key is changed', () => {
    fc.assert(fc.property(contents, fc.nat(), (entries, pick) => {
      const state = stateOf(entries)
      const keys = Object.keys(entries)
      const k = keys[pick % keys.length]!
      const proof = neighbour(state, k)
      expect(verifyStateProof(state.root, { ...proof, value: encode('tampered') }).ok).toBe(false)
      expect(verifyStateProof(state.root, { ...proof, key: `${k}x` }).ok).toBe(false)
    }), { numRuns: 60 })
  })

  it('fail against another root', () => {
    fc.assert(fc.property(contents, fc.nat(), (entries, pick) => {
      const state = stateOf(entries)
      const keys = Object.keys(entries)
      const proof = state.prove(keys[pick % keys.length]!)
      const before = state.root
      // Change a value under another key and commit: the old proof no longer matches.
      state.set('~other', 'changed')
      state.commit()
      expect(rootHex(state)).not.toBe(toHex(before))
      expect(verifyStateProof(before, proof).ok).toBe(true)
      expect(verifyStateProof(state.root, proof).ok).toBe(false)
    }), { numRuns: 60 })
  })

  it('describe the last commit, not writes made since', () => {
    const state = stateOf({ a: 1 })
    state.set('a', 2)
    const proof = state.prove('a')
    expect(proof.value).toStrictEqual(encode(1))
    expect(verifyStateProof(state.root, proof).ok).toBe(true)
    expect(state.committed('a')).toStrictEqual(encode(1))
    expect(state.get('a')).toBe(2)
  })
})

describe('absence proofs', () => {
  const absentKey = (entries: Record<string, unknown>): fc.Arbitrary<string> =>
    fc.string({ maxLength: 9 }).filter(k => !Object.hasOwn(entries, k))

  it('prove absent keys before the first key, between keys and after the last key', () => {
    const state = stateOf({ b: 1, d: 2, f: 3 })
    for (const [k, left, right] of [['a', null, 'b'], ['c', 'b', 'd'], ['e', 'd', 'f'], ['g', 'f', null], ['', null, 'b'], ['b0', 'b', 'd']] as const) {
      const proof = state.prove(k)
      expect(proof.value).toBeNull()
      if (proof.value !== null) continue
      expect(proof.left?.key ?? null).toBe(left)
      expect(proof.right?.key ?? null).toBe(right)
      expect(verifyStateProof(state.root, proof)).toStrictEqual({ ok: true, value: null })
    }
  })

  it('prove any absent key of any state', () => {
    fc.assert(fc.property(contents.chain(entries => fc.tuple(fc.constant(entries), fc.array(absentKey(entries), { minLength: 1, maxLength: 5 }))), ([entries, absent]) => {
      const state = stateOf(entries)
      for (const k of absent) {
        const proof = state.prove(k)
        expect(proof.value).toBeNull()
        expect(verifyStateProof(state.root, proof)).toStrictEqual({ ok: true, value: null })
      }
    }), { numRuns: 80 })
  })

  it('prove any key absent from the empty state, and only against the empty root', () => {
    const empty = new State()
    empty.commit()
    const proof = empty.prove('anything')
    expect(proof).toStrictEqual({ key: 'anything', value: null, left: null, right: null })
    expect(verifyStateProof(empty.root, proof).ok).toBe(true)
    expect(verifyStateProof(stateOf({ x: 1 }).root, proof).ok).toBe(false)
  })

  it('fail when a neighbour is dropped, changed or swapped, or when they are not adjacent', () => {
    const state = stateOf({ b: 1, d: 2, f: 3, h: 4 })
    const root = state.root
    const between = state.prove('e')
    const first = state.prove('a')
    const last = state.prove('z')
    if (between.value !== null || first.value !== null || last.value !== null) throw new Error('expected absence proofs')
    const tampered: StateProof[] = [
      { ...between, left: null },
      { ...between, right: null },
      { ...between, left: between.right, right: between.left },
      { ...between, left: { ...between.left!, value: encode(99) } },
      { ...between, right: { ...between.right!, key: 'ff' } },
      // Hiding the first leaf: before the first key, the right neighbour must be leaf 0.
      { ...first, right: neighbour(state, 'd') },
      // Hiding the last leaf: after the last key, the left neighbour must be the last leaf.
      { ...last, left: neighbour(state, 'f') },
      { ...first, right: null },
      { ...last, left: null }
    ]
    for (const proof of tampered) expect(verifyStateProof(root, proof).ok).toBe(false)
  })

  it('cannot claim that a present key is absent', () => {
    fc.assert(fc.property(fc.dictionary(key, value, { minKeys: 3, maxKeys: 30, noNullPrototype: true }), fc.nat(), (entries, pick) => {
      const state = stateOf(entries)
      const keys = Object.keys(entries).sort(compareKeys)
      const i = 1 + (pick % (keys.length - 2))
      const around = (j: number): NeighbourProof => neighbour(state, keys[j]!)
      const k = keys[i]!
      const attempts: StateProof[] = [
        { key: k, value: null, left: around(i - 1), right: around(i + 1) },
        { key: k, value: null, left: around(i), right: around(i + 1) },
        { key: k, value: null, left: around(i - 1), right: around(i) },
        { key: k, value: null, left: null, right: around(0) },
        { key: k, value: null, left: around(keys.length - 1), right: null }
      ]
      for (const proof of attempts) expect(verifyStateProof(state.root, proof).ok).toBe(false)
    }), { numRuns: 80 })
  })

  it('fail against another root', () => {
    const state = stateOf({ b: 1, d: 2 })
    const proof = state.prove('c')
    const before = state.root
    state.set('c', 5)
    state.commit()
    expect(verifyStateProof(before, proof).ok).toBe(true)
    expect(verifyStateProof(state.root, proof).ok).toBe(false)
  })
})

describe('checkpoints', () => {
  const apply = (state: State, ws: Array<[string, Value | undefined]>): void => {
    for (const [k, v] of ws) state.set(k, v)
  }
  const snapshot = (state: State, keys: string[]): Array<[string, unknown]> => keys.map(k => [k, state.get(k)])

  it('revert restores exactly the committed root and every read', () => {
    fc.assert(fc.property(writes, writes, (before, during) => {
      const state = new State()
      apply(state, before)
      const root = toHex(state.commit())
      const keys = [...new Set([...before, ...during].map(([k]) => k))]
      const reads = snapshot(state, keys)
      const size = state.size
      state.checkpoint()
      apply(state, during)
      state.revert()
      expect(snapshot(state, keys)).toStrictEqual(reads)
      expect(state.size).toBe(size)
      expect(toHex(state.commit())).toBe(root)
    }), { numRuns: 200 })
  })

  it('release keeps the writes, and gives the root a state written directly would have', () => {
    fc.assert(fc.property(writes, writes, (before, during) => {
      const state = new State()
      apply(state, before)
      state.commit()
      state.checkpoint()
      apply(state, during)
      state.release()
      const direct = new State()
      apply(direct, [...before, ...during])
      expect(toHex(state.commit())).toBe(toHex(direct.commit()))
    }), { numRuns: 100 })
  })

  it('an outer revert undoes an inner checkpoint that was released', () => {
    fc.assert(fc.property(writes, writes, writes, (base, outer, inner) => {
      const state = new State()
      apply(state, base)
      const root = toHex(state.commit())
      state.checkpoint()
      apply(state, outer)
      state.checkpoint()
      apply(state, inner)
      state.release()
      state.revert()
      expect(toHex(state.commit())).toBe(root)
    }), { numRuns: 100 })
  })

  it('an inner revert keeps the outer writes', () => {
    const state = stateOf({ a: 1 })
    state.checkpoint()
    state.set('a', 2)
    state.checkpoint()
    state.set('a', 3)
    state.set('b', 4)
    state.revert()
    expect(state.get('a')).toBe(2)
    expect(state.has('b')).toBe(false)
    state.release()
    expect(rootHex(stateOf({ a: 2 }))).toBe(toHex(state.commit()))
  })

  it('refuses to revert or release without a checkpoint', () => {
    const state = new State()
    expect(() => state.revert()).toThrow()
    expect(() => state.release()).toThrow()
  })
})
