/**
 * Content-addressed bundles. A bundle's bytes are cut into chunks of `chunkSize` bytes (the last
 * one shorter), each a block named by a CIDv1 of the raw codec over its SHA-256. The manifest,
 * canonical CBOR `{name, size, chunkSize, chunks: [CID, …]}` with the chunk CIDs as IPLD links, is
 * a block too, named by a CIDv1 of the dag-cbor codec (`cidOf`): that CID names the bundle. The
 * manifest fixes every chunk's length, so a fetcher knows the whole bundle's size and checks each
 * chunk on its own, from whoever sends it.
 *
 * Pure: building and checking do no I/O and run alike in a tab, a worker and the relay. Hashing
 * uses the platform's SHA-256 (WebCrypto in a browser, node:crypto in Node), hence async.
 */
import * as dagCbor from '@ipld/dag-cbor'
import { CID } from 'multiformats/cid'
import * as raw from 'multiformats/codecs/raw'
import { sha256 } from 'multiformats/hashes/sha2'
import { cidOf, decode, encode, readList, readString, readUint, record } from '../../core/codec.ts'
import { equalBytes } from '../../core/hash.ts'
import { DEFAULT_CHUNK_BYTES, MAX_BLOCK_BYTES, MAX_CHUNKS, MAX_NAME_LENGTH } from './constants.ts'
import { InvalidBlockError, InvalidManifestError } from './errors.ts'

export interface Manifest {
  name: string
  /** The bundle's length, in bytes. */
  size: number
  /** Every chunk's length but the last one's, in bytes. */
  chunkSize: number
  chunks: CID[]
}

export interface Block {
  cid: CID
  bytes: Uint8Array
}

export interface Bundle {
  /** The manifest's CID, which names the bundle. */
  cid: CID
  manifest: Manifest
  /** The manifest's canonical bytes (the block that `cid` names). */
  manifestBytes: Uint8Array
  chunks: Block[]
}

export interface BuildOptions {
  name: string
  chunkSize?: number
}

/** Whether `cid` names a chunk: CIDv1, raw codec, SHA-256. */
export function isChunkCid (cid: CID): boolean {
  return cid.version === 1 && cid.code === raw.code && cid.multihash.code === sha256.code && cid.multihash.size === 32
}

/** Whether `cid` names a manifest: CIDv1, dag-cbor codec, SHA-256. */
export function isManifestCid (cid: CID): boolean {
  return cid.version === 1 && cid.code === dagCbor.code && cid.multihash.code === sha256.code && cid.multihash.size === 32
}

/** The raw-codec CID of a chunk's bytes. */
export async function chunkCid (bytes: Uint8Array): Promise<CID> {
  return CID.createV1(raw.code, await sha256.digest(bytes))
}

/** Whether `bytes` are the block `cid` names (a chunk or a manifest); only SHA-256 CIDs are accepted. */
export async function blockMatches (cid: CID, bytes: Uint8Array): Promise<boolean> {
  if (!isChunkCid(cid) && !isManifestCid(cid)) return false
  if (bytes.length > MAX_BLOCK_BYTES) return false
  return equalBytes((await sha256.digest(bytes)).digest, cid.multihash.digest)
}

/** Throws unless `bytes` are the block `cid` names. */
export async function verifyBlock (cid: CID, bytes: Uint8Array): Promise<void> {
  if (bytes.length > MAX_BLOCK_BYTES) {
    throw new InvalidBlockError('BLOCK_TOO_LARGE', `Block ${cid.toString()} is ${bytes.length} bytes; the limit is ${MAX_BLOCK_BYTES}.`)
  }
  if (!(await blockMatches(cid, bytes))) {
    throw new InvalidBlockError('BLOCK_HASH_MISMATCH', `The bytes received for block ${cid.toString()} do not hash to its CID; they were dropped.`)
  }
}

/** Length of chunk `index` of a bundle described by `manifest`, in bytes. */
export function chunkLength (manifest: Pick<Manifest, 'size' | 'chunkSize'>, index: number): number {
  return Math.min(manifest.chunkSize, manifest.size - index * manifest.chunkSize)
}

export function encodeManifest (manifest: Manifest): Uint8Array {
  return encode({ name: manifest.name, size: manifest.size, chunkSize: manifest.chunkSize, chunks: manifest.chunks })
}

/** Decodes and checks a manifest block: canonical, the exact fields, chunk CIDs of the raw codec, and sizes that add up. */
export function decodeManifest (bytes: Uint8Array): Manifest {
  try {
    const fields = record(decode(bytes, MAX_BLOCK_BYTES, 'manifest'), ['name', 'size', 'chunkSize', 'chunks'], 'manifest')
    const name = readString(fields.name, 'name', MAX_NAME_LENGTH)
    const chunkSize = readUint(fields.chunkSize, 'chunkSize', MAX_BLOCK_BYTES)
    const size = readUint(fields.size, 'size', MAX_CHUNKS * MAX_BLOCK_BYTES)
    const chunks = readList(fields.chunks, 'chunks', MAX_CHUNKS).map((value, i) => {
      const cid = CID.asCID(value)
      if (cid == null || !isChunkCid(cid)) throw new InvalidManifestError('INVALID_MANIFEST', `The manifest's chunk ${i} is not a CIDv1 of the raw codec over SHA-256.`)
      return cid
    })
    return checkManifest({ name, size, chunkSize, chunks })
  } catch (err) {
    if (err instanceof InvalidManifestError) throw err
    throw new InvalidManifestError('INVALID_MANIFEST', `The manifest is invalid: ${(err as Error).message}`, { cause: err })
  }
}

function checkManifest (manifest: Manifest): Manifest {
  const { name, size, chunkSize, chunks } = manifest
  if (name.length === 0) throw new InvalidManifestError('INVALID_MANIFEST', 'A bundle needs a name.')
  if (chunkSize < 1) throw new InvalidManifestError('INVALID_MANIFEST', `The chunk size must be from 1 to ${MAX_BLOCK_BYTES} bytes.`)
  if (chunks.length !== Math.ceil(size / chunkSize)) {
    throw new InvalidManifestError('INVALID_MANIFEST', `A ${size}-byte bundle in ${chunkSize}-byte chunks has ${Math.ceil(size / chunkSize)} chunks, but the manifest lists ${chunks.length}.`)
  }
  return manifest
}

/** Cuts `bytes` into chunks and makes the manifest that names them. */
export async function buildBundle (bytes: Uint8Array, options: BuildOptions): Promise<Bundle> {
  const chunkSize = options.chunkSize ?? DEFAULT_CHUNK_BYTES
  if (!Number.isSafeInteger(chunkSize) || chunkSize < 1 || chunkSize > MAX_BLOCK_BYTES) {
    throw new InvalidManifestError('INVALID_BUNDLE', `The chunk size must be a whole number of bytes from 1 to ${MAX_BLOCK_BYTES}, not ${chunkSize}.`)
  }
  if (options.name.length === 0 || options.name.length > MAX_NAME_LENGTH) {
    throw new InvalidManifestError('INVALID_BUNDLE', `A bundle's name must be 1 to ${MAX_NAME_LENGTH} characters long.`)
  }
  if (Math.ceil(bytes.length / chunkSize) > MAX_CHUNKS) {
    throw new InvalidManifestError('INVALID_BUNDLE', `A ${bytes.length}-byte bundle would need over ${MAX_CHUNKS} chunks of ${chunkSize} bytes; use larger chunks (up to ${MAX_BLOCK_BYTES} bytes) or split it.`)
  }
  const chunks: Block[] = []
  for (let offset = 0; offset < bytes.length; offset += chunkSize) {
    const chunk = bytes.subarray(offset, offset + chunkSize)
    chunks.push({ cid: await chunkCid(chunk), bytes: chunk })
  }
  const manifest: Manifest = { name: options.name, size: bytes.length, chunkSize, chunks: chunks.map(c => c.cid) }
  const manifestBytes = encodeManifest(manifest)
  if (manifestBytes.length > MAX_BLOCK_BYTES) throw new InvalidManifestError('INVALID_BUNDLE', 'The manifest would be over the block size limit; use larger chunks.')
  return { cid: cidOf(manifestBytes), manifest, manifestBytes, chunks }
}

/** The bundle's bytes from its chunks, each checked against the manifest's CIDs and lengths. */
export async function assembleBundle (manifest: Manifest, chunks: readonly Uint8Array[]): Promise<Uint8Array> {
  if (chunks.length !== manifest.chunks.length) throw new InvalidManifestError('INVALID_MANIFEST', `The bundle has ${manifest.chunks.length} chunks; ${chunks.length} were given.`)
  const out = new Uint8Array(manifest.size)
  for (let i = 0; i < chunks.length; i++) {
    const chunk = chunks[i]!
    if (chunk.length !== chunkLength(manifest, i)) {
      throw new InvalidBlockError('BLOCK_HASH_MISMATCH', `Chunk ${i} is ${chunk.length} bytes; the manifest says ${chunkLength(manifest, i)}.`)
    }
    await verifyBlock(manifest.chunks[i]!, chunk)
    out.set(chunk, i * manifest.chunkSize)
  }
  return out
}
