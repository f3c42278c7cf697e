/**
 * Blocks: a signed header and the transactions' wire bytes.
 *
 * header = {height, parent, time, txRoot, stateRoot, producer}; its hash is H(canonical header),
 * and the producer signs that encoding under the `block` domain. `txRoot` is the Merkle root of
 * H(tx bytes) in block order; `stateRoot` is the state's root after the block is applied. A block
 * travels as the canonical map {header, sig, txs}, transactions kept as their exact bytes so that
 * their ids never change.
 */
import { cidOf, decode, encode, readBytes, readList, readUint, record } from './codec.ts'
import { BlockError } from './errors.ts'
import { hash } from './hash.ts'
import { sign, verify, type Keypair, type SignatureVerifier, PUBLIC_KEY_BYTES, SIGNATURE_BYTES } from './keys.ts'
import { merkleRoot } from './merkle.ts'
import { MAX_TX_BYTES } from './tx.ts'

/** Largest encoded block we accept, in bytes. */
export const MAX_BLOCK_BYTES = 8 * 1024 * 1024
/** Most transactions one block holds. */
export const MAX_BLOCK_TXS = 20_000
/** Largest encoded header (with its signature) we accept, in bytes. */
export const MAX_HEADER_BYTES = 512

export interface BlockHeader {
  height: number
  parent: Uint8Array
  /** Milliseconds since the Unix epoch, as the producer's clock read it; never decreases. */
  time: number
  txRoot: Uint8Array
  stateRoot: Uint8Array
  producer: Uint8Array
}

export interface SignedHeader { header: BlockHeader, sig: Uint8Array }
export interface Block extends SignedHeader { txs: Uint8Array[] }

export function encodeHeader (header: BlockHeader): Uint8Array {
  return encode(header)
}

export function headerHash (header: BlockHeader): Uint8Array {
  return hash(encodeHeader(header))
}

export function txRoot (txs: Uint8Array[]): Uint8Array {
  return merkleRoot(txs.map(tx => hash(tx)))
}

export function signHeader (header: BlockHeader, producer: Keypair, chainId: Uint8Array): SignedHeader {
  return { header, sig: sign(producer, 'block', chainId, encodeHeader(header)) }
}

export function verifyHeaderSignature (signed: SignedHeader, chainId: Uint8Array, verifier?: SignatureVerifier): boolean {
  return verify(signed.sig, 'block', chainId, encodeHeader(signed.header), signed.header.producer, verifier)
}

export function encodeBlock (block: Block): Uint8Array {
  return encode({ header: block.header, sig: block.sig, txs: block.txs })
}

export function encodeSignedHeader (signed: SignedHeader): Uint8Array {
  return encode({ header: signed.header, sig: signed.sig })
}

function readHeader (value: unknown): BlockHeader {
  const f = record(value, ['height', 'parent', 'time', 'txRoot', 'stateRoot', 'producer'], 'block header')
  return {
    height: readUint(f.height, 'height', Number.MAX_SAFE_INTEGER),
    parent: readBytes(f.parent, 'parent', 32),
    time: readUint(f.time, 'time', Number.MAX_SAFE_INTEGER),
    txRoot: readBytes(f.txRoot, 'txRoot', 32),
    stateRoot: readBytes(f.stateRoot, 'stateRoot', 32),
    producer: readBytes(f.producer, 'producer', PUBLIC_KEY_BYTES)
  }
}

export function decodeSignedHeader (bytes: Uint8Array): SignedHeader {
  const f = record(decode(bytes, MAX_HEADER_BYTES, 'block header'), ['header', 'sig'], 'signed header')
  return { header: readHeader(f.header), sig: readBytes(f.sig, 'sig', SIGNATURE_BYTES) }
}

export function decodeBlock (bytes: Uint8Array): Block {
  const f = record(decode(bytes, MAX_BLOCK_BYTES, 'block'), ['header', 'sig', 'txs'], 'block')
  const txs = readList(f.txs, 'txs', MAX_BLOCK_TXS).map((tx, i) => readBytes(tx, `txs[${i}]`))
  for (const tx of txs) {
    if (tx.length > MAX_TX_BYTES) throw new BlockError('TOO_LARGE', 'The block holds a transaction over the size limit.')
  }
  return { header: readHeader(f.header), sig: readBytes(f.sig, 'sig', SIGNATURE_BYTES), txs }
}

export function blockId (header: BlockHeader): string {
  return cidOf(encodeHeader(header)).toString()
}
