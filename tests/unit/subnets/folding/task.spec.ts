import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { encode } from '../../../../src/core/codec.ts'
import { utf8ToBytes } from '../../../../src/core/hash.ts'
import { MAX_RESULT_BYTES, MAX_SEQUENCE_LENGTH, MAX_TASK_BYTES, TASK_MAX_LENGTH, TASK_MIN_LENGTH } from '../../../../src/subnets/folding/constants.ts'
import {
  decodeFoldingResult, decodeFoldingTask, encodeFoldingResult, encodeFoldingTask, newFoldingTask
} from '../../../../src/subnets/folding/task.ts'
import { subnetRejection } from '../../../helpers/subnet-errors.ts'

const seedArbitrary = fc.uint8Array({ minLength: 0, maxLength: 48 })
const ID = '0123456789abcdef0123456789abcdef'

describe('newFoldingTask', () => {
  it('derives the same task from the same seed and different tasks from different seeds', () => {
    const a = newFoldingTask(utf8ToBytes('seed a'))
    expect(newFoldingTask(utf8ToBytes('seed a'))).toStrictEqual(a)
    const b = newFoldingTask(utf8ToBytes('seed b'))
    expect(b.id).not.toBe(a.id)
    expect(b.sequence).not.toBe(a.sequence)
  })

  it('draws lengths in the configured range and 40–60 % H residues', () => {
    fc.assert(fc.property(seedArbitrary, seed => {
      const task = newFoldingTask(seed)
      const n = task.sequence.length
      expect(n).toBeGreaterThanOrEqual(TASK_MIN_LENGTH)
      expect(n).toBeLessThanOrEqual(TASK_MAX_LENGTH)
      expect(task.sequence).toMatch(/^[HP]+$/)
      const h = task.sequence.split('').filter(c => c === 'H').length
      expect(h).toBeGreaterThanOrEqual(Math.ceil(0.4 * n))
      expect(h).toBeLessThanOrEqual(Math.floor(0.6 * n))
      expect([2, 3]).toContain(task.dims)
      expect(task.id).toMatch(/^[0-9a-f]{32}$/)
    }), { numRuns: 200 })
  })

  it('spreads over the whole length range and both lattices', () => {
    const tasks = Array.from({ length: 400 }, (_, i) => newFoldingTask(utf8ToBytes(`spread ${i}`)))
    const lengths = tasks.map(t => t.sequence.length)
    expect(Math.min(...lengths)).toBe(TASK_MIN_LENGTH)
    expect(Math.max(...lengths)).toBe(TASK_MAX_LENGTH)
    const threeD = tasks.filter(t => t.dims === 3).length
    expect(threeD).toBeGreaterThan(150)
    expect(threeD).toBeLessThan(250)
  })

  it('takes a fixed lattice and length range', () => {
    const task = newFoldingTask(utf8ToBytes('x'), { dims: 3, minLength: 30, maxLength: 30 })
    expect(task.dims).toBe(3)
    expect(task.sequence).toHaveLength(30)
    expect(() => newFoldingTask(utf8ToBytes('x'), { minLength: 10, maxLength: 5 })).toThrow(RangeError)
    expect(() => newFoldingTask(utf8ToBytes('x'), { maxLength: MAX_SEQUENCE_LENGTH + 1 })).toThrow(RangeError)
  })
})

describe('task and result encoding', () => {
  it('decodes what it encodes, for tasks and results', () => {
    fc.assert(fc.property(seedArbitrary, fc.string({ unit: fc.constantFrom(...'RLUDFB'), maxLength: 63 }), (seed, moves) => {
      const task = newFoldingTask(seed)
      expect(decodeFoldingTask(encodeFoldingTask(task))).toStrictEqual(task)
      const result = { taskId: task.id, moves }
      expect(decodeFoldingResult(encodeFoldingResult(result))).toStrictEqual(result)
    }), { numRuns: 100 })
  })

  it('fits a full-length task and result under the caps', () => {
    const task = { dims: 3 as const, sequence: 'H'.repeat(MAX_SEQUENCE_LENGTH), id: ID }
    expect(encodeFoldingTask(task).length).toBeLessThanOrEqual(MAX_TASK_BYTES)
    expect(decodeFoldingTask(encodeFoldingTask(task))).toStrictEqual(task)
    const result = { taskId: ID, moves: 'B'.repeat(MAX_SEQUENCE_LENGTH - 1) }
    expect(encodeFoldingResult(result).length).toBeLessThanOrEqual(MAX_RESULT_BYTES)
    expect(decodeFoldingResult(encodeFoldingResult(result))).toStrictEqual(result)
  })

  it('refuses oversized bytes before parsing them with TOO_LARGE', () => {
    expect(subnetRejection(() => decodeFoldingResult(new Uint8Array(MAX_RESULT_BYTES + 1))).code).toBe('TOO_LARGE')
    expect(subnetRejection(() => decodeFoldingTask(new Uint8Array(MAX_TASK_BYTES + 1))).code).toBe('TOO_LARGE')
  })

  it('refuses a move string longer than any task allows', () => {
    const bytes = encode({ moves: 'R'.repeat(MAX_SEQUENCE_LENGTH), taskId: ID })
    expect(bytes.length).toBeLessThanOrEqual(MAX_RESULT_BYTES)
    expect(subnetRejection(() => decodeFoldingResult(bytes)).code).toBe('BAD_FIELD')
  })

  it('refuses non-canonical bytes with NON_CANONICAL', () => {
    const canonical = encodeFoldingResult({ taskId: ID, moves: 'RUL' })
    // Same map with its two keys written in the wrong order.
    const text = (s: string): number[] => [0x60 | s.length, ...utf8ToBytes(s)]
    const unsorted = new Uint8Array([0xa2, ...text('taskId'), 0x78, 32, ...utf8ToBytes(ID), ...text('moves'), ...text('RUL')])
    expect(unsorted.length).toBe(canonical.length)
    expect(subnetRejection(() => decodeFoldingResult(unsorted)).code).toBe('NON_CANONICAL')
    // The moves string with a non-minimal (one-byte) length.
    const long = new Uint8Array([0xa2, ...text('moves'), 0x78, 3, ...utf8ToBytes('RUL'), ...text('taskId'), 0x78, 32, ...utf8ToBytes(ID)])
    expect(subnetRejection(() => decodeFoldingResult(long)).code).toBe('NON_CANONICAL')
  })

  it('refuses garbage, unknown and missing fields and bad values with their codes', () => {
    expect(subnetRejection(() => decodeFoldingResult(new Uint8Array([0xff, 0x00]))).code).toBe('MALFORMED')
    expect(subnetRejection(() => decodeFoldingResult(encode([1, 2]))).code).toBe('MALFORMED')
    expect(subnetRejection(() => decodeFoldingResult(encode({ moves: 'R', taskId: ID, energy: -3 }))).code).toBe('UNKNOWN_FIELD')
    expect(subnetRejection(() => decodeFoldingResult(encode({ moves: 'R' }))).code).toBe('MISSING_FIELD')
    expect(subnetRejection(() => decodeFoldingResult(encode({ moves: 7, taskId: ID }))).code).toBe('BAD_FIELD')
    expect(subnetRejection(() => decodeFoldingResult(encode({ moves: 'R', taskId: 'ABC' }))).code).toBe('BAD_TASK_ID')
    expect(subnetRejection(() => decodeFoldingResult(encode({ moves: 'R', taskId: ID.toUpperCase() }))).code).toBe('BAD_TASK_ID')
    expect(subnetRejection(() => decodeFoldingTask(encode({ dims: 4, id: ID, sequence: 'HPPH' }))).code).toBe('BAD_FIELD')
    expect(subnetRejection(() => decodeFoldingTask(encode({ dims: 1, id: ID, sequence: 'HPPH' }))).code).toBe('BAD_DIMS')
    expect(subnetRejection(() => decodeFoldingTask(encode({ dims: 2, id: ID, sequence: 'HPXH' }))).code).toBe('BAD_SEQUENCE')
    expect(subnetRejection(() => decodeFoldingTask(encode({ dims: 2, id: ID, sequence: 'HP' }))).code).toBe('BAD_SEQUENCE')
  })

  it('never throws anything but a SubnetInputError on random bytes', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 200 }), bytes => {
      for (const decodeIt of [decodeFoldingResult, decodeFoldingTask]) {
        try {
          decodeIt(bytes)
        } catch (err) {
          expect((err as Error).name).toBe('SubnetInputError')
        }
      }
    }), { numRuns: 500 })
  })
})
