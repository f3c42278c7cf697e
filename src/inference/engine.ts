/**
 * The page's side of the inference worker. `init` starts the worker and probes the device once;
 * `loadModel` takes bytes or a CID (fetched and checked through a ModelSource, with progress) and
 * opens a session in the worker, refused with the reason before loading when the device cannot
 * hold it; `run` sends inputs and gets outputs; `release` and `dispose` free what was opened.
 *
 * Inputs reach the worker through shared memory when the page is cross-origin isolated (one copy,
 * or none for a `sharedTensor`), not by a structured clone; see staging.ts.
 *
 * Work that uses the device (compiling a session, running it) goes through the optional `gate`
 * (the resource governor), so the user's budget decides when it runs. Loaded models are cached
 * per id and backend, so a second load neither fetches nor compiles again. If ONNX Runtime's
 * WebAssembly instance aborts, the engine starts a new worker: the failing request gets the
 * error, the sessions are gone (UNKNOWN_MODEL until loaded again), the engine keeps serving.
 */
import type { BackendName, BackendTable } from './backends.ts'
import { MAX_MODEL_BYTES, MAX_SESSIONS, ORT_BASE_PATH } from './constants.ts'
import { errorFromWire, InferenceError, ModelTooLargeError, ProtocolViolationError } from './errors.ts'
import type { LoadProgress, ModelSource } from './model-source.ts'
import type { ModelInfo } from './onnx/inspect.ts'
import { checkTensors, parseResponse, transferables, type InitResult, type LoadResult, type ReleaseResult, type Request, type RunResult, type Tensors } from './protocol.ts'
import { InputStaging } from './staging.ts'

/** What the engine needs of the resource governor. */
export interface Gate {
  schedule<T> (work: () => Promise<T>): Promise<T>
  /** Most WASM threads the user allows. */
  threads?: number
}

export interface EngineOptions {
  gate?: Gate
  /** WASM threads to ask for; the gate's limit by default, and 1 unless the page is cross-origin isolated. */
  threads?: number
  /** Largest model the user allows, in bytes. */
  maxModelBytes?: number
  /** Where ONNX Runtime's binaries are served; ORT_BASE_PATH on this page's origin by default. */
  ortBase?: string
  /** Where models named by CID come from. */
  source?: ModelSource
  /** Starts the worker (tests and benchmarks may start their own build of it). */
  createWorker?: () => Worker
  /**
   * Copies inputs into shared memory the worker reads in place rather than cloning them (see
   * staging.ts); by default when the page is cross-origin isolated, which SharedArrayBuffer needs.
   */
  stageInputs?: boolean
}

export type ModelRef = { bytes: Uint8Array, id?: string } | { cid: string }

export interface LoadOptions {
  backend?: BackendName
  onProgress?: (progress: LoadProgress) => void
  signal?: AbortSignal
}

export interface LoadedModel {
  /** The model's id: its CID, or `sha256-<hex>` of its bytes. */
  id: string
  /** The worker's session handle. */
  session: string
  backend: BackendName
  inputNames: string[]
  outputNames: string[]
  info: ModelInfo
}

export interface RunOptions {
  /**
   * Hand the inputs' buffers to the worker instead of copying them (they are detached here).
   * Inputs in a SharedArrayBuffer (`sharedTensor`) are never copied nor detached.
   */
  transfer?: boolean
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never

interface Pending {
  resolve: (result: unknown) => void
  reject: (err: Error) => void
}

function defaultWorker (): Worker {
  return new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: 'tabtensor-inference' })
}

async function sha256Id (bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>))
  return `sha256-${Array.from(digest, b => b.toString(16).padStart(2, '0')).join('')}`
}

export class InferenceEngine {
  readonly #options: EngineOptions
  readonly #staging: InputStaging | undefined
  #worker: Worker | undefined
  #pending = new Map<number, Pending>()
  #nextId = 1
  #init: Promise<InitResult> | undefined
  /** Loaded (and loading) models by id and backend, least recently used first. */
  #models = new Map<string, Promise<LoadedModel>>()
  readonly #keys = new WeakMap<LoadedModel, string>()
  #disposed = false
  /** Workers started so far (a new one after a fatal error). */
  workersStarted = 0

  constructor (options: EngineOptions = {}) {
    this.#options = options
    this.#staging = options.stageInputs ?? globalThis.crossOriginIsolated === true ? new InputStaging() : undefined
  }

  /** Starts the worker and probes the device (once); the backend table every load consults. */
  async init (): Promise<InitResult> {
    this.#init ??= this.#request<InitResult>({
      type: 'init',
      ortBase: this.#options.ortBase ?? (globalThis.location === undefined ? ORT_BASE_PATH : new URL(ORT_BASE_PATH, globalThis.location.href).href),
      threads: this.#options.threads ?? this.#options.gate?.threads,
      maxModelBytes: this.#options.maxModelBytes
    })
    try {
      return await this.#init
    } catch (err) {
      this.#init = undefined
      throw err
    }
  }

  async table (): Promise<BackendTable> {
    return (await this.init()).table
  }

  /** Loads a model (from the cache when it was loaded before) and opens its session in the worker. */
  async loadModel (ref: ModelRef, options: LoadOptions = {}): Promise<LoadedModel> {
    const { table } = await this.init()
    const id = 'cid' in ref ? ref.cid : ref.id ?? await sha256Id(ref.bytes)
    const key = `${id}|${options.backend ?? 'auto'}`
    let loading = this.#models.get(key)
    if (loading === undefined) {
      await this.#makeRoom()
      loading = this.#load(id, ref, table, options)
      this.#models.set(key, loading)
      loading.catch(() => { if (this.#models.get(key) === loading) this.#models.delete(key) })
    } else {
      this.#touch(key, loading)
    }
    const model = await loading
    this.#keys.set(model, key)
    options.onProgress?.({ phase: 'ready', bytesDone: model.info.weightBytes, bytesTotal: model.info.weightBytes })
    return model
  }

  async #load (id: string, ref: ModelRef, table: BackendTable, options: LoadOptions): Promise<LoadedModel> {
    let bytes: Uint8Array
    let owned = false
    if ('cid' in ref) {
      const source = this.#options.source
      if (source === undefined) throw new InferenceError('MODEL_UNAVAILABLE', 'This engine has no model source to fetch CIDs from; give it one (block exchange or the relay).')
      bytes = await source.fetch(ref.cid, { maxBytes: table.maxModelBytes, onProgress: options.onProgress, signal: options.signal })
      owned = true
    } else {
      bytes = ref.bytes
    }
    // Refused here already, so an oversized model is never copied to the worker.
    if (bytes.length > Math.min(table.maxModelBytes, MAX_MODEL_BYTES)) {
      throw new ModelTooLargeError(`The model is ${bytes.length} bytes; this device takes models up to ${table.maxModelBytes} bytes. Choose a smaller model.`)
    }
    options.onProgress?.({ phase: 'compile', bytesDone: bytes.length, bytesTotal: bytes.length })
    const transfer = owned && bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer ? [bytes.buffer] : []
    const result = await this.#gated(async () => await this.#request<LoadResult>({ type: 'load', modelId: id, bytes, backend: options.backend }, transfer))
    return { id, session: result.session, backend: result.backend, inputNames: result.inputNames, outputNames: result.outputNames, info: result.info }
  }

  /** Marks a model as just used: the least recently used one is released first. */
  #touch (key: string, loading: Promise<LoadedModel>): void {
    this.#models.delete(key)
    this.#models.set(key, loading)
  }

  /**
   * Releases the least recently used models until another one fits in MAX_SESSIONS, so the
   * worker never has to evict a session this page still lists as loaded.
   */
  async #makeRoom (): Promise<void> {
    while (this.#models.size >= MAX_SESSIONS) {
      const [, oldest] = this.#models.entries().next().value as [string, Promise<LoadedModel>]
      const model = await oldest.catch(() => undefined)
      if (model === undefined) {
        for (const [key, loading] of this.#models) if (loading === oldest) this.#models.delete(key)
        continue
      }
      await this.release(model).catch(() => false)
    }
  }

  /** Runs `model` on `feeds`; outputs by name. */
  async run (model: LoadedModel, feeds: Tensors, options: RunOptions = {}): Promise<Tensors> {
    const key = this.#keys.get(model)
    const loading = key === undefined ? undefined : this.#models.get(key)
    if (key !== undefined && loading !== undefined) this.#touch(key, loading)
    const checked = checkTensors(feeds, 'The inputs')
    const transfer = options.transfer === true ? transferables(checked) : []
    const result = await this.#gated(async () => {
      // Staged when sent, not when queued at the gate, so waiting runs hold no staging memory.
      const staged = this.#staging?.stage(checked, new Set(transfer))
      try {
        return await this.#request<RunResult>({ type: 'run', session: model.session, feeds: staged?.tensors ?? checked }, transfer)
      } finally {
        staged?.release()
      }
    })
    return checkTensors(result.outputs, 'The outputs')
  }

  /** Closes the model's session in the worker. */
  async release (model: LoadedModel): Promise<boolean> {
    for (const [key, loading] of this.#models) {
      if ((await loading.catch(() => undefined))?.session === model.session) this.#models.delete(key)
    }
    return (await this.#request<ReleaseResult>({ type: 'release', session: model.session })).released
  }

  /** Stops the worker; pending and later requests fail with DISPOSED. */
  dispose (): void {
    this.#disposed = true
    this.#stopWorker(new InferenceError('DISPOSED', 'The inference engine was disposed; create a new one.'))
  }

  async #gated<T> (work: () => Promise<T>): Promise<T> {
    const gate = this.#options.gate
    return gate === undefined ? await work() : await gate.schedule(work)
  }

  #startWorker (): Worker {
    const worker = (this.#options.createWorker ?? defaultWorker)()
    this.workersStarted++
    worker.onmessage = (event: MessageEvent<unknown>) => this.#onAnswer(event.data)
    worker.onerror = (event: Event) => {
      event.preventDefault()
      // An error with a message is an exception inside a running worker, which keeps serving;
      // one without is a worker that never started (its script did not load): nothing will answer.
      if ((event as Partial<ErrorEvent>).message) return
      this.#stopWorker(new InferenceError('WORKER_FAILED', 'The inference worker could not start (its script did not load); reload the page and try again.'))
    }
    this.#worker = worker
    return worker
  }

  #stopWorker (reason: Error): void {
    this.#worker?.terminate()
    this.#worker = undefined
    this.#init = undefined
    this.#models.clear()
    const pending = [...this.#pending.values()]
    this.#pending.clear()
    for (const p of pending) p.reject(reason)
  }

  #onAnswer (data: unknown): void {
    let answer
    try {
      answer = parseResponse(data)
    } catch (err) {
      // Not an answer to anything: the worker is not the one we started, or broken.
      this.#stopWorker(err as Error)
      return
    }
    const pending = this.#pending.get(answer.id)
    if (pending === undefined) return
    this.#pending.delete(answer.id)
    if (answer.ok) {
      pending.resolve(answer.result)
      return
    }
    const error = errorFromWire(answer.error.code, answer.error.message)
    // ORT's WebAssembly instance is broken: the next request gets a new worker.
    if (answer.error.fatal === true) this.#stopWorker(new InferenceError('WORKER_FAILED', 'The inference worker failed and was restarted; load the model again.'))
    pending.reject(error)
  }

  async #request<T> (request: DistributiveOmit<Request, 'id'>, transfer: Transferable[] = []): Promise<T> {
    if (this.#disposed) throw new InferenceError('DISPOSED', 'The inference engine was disposed; create a new one.')
    if (request.type !== 'init' && this.#worker === undefined) await this.init()
    const worker = this.#worker ?? this.#startWorker()
    const id = this.#nextId++
    return await new Promise<T>((resolve, reject) => {
      this.#pending.set(id, { resolve: resolve as (r: unknown) => void, reject })
      try {
        worker.postMessage({ ...request, id }, transfer)
      } catch (err) {
        this.#pending.delete(id)
        reject(new ProtocolViolationError(`The request could not be sent to the worker: ${(err as Error).message}`))
      }
    })
  }
}
