/**
 * Canonical encoding: deterministic CBOR (DAG-CBOR) for everything that is signed or hashed.
 *
 * Decoding is strict. Input over the caller's size cap is refused before it is parsed; anything
 * that does not re-encode to the very same bytes (unsorted map keys, non-minimal integers,
 * floats where integers belong, indefinite lengths) is refused as non-canonical, so one message
 * has exactly one encoding and one hash. The field readers below turn decoded values into typed
 * ones and name the field that is wrong; records with unknown or missing fields are refused.
 */
import * as dagCbor from '@ipld/dag-cbor'
import { decode as cborDecode } from 'cborg'
import { CID } from 'multiformats/cid'
import { sha256 as sha256Hasher } from 'multiformats/hashes/sha2'
import * as Digest from 'multiformats/hashes/digest'
import { DecodeError } from './errors.ts'
import { equalBytes, hash } from './hash.ts'

/** Largest value of a u64 field. */
export const U64_MAX = (1n << 64n) - 1n

/**
 * DAG-CBOR's decoding rules, but tolerant of over-long integers and indefinite lengths, so that
 * such input reaches the re-encoding check and is named non-canonical rather than malformed.
 */
const LENIENT = { ...dagCbor.decodeOptions, strict: false, allowIndefinite: true }

export function encode (value: unknown): Uint8Array {
  return dagCbor.encode(value)
}

/** Decodes `bytes` (at most `maxBytes` long) and checks that they are the canonical encoding. */
export function decode (bytes: Uint8Array, maxBytes: number, what = 'message'): unknown {
  if (!(bytes instanceof Uint8Array)) throw new DecodeError('MALFORMED', `The ${what} is not a byte string.`)
  if (bytes.length > maxBytes) {
    throw new DecodeError('TOO_LARGE', `The ${what} is ${bytes.length} bytes; the limit is ${maxBytes}.`)
  }
  let value: unknown
  try {
    value = cborDecode(bytes, LENIENT)
  } catch (err) {
    throw new DecodeError('MALFORMED', `The ${what} is not valid CBOR (${(err as Error).message}).`)
  }
  let again: Uint8Array
  try {
    again = dagCbor.encode(value)
  } catch {
    throw new DecodeError('NON_CANONICAL', `The ${what} holds values that have no canonical encoding.`)
  }
  if (!equalBytes(again, bytes)) {
    throw new DecodeError('NON_CANONICAL', `The ${what} is not canonically encoded; encode it with deterministic CBOR.`)
  }
  return value
}

/** Content id (CIDv1, dag-cbor, sha2-256) of canonical bytes. */
export function cidOf (bytes: Uint8Array): CID {
  return CID.createV1(dagCbor.code, Digest.create(sha256Hasher.code, hash(bytes)))
}

// ---- field readers -----------------------------------------------------------------------

export type Fields = Record<string, unknown>

/**
 * Checks that `value` is a map with exactly the keys `keys`, plus any of `optional` (a field
 * added to a message later, so older senders stay readable), and returns it.
 */
export function record (value: unknown, keys: readonly string[], what: string, optional: readonly string[] = []): Fields {
  if (value === null || typeof value !== 'object' || Array.isArray(value) || value instanceof Uint8Array || CID.asCID(value) != null) {
    throw new DecodeError('MALFORMED', `The ${what} must be a map.`)
  }
  const fields = value as Fields
  for (const key of Object.keys(fields)) {
    if (!keys.includes(key) && !optional.includes(key)) throw new DecodeError('UNKNOWN_FIELD', `The ${what} has an unknown field "${key}".`)
  }
  for (const key of keys) {
    if (!(key in fields)) throw new DecodeError('MISSING_FIELD', `The ${what} lacks the field "${key}".`)
  }
  return fields
}

function bad (field: string, expected: string): DecodeError {
  return new DecodeError('BAD_FIELD', `The field "${field}" must be ${expected}.`)
}

export function readU64 (value: unknown, field: string): bigint {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return BigInt(value)
  if (typeof value === 'bigint' && value >= 0n && value <= U64_MAX) return value
  throw bad(field, 'an unsigned 64-bit integer')
}

export function readUint (value: unknown, field: string, max: number): number {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 && value <= max) return value
  throw bad(field, `an integer from 0 to ${max}`)
}

export function readBytes (value: unknown, field: string, length?: number): Uint8Array {
  if (value instanceof Uint8Array && (length === undefined || value.length === length)) return value
  throw bad(field, length === undefined ? 'a byte string' : `${length} bytes`)
}

export function readString (value: unknown, field: string, maxLength: number): string {
  if (typeof value === 'string' && value.length <= maxLength) return value
  throw bad(field, `text of at most ${maxLength} characters`)
}

export function readBool (value: unknown, field: string): boolean {
  if (typeof value === 'boolean') return value
  throw bad(field, 'true or false')
}

export function readUintList (value: unknown, field: string, max: number, maxLength: number): number[] {
  if (!Array.isArray(value) || value.length > maxLength) throw bad(field, `a list of at most ${maxLength} integers`)
  return value.map((v, i) => readUint(v, `${field}[${i}]`, max))
}

export function readList (value: unknown, field: string, maxLength: number): unknown[] {
  if (!Array.isArray(value) || value.length > maxLength) throw bad(field, `a list of at most ${maxLength} items`)
  return value
}
