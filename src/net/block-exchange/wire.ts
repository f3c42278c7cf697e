/**
 * The frames of `/tabtensor/blocks/1.0.0`. One request per stream, then its answer, every frame
 * length-prefixed (unsigned varint) and capped:
 *
 * - request (≤ `MAX_REQUEST_BYTES`): canonical CBOR `{kind: 'have' | 'want', cids: [CID, …]}`,
 *   at most `MAX_HAVE_PER_REQUEST` or `MAX_WANT_PER_REQUEST` CIDs, each a SHA-256 CIDv1 of the raw
 *   (chunk) or dag-cbor (manifest) codec;
 * - answer frames (≤ `MAX_ANSWER_BYTES`): one status byte, then its body.
 *   `have` gets one `HAVE` frame whose body is a bitfield (bit i, least significant first, says
 *   whether the server holds cids[i]); `want` gets one frame per CID in request order, `BLOCK`
 *   with the block's bytes or `NOT_HELD`; either may instead get a single `BUSY` (the server is
 *   at its limit for this peer).
 *
 * Blocks go as raw bytes, not inside CBOR: the asker knows which CID each frame answers and checks
 * the bytes against it, and a megabyte need not be encoded, decoded and re-encoded (the canonical
 * check) on every hop.
 */
import { CID } from 'multiformats/cid'
import { decode, encode, readList, readString, record } from '../../core/codec.ts'
import { isChunkCid, isManifestCid } from './bundle.ts'
import { MAX_HAVE_PER_REQUEST, MAX_REQUEST_BYTES, MAX_WANT_PER_REQUEST } from './constants.ts'
import { PeerMisbehaviourError } from './errors.ts'

export type RequestKind = 'have' | 'want'

export interface BlockRequest {
  kind: RequestKind
  cids: CID[]
}

export const Status = { BLOCK: 0, NOT_HELD: 1, HAVE: 2, BUSY: 3 } as const
export type Status = typeof Status[keyof typeof Status]

export interface Answer {
  status: Status
  body: Uint8Array
}

const LIMIT: Record<RequestKind, number> = { have: MAX_HAVE_PER_REQUEST, want: MAX_WANT_PER_REQUEST }

function violation (message: string): PeerMisbehaviourError {
  return new PeerMisbehaviourError('PROTOCOL_VIOLATION', message)
}

export function encodeRequest (request: BlockRequest): Uint8Array {
  if (request.cids.length > LIMIT[request.kind]) throw new RangeError(`A ${request.kind} request lists at most ${LIMIT[request.kind]} CIDs.`)
  return encode({ kind: request.kind, cids: request.cids })
}

export function decodeRequest (bytes: Uint8Array): BlockRequest {
  let fields
  try {
    fields = record(decode(bytes, MAX_REQUEST_BYTES, 'block request'), ['kind', 'cids'], 'block request')
  } catch (err) {
    throw violation(`A block request is malformed: ${(err as Error).message}`)
  }
  const kind = readKind(fields.kind)
  let list: unknown[]
  try {
    list = readList(fields.cids, 'cids', LIMIT[kind])
  } catch (err) {
    throw violation(`A ${kind} request is malformed: ${(err as Error).message}`)
  }
  const cids = list.map((value, i) => {
    const cid = CID.asCID(value)
    if (cid == null || !(isChunkCid(cid) || isManifestCid(cid))) throw violation(`A ${kind} request's CID ${i} is not a SHA-256 CIDv1 of a chunk or a manifest.`)
    return cid
  })
  return { kind, cids }
}

function readKind (value: unknown): RequestKind {
  let kind: string
  try {
    kind = readString(value, 'kind', 8)
  } catch (err) {
    throw violation(`A block request is malformed: ${(err as Error).message}`)
  }
  if (kind !== 'have' && kind !== 'want') throw violation(`A block request's kind must be "have" or "want", not "${kind}".`)
  return kind
}

/** Bytes as a length-prefixed stream reads them (a list of chunks, flattened on `subarray`). */
export interface FrameBytes {
  byteLength: number
  subarray (start?: number, end?: number): Uint8Array
}

/** An answer frame: the status byte, then `body`. */
export function answerFrame (status: Status, body?: Uint8Array): Uint8Array {
  const frame = new Uint8Array(1 + (body?.length ?? 0))
  frame[0] = status
  if (body !== undefined) frame.set(body, 1)
  return frame
}

export function decodeAnswer (frame: FrameBytes): Answer {
  if (frame.byteLength === 0) throw violation('An answer frame is empty.')
  const status = frame.subarray(0, 1)[0]!
  if (status > Status.BUSY) throw violation(`An answer frame has the unknown status ${status}.`)
  return { status: status as Status, body: frame.subarray(1) }
}

/** The bitfield of a `have` answer. */
export function encodeHave (held: readonly boolean[]): Uint8Array {
  const bits = new Uint8Array(Math.ceil(held.length / 8))
  held.forEach((h, i) => { if (h) bits[i >> 3]! |= 1 << (i & 7) })
  return bits
}

/** Reads a `have` bitfield for `count` CIDs; it must be exactly long enough, with no bits past `count`. */
export function decodeHave (bits: Uint8Array, count: number): boolean[] {
  if (bits.length !== Math.ceil(count / 8)) throw violation(`A have answer for ${count} CIDs must be ${Math.ceil(count / 8)} bytes, not ${bits.length}.`)
  const tail = count & 7
  if (tail !== 0 && (bits[bits.length - 1]! >> tail) !== 0) throw violation('A have answer sets bits past the CIDs asked about.')
  return Array.from({ length: count }, (_, i) => (bits[i >> 3]! & (1 << (i & 7))) !== 0)
}
