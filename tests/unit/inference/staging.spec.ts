import { afterEach, describe, expect, it, vi } from 'vitest'
import { STAGING_ALIGN, STAGING_MAX_BYTES, STAGING_MIN_BYTES } from '../../../src/inference/constants.ts'
import type { Tensors } from '../../../src/inference/protocol.ts'
import { InputStaging, sharedTensor } from '../../../src/inference/staging.ts'

const floats = (n: number): Float32Array => Float32Array.from({ length: n }, (_, i) => i / 7)

describe('input staging in shared memory', () => {
  afterEach(() => { vi.unstubAllGlobals() })

  it('copies plain inputs into one SharedArrayBuffer, each aligned, with the same values, types and dims', () => {
    const staging = new InputStaging()
    const inputs: Tensors = {
      x: { type: 'float32', dims: [3], data: floats(3) },
      ids: { type: 'int64', dims: [2], data: BigInt64Array.from([5n, -7n]) },
      mask: { type: 'bool', dims: [5], data: Uint8Array.from([1, 0, 1, 1, 0]) }
    }
    const staged = staging.stage(inputs)!
    const buffer = staged.tensors.x!.data.buffer
    expect(buffer).toBeInstanceOf(SharedArrayBuffer)
    for (const [name, t] of Object.entries(staged.tensors)) {
      expect(t.data.buffer).toBe(buffer)
      expect(t.data.byteOffset % STAGING_ALIGN).toBe(0)
      expect(t.data.constructor).toBe(inputs[name]!.data.constructor)
      expect([...t.data as Iterable<unknown>]).toEqual([...inputs[name]!.data as Iterable<unknown>])
      expect([t.type, t.dims]).toEqual([inputs[name]!.type, inputs[name]!.dims])
    }
    expect(buffer.byteLength).toBe(STAGING_MIN_BYTES)
  })

  it('leaves inputs already in shared memory, and the buffers being transferred, as they are', () => {
    const staging = new InputStaging()
    const shared = { type: 'float32' as const, dims: [4], data: new Float32Array(new SharedArrayBuffer(16)) }
    const moved = { type: 'float32' as const, dims: [2], data: floats(2) }
    expect(staging.stage({ shared })).toBeUndefined()
    const staged = staging.stage({ shared, moved, copied: { type: 'float32', dims: [2], data: floats(2) } }, new Set([moved.data.buffer]))!
    expect(staged.tensors.shared).toBe(shared)
    expect(staged.tensors.moved).toBe(moved)
    expect(staged.tensors.copied!.data.buffer).toBeInstanceOf(SharedArrayBuffer)
  })

  it('lends a buffer to one run at a time and reuses it once it is given back', () => {
    const staging = new InputStaging()
    const x = { x: { type: 'float32' as const, dims: [8], data: floats(8) } }
    const a = staging.stage(x)!
    const b = staging.stage(x)!
    expect(b.tensors.x!.data.buffer).not.toBe(a.tensors.x!.data.buffer)
    a.release()
    a.release()
    const c = staging.stage(x)!
    expect(c.tensors.x!.data.buffer).toBe(a.tensors.x!.data.buffer)
    // Given back twice, it is still lent once.
    expect(staging.stage(x)!.tensors.x!.data.buffer).not.toBe(c.tensors.x!.data.buffer)
  })

  it('stages nothing over its limit: those inputs are cloned instead', () => {
    const staging = new InputStaging()
    const big = { type: 'uint8' as const, dims: [STAGING_MAX_BYTES + 1], data: new Uint8Array(STAGING_MAX_BYTES + 1) }
    expect(staging.stage({ big })).toBeUndefined()
  })

  it('gives a tensor of zeros in a SharedArrayBuffer when the page is cross-origin isolated, in a plain buffer otherwise', () => {
    const plain = sharedTensor('int32', [2, 3])
    expect(plain.data).toBeInstanceOf(Int32Array)
    expect(plain.data.buffer).toBeInstanceOf(ArrayBuffer)
    vi.stubGlobal('crossOriginIsolated', true)
    const shared = sharedTensor('float32', [2, 3])
    expect(shared.data.buffer).toBeInstanceOf(SharedArrayBuffer)
    expect([shared.type, shared.dims, [...shared.data as Float32Array]]).toEqual(['float32', [2, 3], [0, 0, 0, 0, 0, 0]])
  })
})
