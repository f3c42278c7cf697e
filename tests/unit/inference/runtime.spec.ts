import * as ort from 'onnxruntime-node'
import { describe, expect, it } from 'vitest'
import type { DeviceProbe } from '../../../src/inference/backends.ts'
import { MAX_SESSIONS } from '../../../src/inference/constants.ts'
import type { Answer } from '../../../src/inference/runtime.ts'
import { WorkerRuntime, type OrtApi } from '../../../src/inference/runtime.ts'
import { mlpModel } from '../../../src/inference/reference-model.ts'
import { TEST_MLP, testInputs, testMlp, truncatedModel, unsupportedOperatorModel } from '../../helpers/onnx-models.ts'

const CPU_ONLY: DeviceProbe = { gpu: null, gpuAbsent: 'Node has no WebGPU.', wasm: true, crossOriginIsolated: false, cores: 2 }

/** The worker's runtime on onnxruntime-node: the same request handling as in the browser. */
async function runtime (maxModelBytes?: number): Promise<WorkerRuntime> {
  const r = new WorkerRuntime(ort as unknown as OrtApi, async () => CPU_ONLY, () => ['cpu'])
  const init = await r.handle({ id: 0, type: 'init', ortBase: '', maxModelBytes })
  expect(init.message.ok).toBe(true)
  return r
}

function error (a: Answer): string {
  return a.message.ok ? 'ok' : a.message.error.code
}

const input = testInputs().mlp
const feeds = () => ({ x: { type: 'float32', dims: input.dims, data: Float32Array.from(input.data) } })

describe('the inference worker\'s runtime (on onnxruntime-node)', () => {
  it('loads a model, runs it and transfers the outputs\' buffers', async () => {
    const r = await runtime()
    const load = await r.handle({ id: 1, type: 'load', modelId: 'mlp', bytes: testMlp() })
    expect(load.message).toMatchObject({ id: 1, ok: true, result: { session: 'mlp@wasm', backend: 'wasm', inputNames: ['x'], outputNames: ['y'], cached: false } })
    const run = await r.handle({ id: 2, type: 'run', session: 'mlp@wasm', feeds: feeds() })
    expect(run.message.ok).toBe(true)
    const y = (run.message as { result: { outputs: { y: { dims: number[], data: Float32Array } } } }).result.outputs.y
    expect(y.dims).toEqual([input.dims[0], TEST_MLP.outputs])
    expect(run.transfer).toEqual([y.data.buffer])
  })

  it('answers a second load of the same model from its open session', async () => {
    const r = await runtime()
    await r.handle({ id: 1, type: 'load', modelId: 'mlp', bytes: testMlp() })
    expect((await r.handle({ id: 2, type: 'load', modelId: 'mlp', bytes: testMlp() })).message).toMatchObject({ ok: true, result: { cached: true } })
  })

  it('answers every failure with its code and keeps serving', async () => {
    const r = await runtime(200 * 1024)
    const answers = [
      await r.handle({ id: 1, type: 'load', modelId: 'cut', bytes: truncatedModel() }),
      await r.handle({ id: 2, type: 'load', modelId: 'frob', bytes: unsupportedOperatorModel() }),
      await r.handle({ id: 3, type: 'load', modelId: 'big', bytes: mlpModel({ inputs: 256, hidden: 256, layers: 1, outputs: 8 }) }),
      await r.handle({ id: 4, type: 'run', session: 'nothing@wasm', feeds: feeds() }),
      await r.handle({ id: 5, type: 'frobnicate' }),
      await r.handle('garbage')
    ]
    expect(answers.map(error)).toEqual(['CORRUPT_MODEL', 'UNSUPPORTED_OPERATOR', 'MODEL_TOO_LARGE', 'UNKNOWN_MODEL', 'PROTOCOL_VIOLATION', 'PROTOCOL_VIOLATION'])
    expect(answers.map(a => a.message.id)).toEqual([1, 2, 3, 4, 5, -1])
    await r.handle({ id: 6, type: 'load', modelId: 'mlp', bytes: testMlp() })
    const wrongShape = await r.handle({ id: 7, type: 'run', session: 'mlp@wasm', feeds: { x: { type: 'float32', dims: [1, 3], data: new Float32Array(3) } } })
    const wrongName = await r.handle({ id: 8, type: 'run', session: 'mlp@wasm', feeds: { input: feeds().x } })
    expect([error(wrongShape), error(wrongName)]).toEqual(['INVALID_INPUT', 'INVALID_INPUT'])
    expect(error(await r.handle({ id: 9, type: 'run', session: 'mlp@wasm', feeds: feeds() }))).toBe('ok')
  })

  it('refuses to load before init, and asks for WebGPU only where there is one', async () => {
    const fresh = new WorkerRuntime(ort as unknown as OrtApi, async () => CPU_ONLY, () => ['cpu'])
    expect(error(await fresh.handle({ id: 1, type: 'load', modelId: 'mlp', bytes: testMlp() }))).toBe('PROTOCOL_VIOLATION')
    const r = await runtime()
    expect(error(await r.handle({ id: 2, type: 'load', modelId: 'mlp', bytes: testMlp(), backend: 'webgpu' }))).toBe('NO_BACKEND')
  })

  it(`keeps at most ${MAX_SESSIONS} sessions open, releasing the least recently used`, async () => {
    const r = await runtime()
    const small = mlpModel({ inputs: 4, hidden: 4, layers: 1, outputs: 2 })
    for (let i = 0; i <= MAX_SESSIONS; i++) await r.handle({ id: i + 1, type: 'load', modelId: `m${i}`, bytes: small })
    const x = { type: 'float32', dims: [1, 4], data: new Float32Array(4) }
    expect(error(await r.handle({ id: 100, type: 'run', session: 'm0@wasm', feeds: { x } }))).toBe('UNKNOWN_MODEL')
    expect(error(await r.handle({ id: 101, type: 'run', session: `m${MAX_SESSIONS}@wasm`, feeds: { x } }))).toBe('ok')
    expect((await r.handle({ id: 102, type: 'release', session: 'm1@wasm' })).message).toMatchObject({ ok: true, result: { released: true } })
    expect(error(await r.handle({ id: 103, type: 'run', session: 'm1@wasm', feeds: { x } }))).toBe('UNKNOWN_MODEL')
  })

  it('serves requests one at a time, in the order they came', async () => {
    const r = await runtime()
    const order: number[] = []
    await Promise.all([
      r.handle({ id: 1, type: 'load', modelId: 'mlp', bytes: testMlp() }).then(a => order.push(a.message.id)),
      r.handle({ id: 2, type: 'run', session: 'mlp@wasm', feeds: feeds() }).then(a => { order.push(a.message.id); expect(error(a)).toBe('ok') })
    ])
    expect(order).toEqual([1, 2])
  })
})
