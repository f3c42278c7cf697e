import { describe, expect, it } from 'vitest'
import {
  MAX_BLOCK_BYTES, MAX_HEADER_BYTES, blockId, decodeBlock, decodeSignedHeader, encodeBlock, encodeHeader, encodeSignedHeader,
  headerHash, signHeader, txRoot, verifyHeaderSignature, type BlockHeader
} from '../../../src/core/block.ts'
import { cidOf, encode } from '../../../src/core/codec.ts'
import { hash, toHex, utf8ToBytes } from '../../../src/core/hash.ts'
import { keypairFromLabel } from '../../../src/core/keys.ts'
import { merkleRoot } from '../../../src/core/merkle.ts'
import { MAX_TX_BYTES } from '../../../src/core/tx.ts'
import { rejection } from '../../helpers/errors.ts'

const producer = keypairFromLabel('producer')
const CHAIN = hash(utf8ToBytes('chain'))
const header: BlockHeader = {
  height: 7,
  parent: hash(utf8ToBytes('parent')),
  time: 1_700_000_000_000,
  txRoot: txRoot([new Uint8Array([1])]),
  stateRoot: hash(utf8ToBytes('state')),
  producer: producer.publicKey
}

describe('headers', () => {
  it('verify under the producer key and chain id, and not once changed', () => {
    const signed = signHeader(header, producer, CHAIN)
    expect(verifyHeaderSignature(signed, CHAIN)).toBe(true)
    expect(verifyHeaderSignature(signed, new Uint8Array(32))).toBe(false)
    expect(verifyHeaderSignature({ ...signed, header: { ...header, height: 8 } }, CHAIN)).toBe(false)
    expect(verifyHeaderSignature({ ...signed, header: { ...header, producer: keypairFromLabel('other').publicKey } }, CHAIN)).toBe(false)
  })

  it('round-trip through their signed encoding, under the header size cap', () => {
    const signed = signHeader(header, producer, CHAIN)
    const bytes = encodeSignedHeader(signed)
    expect(bytes.length).toBeLessThanOrEqual(MAX_HEADER_BYTES)
    expect(decodeSignedHeader(bytes)).toStrictEqual(signed)
  })

  it('hash and name the canonical header encoding', () => {
    expect(headerHash(header)).toStrictEqual(hash(encodeHeader(header)))
    expect(blockId(header)).toBe(cidOf(encodeHeader(header)).toString())
    expect(toHex(headerHash({ ...header, time: header.time + 1 }))).not.toBe(toHex(headerHash(header)))
  })

  it('reject extra fields, wrong field sizes and oversized input', () => {
    const sig = new Uint8Array(64)
    expect(rejection(() => decodeSignedHeader(encode({ header: { ...header, extra: 1 }, sig }))).code).toBe('UNKNOWN_FIELD')
    expect(rejection(() => decodeSignedHeader(encode({ header: { ...header, parent: new Uint8Array(31) }, sig }))).code).toBe('BAD_FIELD')
    expect(rejection(() => decodeSignedHeader(encode({ header: { ...header, height: -1 }, sig }))).code).toBe('BAD_FIELD')
    expect(rejection(() => decodeSignedHeader(encode({ header, sig: new Uint8Array(65) }))).code).toBe('BAD_FIELD')
    expect(rejection(() => decodeSignedHeader(new Uint8Array(MAX_HEADER_BYTES + 1))).code).toBe('TOO_LARGE')
  })
})

describe('blocks', () => {
  it('round-trip with their transactions as exact bytes', () => {
    const txs = [new Uint8Array([1, 2, 3]), new Uint8Array([4])]
    const block = { ...signHeader({ ...header, txRoot: txRoot(txs) }, producer, CHAIN), txs }
    expect(decodeBlock(encodeBlock(block))).toStrictEqual(block)
  })

  it('commit to the transactions in order', () => {
    const a = new Uint8Array([1])
    const b = new Uint8Array([2])
    expect(txRoot([a, b])).toStrictEqual(merkleRoot([hash(a), hash(b)]))
    expect(toHex(txRoot([a, b]))).not.toBe(toHex(txRoot([b, a])))
    expect(toHex(txRoot([]))).not.toBe(toHex(txRoot([a])))
  })

  it('reject a transaction over the transaction size cap with TOO_LARGE', () => {
    const block = { ...signHeader(header, producer, CHAIN), txs: [new Uint8Array(MAX_TX_BYTES + 1)] }
    expect(rejection(() => decodeBlock(encodeBlock(block))).code).toBe('TOO_LARGE')
  })

  it('reject input over the block size cap with TOO_LARGE, and transactions that are not bytes with BAD_FIELD', () => {
    expect(rejection(() => decodeBlock(new Uint8Array(MAX_BLOCK_BYTES + 1))).code).toBe('TOO_LARGE')
    const signed = signHeader(header, producer, CHAIN)
    expect(rejection(() => decodeBlock(encode({ ...signed, txs: ['tx'] }))).code).toBe('BAD_FIELD')
    expect(rejection(() => decodeBlock(encode({ ...signed }))).code).toBe('MISSING_FIELD')
  })
})
