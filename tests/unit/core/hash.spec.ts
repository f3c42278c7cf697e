import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { bytesToBigInt, equalBytes, fromHex, hash, toHex, u64be, utf8ToBytes } from '../../../src/core/hash.ts'

describe('hashing helpers', () => {
  it('hashes with SHA-256, the same whether the input comes in one part or several', () => {
    expect(toHex(hash(utf8ToBytes('abc')))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad')
    expect(hash(utf8ToBytes('a'), utf8ToBytes('bc'))).toStrictEqual(hash(utf8ToBytes('abc')))
  })

  it('round-trips bytes through hex, and refuses text that is not hex', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 64 }), bytes => {
      expect(fromHex(toHex(bytes))).toStrictEqual(bytes)
      expect(toHex(bytes)).toMatch(/^[0-9a-f]*$/)
    }))
    for (const bad of ['abc', 'zz', '0x12', ' 12']) expect(() => fromHex(bad)).toThrow()
  })

  it('compares bytes exactly', () => {
    expect(equalBytes(new Uint8Array([1, 2]), new Uint8Array([1, 2]))).toBe(true)
    expect(equalBytes(new Uint8Array([1, 2]), new Uint8Array([1, 3]))).toBe(false)
    expect(equalBytes(new Uint8Array([1]), new Uint8Array([1, 0]))).toBe(false)
  })

  it('reads big-endian integers and writes u64s', () => {
    expect(bytesToBigInt(new Uint8Array())).toBe(0n)
    expect(bytesToBigInt(new Uint8Array([1, 0]))).toBe(256n)
    expect([...u64be(258)]).toStrictEqual([0, 0, 0, 0, 0, 0, 1, 2])
    fc.assert(fc.property(fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }), n => {
      expect(bytesToBigInt(u64be(n))).toBe(n)
    }))
  })
})
