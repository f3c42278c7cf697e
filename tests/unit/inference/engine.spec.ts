import * as ort from 'onnxruntime-node'
import { describe, expect, it } from 'vitest'
import type { DeviceProbe } from '../../../src/inference/backends.ts'
import { MAX_SESSIONS } from '../../../src/inference/constants.ts'
import { InferenceEngine, type Gate } from '../../../src/inference/engine.ts'
import { CorruptModelError, InferenceError, ModelTooLargeError } from '../../../src/inference/errors.ts'
import { mlpModel } from '../../../src/inference/reference-model.ts'
import type { Tensors } from '../../../src/inference/protocol.ts'
import { WorkerRuntime, type OrtApi } from '../../../src/inference/runtime.ts'
import { testInputs, testMlp, truncatedModel } from '../../helpers/onnx-models.ts'

const CPU_ONLY: DeviceProbe = { gpu: null, gpuAbsent: 'Node has no WebGPU.', wasm: true, crossOriginIsolated: true, cores: 2 }

/** onnxruntime-node refuses tensor data in shared memory (onnxruntime-web reads it): a copy for it. */
function NodeTensor (type: 'float32', data: Float32Array, dims: readonly number[]): ort.Tensor {
  return new ort.Tensor(type, data.buffer instanceof SharedArrayBuffer ? data.slice() : data, dims)
}
const NODE_ORT = { ...ort, Tensor: NodeTensor } as unknown as OrtApi

/**
 * A stand-in for the module worker: the same WorkerRuntime on onnxruntime-node, with messages
 * structured-cloned (transfers included) both ways as postMessage does. `breakNext` makes the
 * next answer a fatal one, as an aborted WebAssembly instance gives.
 */
class FakeWorker {
  onmessage: ((event: MessageEvent) => void) | null = null
  onerror: ((event: ErrorEvent) => void) | null = null
  terminated = false
  breakNext = false
  received: string[] = []
  /** The inputs of each run, as the worker received them. */
  feeds: Tensors[] = []
  readonly #runtime = new WorkerRuntime(NODE_ORT, async () => CPU_ONLY, () => ['cpu'])

  postMessage (message: { type: string }, transfer: Transferable[] = []): void {
    const copy = structuredClone(message, { transfer })
    this.received.push(copy.type)
    if (copy.type === 'run') this.feeds.push((copy as unknown as { feeds: Tensors }).feeds)
    void this.#runtime.handle(copy).then(({ message: answer, transfer: back }) => {
      if (this.terminated) return
      const out = this.breakNext && !answer.ok ? { ...answer, error: { ...answer.error, fatal: true } } : answer
      this.onmessage?.({ data: structuredClone(out, { transfer: back }) } as MessageEvent)
    })
  }

  terminate (): void { this.terminated = true }

  /** What a browser does when the worker's script fails to load: an error event without a message. */
  failToStart (): void {
    this.terminated = true
    this.onerror?.({ message: '', preventDefault () {} } as unknown as ErrorEvent)
  }
}

function engineWith (options: ConstructorParameters<typeof InferenceEngine>[0] = {}): { engine: InferenceEngine, workers: FakeWorker[] } {
  const workers: FakeWorker[] = []
  const engine = new InferenceEngine({ ...options, createWorker: () => { const w = new FakeWorker(); workers.push(w); return w as unknown as Worker } })
  return { engine, workers }
}

const input = testInputs().mlp
const x = () => ({ type: 'float32' as const, dims: input.dims, data: Float32Array.from(input.data) })

describe('the inference engine (page side), on a stand-in worker', () => {
  it('probes once, loads by bytes under a sha256 id, and runs', async () => {
    const { engine, workers } = engineWith()
    const { table } = await engine.init()
    expect(table.backends.map(b => [b.name, b.threads])).toEqual([['wasm', 2]])
    const model = await engine.loadModel({ bytes: testMlp() })
    expect(model.id).toMatch(/^sha256-[0-9a-f]{64}$/)
    expect([model.backend, model.inputNames, model.outputNames]).toEqual(['wasm', ['x'], ['y']])
    const { y } = await engine.run(model, { x: x() })
    expect(y!.dims).toEqual([input.dims[0], 10])
    expect(workers.length).toBe(1)
    engine.dispose()
  })

  it('does not send a model again that it has loaded: the second load comes from its cache', async () => {
    const { engine, workers } = engineWith()
    const a = await engine.loadModel({ bytes: testMlp() })
    const b = await engine.loadModel({ bytes: testMlp() })
    expect(b).toBe(a)
    expect(workers[0]!.received.filter(t => t === 'load')).toHaveLength(1)
    engine.dispose()
  })

  it('refuses a model over the user\'s limit without sending it to the worker', async () => {
    const { engine, workers } = engineWith({ maxModelBytes: 1024 })
    await expect(engine.loadModel({ bytes: testMlp() })).rejects.toThrow(ModelTooLargeError)
    expect(workers[0]!.received).toEqual(['init'])
    engine.dispose()
  })

  it('sends a plain input through shared memory, once staged: same outputs, the caller\'s array untouched', async () => {
    const cloned = engineWith({ stageInputs: false })
    const staged = engineWith({ stageInputs: true })
    const mine = x()
    const before = [...mine.data]
    const [a, b] = await Promise.all([cloned, staged].map(async ({ engine }) => await engine.run(await engine.loadModel({ bytes: testMlp() }), { x: mine })))
    expect([...b!.y!.data as Float32Array]).toEqual([...a!.y!.data as Float32Array])
    expect(cloned.workers[0]!.feeds[0]!.x!.data.buffer).toBeInstanceOf(ArrayBuffer)
    expect(staged.workers[0]!.feeds[0]!.x!.data.buffer).toBeInstanceOf(SharedArrayBuffer)
    expect([...mine.data]).toEqual(before)
    for (const { engine } of [cloned, staged]) engine.dispose()
  })

  it('sends an input in shared memory with no copy: the worker reads the caller\'s own buffer', async () => {
    const { engine, workers } = engineWith({ stageInputs: true })
    const model = await engine.loadModel({ bytes: testMlp() })
    const shared = { type: 'float32' as const, dims: input.dims, data: new Float32Array(new SharedArrayBuffer(input.data.length * 4)) }
    shared.data.set(input.data)
    const { y } = await engine.run(model, { x: shared })
    expect([...y!.data as Float32Array]).toEqual([...(await engine.run(model, { x: x() })).y!.data as Float32Array])
    // The same memory, not a copy: a write here shows there.
    shared.data[0] = 42
    expect(workers[0]!.feeds[0]!.x!.data[0]).toBe(42)
    engine.dispose()
  })

  it('hands a transferred input over instead of staging it: the caller\'s buffer is detached afterwards', async () => {
    const { engine, workers } = engineWith({ stageInputs: true })
    const model = await engine.loadModel({ bytes: testMlp() })
    const mine = x()
    const { y } = await engine.run(model, { x: mine }, { transfer: true })
    expect(y!.dims).toEqual([input.dims[0], 10])
    expect(mine.data.buffer.byteLength).toBe(0)
    expect(workers[0]!.feeds[0]!.x!.data.buffer).toBeInstanceOf(ArrayBuffer)
    engine.dispose()
  })

  it('passes work through the gate and asks for the gate\'s thread limit', async () => {
    const scheduled: number[] = []
    const gate: Gate = { threads: 1, schedule: async work => { scheduled.push(scheduled.length); return await work() } }
    const { engine } = engineWith({ gate })
    expect((await engine.table()).backends[0]!.threads).toBe(1)
    const model = await engine.loadModel({ bytes: testMlp() })
    await engine.run(model, { x: x() })
    expect(scheduled).toEqual([0, 1])
    engine.dispose()
  })

  it('starts a new worker after a fatal error and keeps serving; the lost session answers UNKNOWN_MODEL', async () => {
    const { engine, workers } = engineWith()
    const model = await engine.loadModel({ bytes: testMlp() })
    workers[0]!.breakNext = true
    await expect(engine.loadModel({ bytes: truncatedModel() })).rejects.toThrow(CorruptModelError)
    expect(workers[0]!.terminated).toBe(true)
    await expect(engine.run(model, { x: x() })).rejects.toMatchObject({ code: 'UNKNOWN_MODEL' })
    expect(workers.length).toBe(2)
    const again = await engine.loadModel({ bytes: testMlp() })
    expect((await engine.run(again, { x: x() })).y!.dims).toEqual([input.dims[0], 10])
    engine.dispose()
  })

  it(`releases the least recently used model itself when a ${MAX_SESSIONS + 1}th is loaded, so none it lists is gone from the worker`, async () => {
    const { engine, workers } = engineWith()
    const models = []
    for (let i = 0; i < MAX_SESSIONS; i++) models.push(await engine.loadModel({ bytes: mlpModel({ inputs: 4, hidden: 4, layers: 1, outputs: 2, seed: i + 1 }) }))
    // The first is used again, so the second is now the least recently used.
    const four = { x: { type: 'float32' as const, dims: [1, 4], data: new Float32Array(4) } }
    await engine.run(models[0]!, four)
    await engine.loadModel({ bytes: mlpModel({ inputs: 4, hidden: 4, layers: 1, outputs: 2, seed: 99 }) })
    expect(workers[0]!.received.filter(t => t === 'release')).toHaveLength(1)
    await expect(engine.run(models[1]!, four)).rejects.toMatchObject({ code: 'UNKNOWN_MODEL' })
    for (const i of [0, 2, MAX_SESSIONS - 1]) expect((await engine.run(models[i]!, four)).y!.dims).toEqual([1, 2])
    // Loading the released one again opens it again.
    const again = await engine.loadModel({ bytes: mlpModel({ inputs: 4, hidden: 4, layers: 1, outputs: 2, seed: 2 }) })
    expect((await engine.run(again, four)).y!.dims).toEqual([1, 2])
    engine.dispose()
  })

  it('fails what is pending with WORKER_FAILED when the worker never starts, and tries a new one next time', async () => {
    const { engine, workers } = engineWith()
    const pending = engine.init()
    workers[0]!.failToStart()
    await expect(pending).rejects.toMatchObject({ code: 'WORKER_FAILED' })
    expect((await engine.init()).table.backends[0]!.name).toBe('wasm')
    expect(workers.length).toBe(2)
    engine.dispose()
  })

  it('fails pending and later requests with DISPOSED once disposed', async () => {
    const { engine } = engineWith()
    const pending = engine.loadModel({ bytes: testMlp() })
    engine.dispose()
    await expect(pending).rejects.toMatchObject({ code: 'DISPOSED' })
    await expect(pending).rejects.toBeInstanceOf(InferenceError)
    await expect(engine.init()).rejects.toMatchObject({ code: 'DISPOSED' })
  })
})
