/**
 * What the inference worker does with each request, apart from the worker itself: ONNX Runtime is
 * passed in (onnxruntime-web in the worker, onnxruntime-node in unit tests), so the same code is
 * tested in Node and runs in the browser.
 *
 * Requests are served one at a time, in order: ORT's WebAssembly instance runs one thing at a
 * time anyway, and a session must not be released while it runs. Every failure, whatever threw
 * it, becomes a coded error answer; the runtime keeps serving. Only an aborted WebAssembly
 * instance cannot be recovered in place: its answer is marked fatal and the page starts a new worker.
 */
import type * as Ort from 'onnxruntime-web/webgpu'
import { chooseBackends, planModel, type BackendName, type BackendTable, type DeviceProbe } from './backends.ts'
import { ADAPTER_POWER_PREFERENCE, MAX_SESSIONS } from './constants.ts'
import { InferenceError, InvalidInputError, isFatalOrtError, ProtocolViolationError, toInferenceError } from './errors.ts'
import { inspectModel } from './onnx/inspect.ts'
import { checkTensors, parseRequest, transferables, type InitResult, type LoadRequest, type LoadResult, type ReleaseResult, type Request, type Response, type RunResult, type TensorData, type TensorType, type Tensors } from './protocol.ts'

/** The part of ONNX Runtime's API the runtime uses (onnxruntime-web and onnxruntime-node both have it). */
export type OrtApi = Pick<typeof Ort, 'env' | 'InferenceSession' | 'Tensor'>

type Session = Ort.InferenceSession

export interface Answer {
  message: Response
  transfer: Transferable[]
}

export class WorkerRuntime {
  readonly #ort: OrtApi
  readonly #probe: () => Promise<DeviceProbe>
  readonly #providers: (backend: BackendName) => string[]
  #init: InitResult | undefined
  /** Open sessions by handle, least recently used first (a Map keeps insertion order). */
  readonly #sessions = new Map<string, Session>()
  #queue: Promise<unknown> = Promise.resolve()

  /**
   * `providers` names ORT's execution providers for a backend: onnxruntime-web's are the
   * backends' own names; onnxruntime-node (unit tests) has 'cpu' instead of 'wasm'.
   */
  constructor (ort: OrtApi, probe: () => Promise<DeviceProbe>, providers: (backend: BackendName) => string[] = b => [b]) {
    this.#ort = ort
    this.#probe = probe
    this.#providers = providers
  }

  /** Serves one message (after the ones before it); never rejects. */
  async handle (data: unknown): Promise<Answer> {
    const next = this.#queue.then(async () => await this.#serve(data))
    this.#queue = next
    return await next
  }

  async #serve (data: unknown): Promise<Answer> {
    const id = typeof data === 'object' && data !== null && Number.isSafeInteger((data as { id?: unknown }).id) ? (data as { id: number }).id : -1
    let request: Request | undefined
    try {
      request = parseRequest(data)
      switch (request.type) {
        case 'init': return answer(id, await this.#initialize(request.ortBase, request.threads, request.maxModelBytes))
        case 'load': return answer(id, await this.#load(request))
        case 'run': {
          const result = await this.#run(request.session, request.feeds)
          return answer(id, result, transferables(result.outputs))
        }
        case 'release': return answer(id, await this.#release(request.session))
      }
    } catch (err) {
      const doing = request === undefined ? 'reading a request' : { init: 'starting', load: 'loading the model', run: 'running the model', release: 'releasing the model' }[request.type]
      const error = toInferenceError(err, doing)
      return { message: { id, ok: false, error: { code: error.code, message: error.message, fatal: isFatalOrtError(error.message) } }, transfer: [] }
    }
  }

  get table (): BackendTable | undefined {
    return this.#init?.table
  }

  async #initialize (ortBase: string, threads?: number, maxModelBytes?: number): Promise<InitResult> {
    // ORT reads numThreads once, at its first session: a second init cannot change it, so it answers the first table.
    if (this.#init !== undefined) return this.#init
    const probe = await this.#probe()
    const table = chooseBackends(probe, { threads, maxModelBytes })
    const wasm = table.backends.find(b => b.name === 'wasm')
    this.#ort.env.wasm.numThreads = wasm?.threads ?? 1
    this.#ort.env.webgpu.powerPreference = ADAPTER_POWER_PREFERENCE
    if (ortBase !== '') this.#ort.env.wasm.wasmPaths = ortBase
    this.#init = { probe, table }
    return this.#init
  }

  async #load (request: LoadRequest): Promise<LoadResult> {
    const table = this.#init?.table
    if (table === undefined) throw new ProtocolViolationError('The worker was asked to load a model before init.')
    const info = inspectModel(request.bytes)
    const backend = planModel(table, info, request.bytes.length, request.backend)
    const handle = `${request.modelId}@${backend.name}`
    let session = this.#sessions.get(handle)
    const cached = session !== undefined
    if (session === undefined) {
      session = await this.#ort.InferenceSession.create(request.bytes, { executionProviders: this.#providers(backend.name), graphOptimizationLevel: 'all' })
      while (this.#sessions.size >= MAX_SESSIONS) {
        const [oldest, old] = this.#sessions.entries().next().value as [string, Session]
        this.#sessions.delete(oldest)
        await old.release().catch(() => {})
      }
    } else {
      this.#sessions.delete(handle)
    }
    this.#sessions.set(handle, session)
    return { session: handle, backend: backend.name, inputNames: [...session.inputNames], outputNames: [...session.outputNames], info, cached }
  }

  async #run (handle: string, feeds: Tensors): Promise<RunResult> {
    const session = this.#sessions.get(handle)
    if (session === undefined) throw new InferenceError('UNKNOWN_MODEL', `The worker does not hold model ${handle} (released, evicted, or the worker restarted); load it again.`)
    // A run makes the session the most recently used one.
    this.#sessions.delete(handle)
    this.#sessions.set(handle, session)
    const names = Object.keys(feeds)
    const missing = session.inputNames.filter(n => !names.includes(n))
    const extra = names.filter(n => !session.inputNames.includes(n))
    if (missing.length > 0 || extra.length > 0) {
      throw new InvalidInputError(`The model takes inputs ${session.inputNames.join(', ')}; ${missing.length > 0 ? `missing ${missing.join(', ')}` : `unknown ${extra.join(', ')}`}.`)
    }
    const ortFeeds: Record<string, Ort.Tensor> = {}
    for (const [name, t] of Object.entries(feeds)) ortFeeds[name] = new this.#ort.Tensor(t.type, t.data as Float32Array, t.dims)
    const results = await session.run(ortFeeds)
    const outputs: Tensors = {}
    for (const [name, t] of Object.entries(results)) outputs[name] = { type: t.type as TensorType, dims: [...t.dims], data: t.data as TensorData['data'] }
    return { outputs: checkTensors(outputs, 'The outputs') }
  }

  async #release (handle: string): Promise<ReleaseResult> {
    const session = this.#sessions.get(handle)
    if (session === undefined) return { released: false }
    this.#sessions.delete(handle)
    await session.release()
    return { released: true }
  }
}

function answer (id: number, result: unknown, transfer: Transferable[] = []): Answer {
  return { message: { id, ok: true, result }, transfer }
}
