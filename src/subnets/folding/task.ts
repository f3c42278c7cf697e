/**
 * Tasks from seeds, and the canonical bytes of tasks and results.
 *
 * A validator derives a fresh seed per task, so a task's sequence cannot be looked up in a table of
 * solved ones. Everything is drawn from a SHA-256 counter stream of the seed (no Math.random), so
 * every validator and any auditor derive the same task from the same seed. The sequence holds an
 * exact number of H residues (40–60 % by default) shuffled by Fisher–Yates from the same stream.
 *
 * Tasks and results travel as deterministic CBOR maps with size caps; decoding refuses anything
 * non-canonical, oversized, with unknown or missing fields, or out of range, with a stable code.
 */
import { sha256 } from '@noble/hashes/sha2.js'
import { decode, encode, readString, readUint, record } from '../../core/codec.ts'
import { LedgerError } from '../../core/errors.ts'
import { concatBytes, toHex, utf8ToBytes } from '../../core/hash.ts'
import { SubnetInputError } from '../subnet.ts'
import {
  MAX_RESULT_BYTES, MAX_SEQUENCE_LENGTH, MAX_TASK_BYTES, MIN_SEQUENCE_LENGTH, TASK_ID_HEX_LENGTH,
  TASK_MAX_H_PER_MILLE, TASK_MAX_LENGTH, TASK_MIN_H_PER_MILLE, TASK_MIN_LENGTH
} from './constants.ts'
import { foldingError } from './errors.ts'
import type { FoldingDims, FoldingResult, FoldingTask } from './types.ts'

export interface TaskOptions {
  /** Fixes the lattice; by default the seed picks 2D or 3D with equal odds. */
  dims?: FoldingDims
  /** Range of sequence lengths, in residues (defaults TASK_MIN_LENGTH–TASK_MAX_LENGTH). */
  minLength?: number
  maxLength?: number
}

const DOMAIN = utf8ToBytes('tabtensor/folding/task/v1')

/** An endless stream of unsigned 32-bit integers: SHA-256(domain ‖ seed ‖ counter), 8 per block. */
function seedStream (seed: Uint8Array): () => number {
  let counter = 0
  let block = new Uint32Array(0)
  let next = 0
  return () => {
    if (next === block.length) {
      const c = new Uint8Array(4)
      new DataView(c.buffer).setUint32(0, counter++)
      const digest = sha256(concatBytes(DOMAIN, seed, c))
      const view = new DataView(digest.buffer, digest.byteOffset, digest.byteLength)
      block = Uint32Array.from({ length: 8 }, (_, i) => view.getUint32(4 * i))
      next = 0
    }
    return block[next++]!
  }
}

/** A uniform integer in [lo, hi], by rejection so no value is favoured. */
function uniform (draw: () => number, lo: number, hi: number): number {
  const span = hi - lo + 1
  const limit = Math.floor(2 ** 32 / span) * span
  for (;;) {
    const r = draw()
    if (r < limit) return lo + (r % span)
  }
}

/** The task determined by `seed`. */
export function newFoldingTask (seed: Uint8Array, options: TaskOptions = {}): FoldingTask {
  const minLength = options.minLength ?? TASK_MIN_LENGTH
  const maxLength = options.maxLength ?? TASK_MAX_LENGTH
  if (!(Number.isInteger(minLength) && Number.isInteger(maxLength) && MIN_SEQUENCE_LENGTH <= minLength && minLength <= maxLength && maxLength <= MAX_SEQUENCE_LENGTH)) {
    throw new RangeError(`Task lengths must satisfy ${MIN_SEQUENCE_LENGTH} ≤ minLength ≤ maxLength ≤ ${MAX_SEQUENCE_LENGTH}.`)
  }
  const draw = seedStream(seed)
  const id = toHex(sha256(concatBytes(DOMAIN, utf8ToBytes('/id'), seed))).slice(0, TASK_ID_HEX_LENGTH)
  const dims: FoldingDims = options.dims ?? ((draw() & 1) === 0 ? 2 : 3)
  const n = uniform(draw, minLength, maxLength)
  const h = uniform(draw, Math.ceil((n * TASK_MIN_H_PER_MILLE) / 1000), Math.floor((n * TASK_MAX_H_PER_MILLE) / 1000))
  const residues = Array.from({ length: n }, (_, i) => (i < h ? 'H' : 'P'))
  for (let i = n - 1; i > 0; i--) {
    const j = uniform(draw, 0, i)
    const t = residues[i]!
    residues[i] = residues[j]!
    residues[j] = t
  }
  return { dims, sequence: residues.join(''), id }
}

/** Turns the codec's decoding errors into the subnet's, keeping their codes. */
function asSubnetError (err: unknown): never {
  if (err instanceof LedgerError) throw new SubnetInputError(err.code, err.message)
  throw err
}

const TASK_ID = /^[0-9a-f]+$/

function readTaskId (value: unknown, field: string): string {
  const id = readString(value, field, TASK_ID_HEX_LENGTH)
  if (id.length !== TASK_ID_HEX_LENGTH || !TASK_ID.test(id)) {
    throw foldingError('BAD_TASK_ID', `The field "${field}" must be ${TASK_ID_HEX_LENGTH} lowercase hex characters.`)
  }
  return id
}

export function encodeFoldingTask (task: FoldingTask): Uint8Array {
  return encode({ dims: task.dims, id: task.id, sequence: task.sequence })
}

export function decodeFoldingTask (bytes: Uint8Array): FoldingTask {
  try {
    const fields = record(decode(bytes, MAX_TASK_BYTES, 'folding task'), ['dims', 'id', 'sequence'], 'folding task')
    const dims = readUint(fields.dims, 'dims', 3)
    if (dims !== 2 && dims !== 3) throw foldingError('BAD_DIMS', 'The field "dims" must be 2 (square lattice) or 3 (cubic lattice).')
    const sequence = readString(fields.sequence, 'sequence', MAX_SEQUENCE_LENGTH)
    if (sequence.length < MIN_SEQUENCE_LENGTH || !/^[HP]+$/.test(sequence)) {
      throw foldingError('BAD_SEQUENCE', `The sequence must be ${MIN_SEQUENCE_LENGTH}–${MAX_SEQUENCE_LENGTH} letters H and P.`)
    }
    return { dims, sequence, id: readTaskId(fields.id, 'id') }
  } catch (err) {
    return asSubnetError(err)
  }
}

export function encodeFoldingResult (result: FoldingResult): Uint8Array {
  return encode({ moves: result.moves, taskId: result.taskId })
}

/** Decodes a result; the move string is capped at the longest fold any task can ask for. */
export function decodeFoldingResult (bytes: Uint8Array): FoldingResult {
  try {
    const fields = record(decode(bytes, MAX_RESULT_BYTES, 'folding result'), ['moves', 'taskId'], 'folding result')
    return { taskId: readTaskId(fields.taskId, 'taskId'), moves: readString(fields.moves, 'moves', MAX_SEQUENCE_LENGTH - 1) }
  } catch (err) {
    return asSubnetError(err)
  }
}
