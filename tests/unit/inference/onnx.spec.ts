import fc from 'fast-check'
import * as ort from 'onnxruntime-node'
import { describe, expect, it } from 'vitest'
import { CorruptModelError } from '../../../src/inference/errors.ts'
import { inspectModel } from '../../../src/inference/onnx/inspect.ts'
import { encodeModel, IR_VERSION, OPSET_VERSION } from '../../../src/inference/onnx/model.ts'
import { ProtoWriter, readFields, varints } from '../../../src/inference/onnx/proto.ts'
import { REFERENCE_MLP, referenceModel } from '../../../src/inference/reference-model.ts'
import { TEST_CONV, TEST_MLP, testConv, testMlp, truncatedModel, unsupportedOperatorModel } from '../../helpers/onnx-models.ts'

describe('the protobuf writer and reader', () => {
  it('reads back every field it writes, negative int64 values included', () => {
    const bytes = new ProtoWriter().int(1, 300).int(2, -1).string(3, 'héllo').float(4, 1.5).message(5, w => w.int(1, 7)).finish()
    const fields = [...readFields(bytes)]
    expect(fields.map(f => f.field)).toEqual([1, 2, 3, 4, 5])
    expect(fields[0]!.value).toBe(300n)
    expect(BigInt.asIntN(64, fields[1]!.value as bigint)).toBe(-1n)
    expect(new TextDecoder().decode(fields[2]!.value as Uint8Array)).toBe('héllo')
    expect(new DataView((fields[3]!.value as Uint8Array).slice().buffer).getFloat32(0, true)).toBe(1.5)
    expect([...readFields(fields[4]!.value as Uint8Array)][0]!.value).toBe(7n)
  })

  it('reads packed repeated integers as well as unpacked ones', () => {
    const packed = new ProtoWriter().bytes(1, Uint8Array.from([3, 0xac, 0x02, 5])).finish()
    expect(varints([...readFields(packed)][0]!)).toEqual([3n, 300n, 5n])
  })

  it('never reads past the end or allocates what a length claims: garbage ends in its error', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 64 }), bytes => {
      try {
        for (const f of readFields(bytes)) if (f.wire === 2) expect(f.value.length).toBeLessThanOrEqual(bytes.length)
      } catch (err) {
        expect((err as Error).name).toBe('ProtoError')
      }
    }), { numRuns: 2000 })
  })
})

describe('models written in TypeScript', () => {
  it('load in onnxruntime-node and give outputs of the declared shapes (IR 8, opset 17)', async () => {
    const mlp = await ort.InferenceSession.create(testMlp())
    const y = (await mlp.run({ x: new ort.Tensor('float32', new Float32Array(3 * TEST_MLP.inputs), [3, TEST_MLP.inputs]) })).y!
    expect(y.dims).toEqual([3, TEST_MLP.outputs])
    const conv = await ort.InferenceSession.create(testConv())
    const c = (await conv.run({ x: new ort.Tensor('float32', new Float32Array(2 * 3 * 16 * 16).fill(0.25), [2, TEST_CONV.channels, TEST_CONV.size, TEST_CONV.size]) })).y!
    expect(c.dims).toEqual([2, TEST_CONV.classes])
    expect([...(c.data as Float32Array)].every(Number.isFinite)).toBe(true)
  })

  it('are the same bytes every time (deterministic weights)', () => {
    expect(testMlp()).toEqual(testMlp())
    expect(referenceModel()).toEqual(referenceModel())
  })

  it('are inspected before loading: IR, opset, operators, weight sizes and types', () => {
    const info = inspectModel(referenceModel())
    expect(info.irVersion).toBe(IR_VERSION)
    expect(info.opsets).toEqual({ '': OPSET_VERSION })
    expect(info.operators).toEqual([':Gemm', ':Relu'])
    const { inputs, hidden, layers, outputs } = REFERENCE_MLP
    const weights = inputs * hidden + hidden + (layers - 1) * (hidden * hidden + hidden) + hidden * outputs + outputs
    expect(info.weightBytes).toBe(weights * 4)
    expect(info.largestWeightBytes).toBe(hidden * hidden * 4)
    expect(info.weightTypes).toEqual(['float32'])
    expect(info.externalData).toBe(false)
    expect(inspectModel(testConv()).operators).toEqual([':Conv', ':Flatten', ':Gemm', ':GlobalAveragePool', ':Relu'])
    expect(inspectModel(unsupportedOperatorModel()).operators).toEqual([':Frobnicate'])
  })

  it('notice weights kept in external files', () => {
    const w = new ProtoWriter().int(1, 8).message(7, g => g.message(5, t => t.int(1, 4).int(2, 1).string(8, 'w').int(14, 1))).message(8, o => o.int(2, 17))
    expect(inspectModel(w.finish()).externalData).toBe(true)
  })

  it('refuses truncated bytes, garbage and non-models as corrupt', () => {
    for (const bytes of [truncatedModel(), Uint8Array.from([0x0a, 0xff, 0xff, 0xff, 0x0f, 1, 2]), new Uint8Array(0), new TextEncoder().encode('<html>not found</html>')]) {
      expect(() => inspectModel(bytes)).toThrow(CorruptModelError)
    }
    // A model with no graph at all.
    expect(() => inspectModel(new ProtoWriter().int(1, 8).finish())).toThrow(CorruptModelError)
  })

  it('treats any damaged copy of a model as corrupt or reads it without throwing anything else', () => {
    const good = encodeModel({ name: 'g', nodes: [{ op: 'Relu', inputs: ['x'], outputs: ['y'] }], initializers: [], inputs: [{ name: 'x', dims: [2] }], outputs: [{ name: 'y', dims: [2] }] })
    fc.assert(fc.property(fc.nat(good.length - 1), fc.integer({ min: 0, max: 255 }), (at, byte) => {
      const bad = good.slice()
      bad[at] = byte
      try {
        inspectModel(bad)
      } catch (err) {
        expect(err).toBeInstanceOf(CorruptModelError)
      }
    }), { numRuns: 1000 })
  })
})
