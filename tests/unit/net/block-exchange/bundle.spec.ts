import { createHash } from 'node:crypto'
import * as dagCbor from '@ipld/dag-cbor'
import fc from 'fast-check'
import { CID } from 'multiformats/cid'
import * as raw from 'multiformats/codecs/raw'
import { identity } from 'multiformats/hashes/identity'
import { describe, expect, it } from 'vitest'
import { cidOf, encode } from '../../../../src/core/codec.ts'
import { assembleBundle, blockMatches, buildBundle, chunkCid, decodeManifest, encodeManifest, verifyBlock } from '../../../../src/net/block-exchange/bundle.ts'
import { MAX_BLOCK_BYTES, MAX_CHUNKS } from '../../../../src/net/block-exchange/constants.ts'
import { BlockExchangeError } from '../../../../src/net/block-exchange/errors.ts'
import { pseudoRandomBytes } from '../../../helpers/bytes.ts'

async function rejectionOf (fn: () => unknown): Promise<BlockExchangeError> {
  try {
    await fn()
  } catch (err) {
    expect(err).toBeInstanceOf(BlockExchangeError)
    return err as BlockExchangeError
  }
  throw new Error('expected a BlockExchangeError, but nothing was thrown')
}

describe('bundles', () => {
  it('cut bytes into raw-codec SHA-256 chunks named in a dag-cbor manifest, and assemble back', async () => {
    const bytes = pseudoRandomBytes(4 * 1024 * 1024 + 1)
    const bundle = await buildBundle(bytes, { name: 'model.onnx' })
    expect(bundle.chunks.map(c => c.bytes.length)).toEqual([1048576, 1048576, 1048576, 1048576, 1])
    for (const chunk of bundle.chunks) {
      expect(chunk.cid.code).toBe(raw.code)
      expect(chunk.cid.multihash.digest).toEqual(new Uint8Array(createHash('sha256').update(chunk.bytes).digest()))
    }
    expect(bundle.cid.code).toBe(dagCbor.code)
    expect(bundle.cid.equals(cidOf(bundle.manifestBytes))).toBe(true)
    expect(bundle.manifest).toEqual({ name: 'model.onnx', size: bytes.length, chunkSize: 1048576, chunks: bundle.chunks.map(c => c.cid) })
    expect(decodeManifest(bundle.manifestBytes)).toEqual(bundle.manifest)
    expect(await assembleBundle(bundle.manifest, bundle.chunks.map(c => c.bytes))).toEqual(bytes)
  })

  it('name the same bytes the same way every time (the CID is a function of the content)', async () => {
    const a = await buildBundle(pseudoRandomBytes(300_000, 7), { name: 'x', chunkSize: 65536 })
    const b = await buildBundle(pseudoRandomBytes(300_000, 7), { name: 'x', chunkSize: 65536 })
    const c = await buildBundle(pseudoRandomBytes(300_000, 8), { name: 'x', chunkSize: 65536 })
    expect(a.cid.toString()).toBe(b.cid.toString())
    expect(a.cid.toString()).not.toBe(c.cid.toString())
  })

  it('round-trip any bytes at any chunk size (property)', async () => {
    await fc.assert(fc.asyncProperty(fc.uint8Array({ maxLength: 5000 }), fc.integer({ min: 1, max: 1500 }), async (bytes, chunkSize) => {
      const bundle = await buildBundle(bytes, { name: 'p', chunkSize })
      expect(decodeManifest(encodeManifest(bundle.manifest))).toEqual(bundle.manifest)
      expect(await assembleBundle(decodeManifest(bundle.manifestBytes), bundle.chunks.map(c => c.bytes))).toEqual(bytes)
    }), { numRuns: 100 })
  })

  it('allow an empty bundle (no chunks)', async () => {
    const bundle = await buildBundle(new Uint8Array(), { name: 'empty' })
    expect(bundle.manifest.chunks).toEqual([])
    expect(await assembleBundle(bundle.manifest, [])).toEqual(new Uint8Array())
  })

  it('refuse a chunk size out of range, a bad name, or too many chunks', async () => {
    expect((await rejectionOf(async () => await buildBundle(new Uint8Array(4), { name: 'x', chunkSize: 0 }))).code).toBe('INVALID_BUNDLE')
    expect((await rejectionOf(async () => await buildBundle(new Uint8Array(4), { name: 'x', chunkSize: MAX_BLOCK_BYTES + 1 }))).code).toBe('INVALID_BUNDLE')
    expect((await rejectionOf(async () => await buildBundle(new Uint8Array(4), { name: '' }))).code).toBe('INVALID_BUNDLE')
    expect((await rejectionOf(async () => await buildBundle(new Uint8Array(4), { name: 'x'.repeat(257) }))).code).toBe('INVALID_BUNDLE')
    const err = await rejectionOf(async () => await buildBundle(new Uint8Array(MAX_CHUNKS + 1), { name: 'x', chunkSize: 1 }))
    expect(err.code).toBe('INVALID_BUNDLE')
    expect(err.message).toMatch(/use larger chunks/)
  })
})

describe('manifests', () => {
  const chunk = CID.createV1(raw.code, { code: 0x12, size: 32, digest: new Uint8Array(32), bytes: Uint8Array.of(0x12, 32, ...new Uint8Array(32)) })
  const good = { name: 'n', size: 10, chunkSize: 10, chunks: [chunk] }

  it.each([
    ['an unknown field', { ...good, extra: 1 }, /unknown field "extra"/],
    ['a missing field', { name: 'n', size: 10, chunkSize: 10 }, /lacks the field "chunks"/],
    ['a chunk count that does not match the size', { ...good, size: 11 }, /has 2 chunks, but the manifest lists 1/],
    ['a zero chunk size', { ...good, chunkSize: 0, size: 0, chunks: [] }, /chunk size/],
    ['an empty name', { ...good, name: '' }, /needs a name/],
    ['a chunk that is not a raw-codec CID', { ...good, chunks: [cidOf(encode(1))] }, /not a CIDv1 of the raw codec/],
    ['a chunk that is bytes, not a CID link', { ...good, chunks: [new Uint8Array(36)] }, /not a CIDv1 of the raw codec/],
    ['a chunk size over the block limit', { ...good, chunkSize: MAX_BLOCK_BYTES + 1 }, /chunkSize/]
  ])('refuse %s', (_what, value, message) => {
    let err: unknown
    try { decodeManifest(encode(value)) } catch (e) { err = e }
    expect(err).toBeInstanceOf(BlockExchangeError)
    expect((err as BlockExchangeError).code).toBe('INVALID_MANIFEST')
    expect((err as Error).message).toMatch(message)
  })

  it('refuse garbage, non-canonical CBOR and anything over the block size', () => {
    for (const bytes of [Uint8Array.of(0xff, 0x00), Uint8Array.of(0xa2, 0x61, 0x62, 0x01, 0x61, 0x61, 0x02), new Uint8Array(MAX_BLOCK_BYTES + 1)]) {
      expect(() => decodeManifest(bytes)).toThrow(BlockExchangeError)
    }
  })
})

describe('block checks', () => {
  it('accept the bytes a CID names and nothing else', async () => {
    const bytes = pseudoRandomBytes(1000)
    const cid = await chunkCid(bytes)
    expect(await blockMatches(cid, bytes)).toBe(true)
    const wrong = bytes.slice()
    wrong[999]! ^= 1
    expect(await blockMatches(cid, wrong)).toBe(false)
    expect((await rejectionOf(async () => { await verifyBlock(cid, wrong) })).code).toBe('BLOCK_HASH_MISMATCH')
  })

  it('refuse a block over the size cap before hashing it', async () => {
    const big = new Uint8Array(MAX_BLOCK_BYTES + 1)
    expect((await rejectionOf(async () => { await verifyBlock(await chunkCid(big), big) })).code).toBe('BLOCK_TOO_LARGE')
  })

  it('accept only SHA-256 CIDs (an identity "hash" proves nothing)', async () => {
    const bytes = Uint8Array.of(1, 2, 3)
    expect(await blockMatches(CID.createV1(raw.code, identity.digest(bytes)), bytes)).toBe(false)
  })
})
