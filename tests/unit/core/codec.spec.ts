import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { CID } from 'multiformats/cid'
import {
  U64_MAX, cidOf, decode, encode, readBool, readBytes, readList, readString, readU64, readUint, readUintList, record
} from '../../../src/core/codec.ts'
import { DecodeError } from '../../../src/core/errors.ts'
import { utf8ToBytes } from '../../../src/core/hash.ts'
import { rejection } from '../../helpers/errors.ts'

/** A CBOR head with the minimal length encoding (major type 0–7, argument < 2^32). */
function head (major: number, n: number): number[] {
  if (n < 24) return [(major << 5) | n]
  if (n < 0x100) return [(major << 5) | 24, n]
  if (n < 0x10000) return [(major << 5) | 25, n >> 8, n & 0xff]
  return [(major << 5) | 26, n >>> 24, (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff]
}

function text (s: string): number[] {
  const b = utf8ToBytes(s)
  return [...head(3, b.length), ...b]
}

/** A CBOR map of text keys to small unsigned integers, in exactly the order given. */
function mapInOrder (entries: Array<[string, number]>): Uint8Array {
  return new Uint8Array([...head(5, entries.length), ...entries.flatMap(([k, v]) => [...text(k), ...head(0, v)])])
}

// Values decode back to the same JS value: safe integers as numbers, others as bigints.
const bigOutsideSafe = fc.oneof(
  fc.bigInt({ min: BigInt(Number.MAX_SAFE_INTEGER) + 1n, max: U64_MAX }),
  fc.bigInt({ min: -(1n << 64n), max: BigInt(Number.MIN_SAFE_INTEGER) - 1n })
)
const leaf = fc.oneof(
  fc.integer({ min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }),
  bigOutsideSafe,
  fc.uint8Array({ maxLength: 64 }),
  fc.string({ maxLength: 24 }),
  fc.string({ unit: 'grapheme', maxLength: 8 }),
  fc.boolean(),
  fc.constant(null)
)
const { value: cborValue } = fc.letrec(tie => ({
  value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, leaf, tie('list'), tie('record')),
  list: fc.array(tie('value'), { maxLength: 5 }),
  record: fc.dictionary(fc.string({ maxLength: 10 }), tie('value'), { maxKeys: 5, noNullPrototype: true })
}))

describe('encode and decode', () => {
  it('decode(encode(x)) = x for records of integers, bigints, bytes, strings and lists', () => {
    fc.assert(fc.property(cborValue, x => {
      expect(decode(encode(x), 1 << 20)).toStrictEqual(x)
    }), { numRuns: 300 })
  })

  it('re-encodes whatever it accepts to the very same bytes', () => {
    fc.assert(fc.property(cborValue, x => {
      const bytes = encode(x)
      expect(encode(decode(bytes, 1 << 20))).toStrictEqual(bytes)
    }), { numRuns: 100 })
  })

  it('encodes a record the same whatever the order its keys were written in', () => {
    fc.assert(fc.property(fc.dictionary(fc.string({ maxLength: 6 }), fc.integer(), { maxKeys: 8, noNullPrototype: true }), r => {
      const reversed = Object.fromEntries(Object.entries(r).reverse())
      expect(encode(reversed)).toStrictEqual(encode(r))
    }))
  })

  it('keeps u64 extremes exact', () => {
    expect(decode(encode(U64_MAX), 16)).toBe(U64_MAX)
    expect(decode(encode(BigInt(Number.MAX_SAFE_INTEGER) + 1n), 16)).toBe(BigInt(Number.MAX_SAFE_INTEGER) + 1n)
  })

  it('accepts the hand-written canonical encoding of {a: 1, b: 2}', () => {
    expect(decode(mapInOrder([['a', 1], ['b', 2]]), 100)).toStrictEqual({ a: 1, b: 2 })
  })
})

describe('decode refuses non-canonical input', () => {
  it('rejects a map whose keys are not in canonical order with NON_CANONICAL', () => {
    expect(rejection(() => decode(mapInOrder([['b', 1], ['a', 2]]), 100)).code).toBe('NON_CANONICAL')
    // DAG-CBOR orders shorter keys first: "b" < "aa".
    expect(rejection(() => decode(mapInOrder([['aa', 1], ['b', 2]]), 100)).code).toBe('NON_CANONICAL')
  })

  it('rejects any two-key map written in reverse canonical order with NON_CANONICAL', () => {
    // DAG-CBOR order: shorter UTF-8 first, then bytewise. (Object.keys cannot tell it: JS puts "0" before "".)
    const canonicalOrder = (a: string, b: string): number => {
      const x = utf8ToBytes(a)
      const y = utf8ToBytes(b)
      if (x.length !== y.length) return x.length - y.length
      const i = x.findIndex((v, j) => v !== y[j])
      return i < 0 ? 0 : x[i]! - y[i]!
    }
    fc.assert(fc.property(fc.uniqueArray(fc.string({ maxLength: 6 }), { minLength: 2, maxLength: 2 }), pair => {
      const [first, second] = [...pair].sort(canonicalOrder) as [string, string]
      expect(decode(mapInOrder([[first, 1], [second, 2]]), 100)).toStrictEqual({ [first]: 1, [second]: 2 })
      expect(rejection(() => decode(mapInOrder([[second, 1], [first, 2]]), 100)).code).toBe('NON_CANONICAL')
    }), { numRuns: 300 })
  })

  it('rejects 0x18 0x05 (5 in two bytes) with NON_CANONICAL', () => {
    const err = rejection(() => decode(new Uint8Array([0x18, 0x05]), 100))
    expect(err).toBeInstanceOf(DecodeError)
    expect(err.code).toBe('NON_CANONICAL')
  })

  it('rejects every integer written longer than it needs with NON_CANONICAL', () => {
    const cases: Array<[string, number[]]> = [
      ['23 in one extra byte', [0x18, 23]],
      ['255 in two extra bytes', [0x19, 0x00, 0xff]],
      ['1 in four extra bytes', [0x1a, 0, 0, 0, 1]],
      ['5 in eight extra bytes', [0x1b, 0, 0, 0, 0, 0, 0, 0, 5]],
      ['-1 in one extra byte', [0x38, 0x00]],
      ['a one-byte string whose length takes an extra byte', [0x78, 0x01, 0x61]],
      ['a one-item list whose length takes an extra byte', [0x98, 0x01, 0x01]]
    ]
    for (const [what, bytes] of cases) {
      expect(rejection(() => decode(new Uint8Array(bytes), 100)).code, what).toBe('NON_CANONICAL')
    }
  })

  it('rejects indefinite-length lists and maps with NON_CANONICAL', () => {
    const cases: Array<[string, number[]]> = [
      ['list [1]', [0x9f, 0x01, 0xff]],
      ['map {a: 1}', [0xbf, 0x61, 0x61, 0x01, 0xff]]
    ]
    for (const [what, bytes] of cases) {
      expect(rejection(() => decode(new Uint8Array(bytes), 100)).code, what).toBe('NON_CANONICAL')
    }
  })

  it('rejects floats that stand for integers and the undefined value with NON_CANONICAL', () => {
    expect(rejection(() => decode(new Uint8Array([0xf9, 0x3c, 0x00]), 100)).code).toBe('NON_CANONICAL') // 1.0, half precision
    expect(rejection(() => decode(new Uint8Array([0xfb, 0x3f, 0xf0, 0, 0, 0, 0, 0, 0]), 100)).code).toBe('NON_CANONICAL') // 1.0
    expect(rejection(() => decode(new Uint8Array([0xf7]), 100)).code).toBe('NON_CANONICAL')
  })
})

describe('decode refuses oversized and broken input', () => {
  it('refuses input over the cap with TOO_LARGE before trying to parse it', () => {
    // Bytes that are not CBOR at all: the size check must come first.
    const err = rejection(() => decode(new Uint8Array(101).fill(0xff), 100, 'gossip message'))
    expect(err.code).toBe('TOO_LARGE')
    expect(err.message).toContain('101')
    expect(err.message).toContain('100')
    expect(err.message).toContain('gossip message')
  })

  it('accepts input exactly at the cap and refuses one byte more', () => {
    const bytes = encode(new Uint8Array(50))
    expect(decode(bytes, bytes.length)).toStrictEqual(new Uint8Array(50))
    expect(rejection(() => decode(bytes, bytes.length - 1)).code).toBe('TOO_LARGE')
  })

  it('rejects garbage, empty input and trailing bytes with MALFORMED', () => {
    for (const bytes of [[0xff, 0xff], [], [0x01, 0x01], [0x62, 0x61], [0xa1, 0x61, 0x61]]) {
      expect(rejection(() => decode(new Uint8Array(bytes), 100)).code, bytes.join(' ')).toBe('MALFORMED')
    }
  })

  it('rejects random bytes with a decoding error, never anything else', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 40 }), bytes => {
      try {
        const value = decode(bytes, 100)
        // Random bytes that happen to decode must be exactly canonical.
        expect(encode(value)).toStrictEqual(bytes)
      } catch (err) {
        expect(err).toBeInstanceOf(DecodeError)
        expect(['MALFORMED', 'NON_CANONICAL']).toContain((err as DecodeError).code)
      }
    }), { numRuns: 500 })
  })

  it('rejects something that is not a byte array with MALFORMED', () => {
    expect(rejection(() => decode('a1' as unknown as Uint8Array, 100)).code).toBe('MALFORMED')
  })
})

describe('record', () => {
  it('returns a map that has exactly the expected fields', () => {
    expect(record({ a: 1, b: 2 }, ['a', 'b'], 'pair')).toStrictEqual({ a: 1, b: 2 })
  })

  it('names an unknown field with UNKNOWN_FIELD', () => {
    const err = rejection(() => record({ a: 1, b: 2, c: 3 }, ['a', 'b'], 'pair'))
    expect(err.code).toBe('UNKNOWN_FIELD')
    expect(err.message).toContain('"c"')
    expect(err.message).toContain('pair')
  })

  it('names a missing field with MISSING_FIELD', () => {
    const err = rejection(() => record({ a: 1 }, ['a', 'b'], 'pair'))
    expect(err.code).toBe('MISSING_FIELD')
    expect(err.message).toContain('"b"')
  })

  it('takes an optional field when present or absent, and still refuses fields it was not told of', () => {
    expect(record({ a: 1, b: 2 }, ['a'], 'pair', ['b'])).toStrictEqual({ a: 1, b: 2 })
    expect(record({ a: 1 }, ['a'], 'pair', ['b'])).toStrictEqual({ a: 1 })
    expect(rejection(() => record({ a: 1, c: 3 }, ['a'], 'pair', ['b'])).code).toBe('UNKNOWN_FIELD')
    expect(rejection(() => record({ b: 2 }, ['a'], 'pair', ['b'])).code).toBe('MISSING_FIELD')
  })

  it('rejects lists, bytes, null, numbers and CIDs as maps with MALFORMED', () => {
    const cid = cidOf(encode(1))
    for (const value of [[1, 2], new Uint8Array(2), null, 7, 'text', cid]) {
      expect(rejection(() => record(value, ['a'], 'pair')).code).toBe('MALFORMED')
    }
    expect(CID.asCID(cid)).not.toBeNull()
  })
})

describe('field readers', () => {
  it('reads u64 values from numbers and bigints and refuses the rest with BAD_FIELD', () => {
    expect(readU64(0, 'amount')).toBe(0n)
    expect(readU64(5, 'amount')).toBe(5n)
    expect(readU64(U64_MAX, 'amount')).toBe(U64_MAX)
    for (const bad of [-1, 1.5, -1n, U64_MAX + 1n, '5', null, true]) {
      const err = rejection(() => readU64(bad, 'amount'))
      expect(err.code).toBe('BAD_FIELD')
      expect(err.message).toContain('"amount"')
    }
  })

  it('reads bounded integers and refuses values above the bound, negatives and fractions', () => {
    expect(readUint(65535, 'netuid', 65535)).toBe(65535)
    for (const bad of [65536, -1, 0.5, 1n, '1']) expect(rejection(() => readUint(bad, 'netuid', 65535)).code).toBe('BAD_FIELD')
  })

  it('reads byte strings of the required length only', () => {
    expect(readBytes(new Uint8Array(32), 'to', 32)).toHaveLength(32)
    expect(readBytes(new Uint8Array(3), 'salt')).toHaveLength(3)
    expect(rejection(() => readBytes(new Uint8Array(31), 'to', 32)).code).toBe('BAD_FIELD')
    expect(rejection(() => readBytes([1, 2], 'to')).code).toBe('BAD_FIELD')
  })

  it('reads text up to its limit, booleans, and bounded lists', () => {
    expect(readString('abc', 'name', 3)).toBe('abc')
    expect(rejection(() => readString('abcd', 'name', 3)).code).toBe('BAD_FIELD')
    expect(rejection(() => readString(3, 'name', 3)).code).toBe('BAD_FIELD')
    expect(readBool(false, 'approve')).toBe(false)
    expect(rejection(() => readBool(0, 'approve')).code).toBe('BAD_FIELD')
    expect(readList([1, 'a'], 'txs', 2)).toStrictEqual([1, 'a'])
    expect(rejection(() => readList([1, 2, 3], 'txs', 2)).code).toBe('BAD_FIELD')
    expect(readUintList([1, 2], 'uids', 10, 2)).toStrictEqual([1, 2])
    const err = rejection(() => readUintList([1, 11], 'uids', 10, 2))
    expect(err.code).toBe('BAD_FIELD')
    expect(err.message).toContain('uids[1]')
    expect(rejection(() => readUintList([1, 2, 3], 'uids', 10, 2)).code).toBe('BAD_FIELD')
  })
})
