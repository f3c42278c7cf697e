import { describe, expect, it } from 'vitest'
import { MAX_MODEL_BYTES, MAX_RANK, MAX_TENSORS } from '../../../src/inference/constants.ts'
import { InvalidInputError, ProtocolViolationError } from '../../../src/inference/errors.ts'
import { checkTensor, checkTensors, parseRequest, parseResponse, transferables } from '../../../src/inference/protocol.ts'

const x = { type: 'float32', dims: [2, 3], data: new Float32Array(6) }

describe('the page–worker protocol', () => {
  it('accepts each request type in its shape', () => {
    expect(parseRequest({ id: 1, type: 'init', ortBase: '/ort/', threads: 2 })).toEqual({ id: 1, type: 'init', ortBase: '/ort/', threads: 2, maxModelBytes: undefined })
    expect(parseRequest({ id: 2, type: 'load', modelId: 'm', bytes: new Uint8Array(4), backend: 'wasm' })).toMatchObject({ type: 'load', modelId: 'm', backend: 'wasm' })
    expect(parseRequest({ id: 3, type: 'run', session: 'm@wasm', feeds: { x } })).toMatchObject({ type: 'run', feeds: { x } })
    expect(parseRequest({ id: 4, type: 'release', session: 'm@wasm' })).toMatchObject({ type: 'release' })
  })

  it('refuses requests without an id, of unknown types, or with fields of the wrong kind', () => {
    for (const bad of [null, 'init', { type: 'init', ortBase: '' }, { id: 1.5, type: 'init', ortBase: '' }, { id: 1, type: 'eval' }, { id: 1, type: 'init', ortBase: '', threads: 0 },
      { id: 1, type: 'load', modelId: 'm', bytes: [1, 2] }, { id: 1, type: 'load', modelId: '', bytes: new Uint8Array(1) }, { id: 1, type: 'load', modelId: 'm', bytes: new Uint8Array(1), backend: 'cuda' },
      { id: 1, type: 'release', session: 'x'.repeat(300) }]) {
      expect(() => parseRequest(bad)).toThrow(ProtocolViolationError)
    }
  })

  it('caps a model\'s size', () => {
    const huge = { length: MAX_MODEL_BYTES + 1 }
    Object.setPrototypeOf(huge, Uint8Array.prototype)
    expect(() => parseRequest({ id: 1, type: 'load', modelId: 'm', bytes: huge })).toThrow(/never sent/)
  })

  it('checks every tensor: type, its typed array, rank, dimensions that multiply to its length', () => {
    expect(checkTensor(x, 'x')).toEqual(x)
    expect(checkTensor({ type: 'int64', dims: [2], data: new BigInt64Array(2) }, 'ids').type).toBe('int64')
    for (const bad of [
      { ...x, type: 'complex64' },
      { ...x, data: new Float64Array(6) },
      { ...x, dims: [2, 2] },
      { ...x, dims: [2, -3] },
      { ...x, dims: [2, 1.5, 2] },
      { ...x, dims: new Array(MAX_RANK + 1).fill(1), data: new Float32Array(1) },
      { ...x, data: [0, 0, 0, 0, 0, 0] }
    ]) expect(() => checkTensor(bad, 'x')).toThrow(InvalidInputError)
  })

  it('caps the number of tensors and their total size', () => {
    const many = Object.fromEntries(Array.from({ length: MAX_TENSORS + 1 }, (_, i) => [`t${i}`, { type: 'uint8', dims: [1], data: new Uint8Array(1) }]))
    expect(() => checkTensors(many, 'The inputs')).toThrow(/tensors; the limit/)
    const big = { type: 'uint8', dims: [1], data: new Uint8Array(1) }
    Object.defineProperty(big.data, 'byteLength', { value: 300 * 1024 * 1024 })
    expect(() => checkTensors({ a: big }, 'The inputs')).toThrow(/bytes in all/)
  })

  it('transfers whole buffers only, each once', () => {
    const whole = new Float32Array(6)
    const shared = new Float32Array(12)
    const list = transferables({ a: { type: 'float32', dims: [6], data: whole }, b: { type: 'float32', dims: [6], data: whole }, c: { type: 'float32', dims: [6], data: shared.subarray(6) } })
    expect(list).toEqual([whole.buffer])
  })

  it('reads answers: a result, or an error with a known code; anything else is a violation', () => {
    expect(parseResponse({ id: 1, ok: true, result: { a: 1 } })).toEqual({ id: 1, ok: true, result: { a: 1 } })
    expect(parseResponse({ id: 2, ok: false, error: { code: 'CORRUPT_MODEL', message: 'damaged', fatal: true } })).toEqual({ id: 2, ok: false, error: { code: 'CORRUPT_MODEL', message: 'damaged', fatal: true } })
    for (const bad of [{ ok: true }, { id: 1, ok: false, error: { code: 'EVIL', message: 'x' } }, { id: 1, ok: false }, { id: 1, ok: 'yes' }]) {
      expect(() => parseResponse(bad)).toThrow(ProtocolViolationError)
    }
  })
})
