/**
 * The messages between the page (`InferenceEngine`) and the inference worker. Every request has
 * an id and gets exactly one answer with that id: a result, or an error as `{code, message}`
 * (classes do not cross postMessage). Tensors travel as `{type, dims, data}` with their buffers
 * transferred, not copied, where the sender no longer needs them.
 *
 * Both sides check what they receive before using it: the shape of each message, the names, and
 * every tensor's type, rank, dimensions and size against the caps in constants.ts, so a bad
 * message ends in an error answer, never in a worker that allocates without bound or throws
 * outside a request.
 */
import type { BackendName, BackendTable, DeviceProbe } from './backends.ts'
import { MAX_MODEL_BYTES, MAX_NAME_LENGTH, MAX_RANK, MAX_TENSOR_BYTES, MAX_TENSORS } from './constants.ts'
import { INFERENCE_ERROR_CODES, InvalidInputError, ProtocolViolationError, type InferenceErrorCode } from './errors.ts'
import type { ModelInfo } from './onnx/inspect.ts'

export type TensorType = 'float32' | 'float16' | 'int32' | 'int64' | 'int8' | 'uint8' | 'bool'

export type TensorArray = Float32Array | Uint16Array | Int32Array | BigInt64Array | Int8Array | Uint8Array

export interface TensorData {
  type: TensorType
  dims: number[]
  data: TensorArray
}

export type Tensors = Record<string, TensorData>

/** The typed array that holds each tensor type's data. */
export const ARRAY_OF: Record<TensorType, new (...args: never[]) => TensorArray> = {
  float32: Float32Array,
  float16: Uint16Array,
  int32: Int32Array,
  int64: BigInt64Array,
  int8: Int8Array,
  uint8: Uint8Array,
  bool: Uint8Array
}

export interface InitRequest { id: number, type: 'init', ortBase: string, threads?: number, maxModelBytes?: number }
export interface LoadRequest { id: number, type: 'load', modelId: string, bytes: Uint8Array, backend?: BackendName }
export interface RunRequest { id: number, type: 'run', session: string, feeds: Tensors }
export interface ReleaseRequest { id: number, type: 'release', session: string }
export type Request = InitRequest | LoadRequest | RunRequest | ReleaseRequest

export interface InitResult { probe: DeviceProbe, table: BackendTable }
export interface LoadResult {
  /** The worker's handle for the session: the model id and its backend. */
  session: string
  backend: BackendName
  inputNames: string[]
  outputNames: string[]
  info: ModelInfo
  /** Whether the session was already open in the worker. */
  cached: boolean
}
export interface RunResult { outputs: Tensors }
export interface ReleaseResult { released: boolean }

export interface WireError {
  code: InferenceErrorCode
  message: string
  /** ONNX Runtime's instance is broken: the page must start a new worker. */
  fatal?: boolean
}

export type Response =
  | { id: number, ok: true, result: unknown }
  | { id: number, ok: false, error: WireError }

function isRecord (value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function name (value: unknown, what: string): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_NAME_LENGTH) {
    throw new ProtocolViolationError(`${what} must be a string of 1 to ${MAX_NAME_LENGTH} characters.`)
  }
  return value
}

/** Checks one tensor: a known type, its typed array, at most MAX_RANK whole dimensions that multiply to its length. */
export function checkTensor (value: unknown, what: string): TensorData {
  if (!isRecord(value)) throw new InvalidInputError(`${what} is not a tensor ({type, dims, data}).`)
  const { type, dims, data } = value
  if (typeof type !== 'string' || !Object.hasOwn(ARRAY_OF, type)) {
    throw new InvalidInputError(`${what} has type ${String(type)}; use one of ${Object.keys(ARRAY_OF).join(', ')}.`)
  }
  const Array_ = ARRAY_OF[type as TensorType]
  if (!(data instanceof Array_)) throw new InvalidInputError(`${what} is ${type} and needs its data in a ${Array_.name}.`)
  if (!Array.isArray(dims) || dims.length > MAX_RANK || !dims.every(d => Number.isSafeInteger(d) && d >= 0)) {
    throw new InvalidInputError(`${what} needs at most ${MAX_RANK} dimensions, each a whole number of at least 0.`)
  }
  const count = dims.reduce((a: number, b: number) => a * b, 1)
  if (count !== data.length) throw new InvalidInputError(`${what} has ${data.length} values but its dimensions [${dims.join(', ')}] hold ${count}.`)
  return { type: type as TensorType, dims: dims as number[], data }
}

/** Checks a set of named tensors against the count and total-size caps. */
export function checkTensors (value: unknown, what: string): Tensors {
  if (!isRecord(value)) throw new InvalidInputError(`${what} must be an object of named tensors.`)
  const entries = Object.entries(value)
  if (entries.length > MAX_TENSORS) throw new InvalidInputError(`${what} has ${entries.length} tensors; the limit is ${MAX_TENSORS}.`)
  const out: Tensors = {}
  let bytes = 0
  for (const [key, t] of entries) {
    const tensor = checkTensor(t, `${what} "${name(key, 'A tensor name')}"`)
    bytes += tensor.data.byteLength
    if (bytes > MAX_TENSOR_BYTES) throw new InvalidInputError(`${what} are over ${MAX_TENSOR_BYTES} bytes in all; run smaller batches.`)
    out[key] = tensor
  }
  return out
}

/** The buffers of `tensors`, for postMessage's transfer list (each once, and only whole ones). */
export function transferables (tensors: Tensors): ArrayBuffer[] {
  const out = new Set<ArrayBuffer>()
  for (const t of Object.values(tensors)) {
    const buffer = t.data.buffer
    // A view into a larger or shared buffer would hand over (or fail on) memory that is not the tensor's.
    if (buffer instanceof ArrayBuffer && t.data.byteOffset === 0 && t.data.byteLength === buffer.byteLength) out.add(buffer)
  }
  return [...out]
}

/** A request as the worker receives it, checked; throws ProtocolViolationError or InvalidInputError. */
export function parseRequest (data: unknown): Request {
  if (!isRecord(data) || !Number.isSafeInteger(data.id)) throw new ProtocolViolationError('A request needs a whole-number id.')
  const id = data.id as number
  switch (data.type) {
    case 'init': {
      const threads = data.threads === undefined ? undefined : Number(data.threads)
      const maxModelBytes = data.maxModelBytes === undefined ? undefined : Number(data.maxModelBytes)
      if (threads !== undefined && !(Number.isSafeInteger(threads) && threads >= 1)) throw new ProtocolViolationError('threads must be a whole number of at least 1.')
      if (maxModelBytes !== undefined && !(Number.isSafeInteger(maxModelBytes) && maxModelBytes >= 1)) throw new ProtocolViolationError('maxModelBytes must be a whole number of bytes.')
      if (typeof data.ortBase !== 'string' || data.ortBase.length > 2048) throw new ProtocolViolationError('ortBase must be the URL ONNX Runtime\'s files are served at.')
      return { id, type: 'init', ortBase: data.ortBase, threads, maxModelBytes }
    }
    case 'load': {
      if (!(data.bytes instanceof Uint8Array)) throw new ProtocolViolationError('A model must be sent as a Uint8Array.')
      if (data.bytes.length > MAX_MODEL_BYTES) throw new ProtocolViolationError(`A model over ${MAX_MODEL_BYTES} bytes is never sent.`)
      if (data.backend !== undefined && data.backend !== 'webgpu' && data.backend !== 'wasm') throw new ProtocolViolationError('backend must be webgpu or wasm.')
      return { id, type: 'load', modelId: name(data.modelId, 'A model id'), bytes: data.bytes, backend: data.backend }
    }
    case 'run':
      return { id, type: 'run', session: name(data.session, 'A session'), feeds: checkTensors(data.feeds, 'The inputs') }
    case 'release':
      return { id, type: 'release', session: name(data.session, 'A session') }
    default:
      throw new ProtocolViolationError(`Unknown request type ${String(data.type).slice(0, 40)}.`)
  }
}

/** An answer as the page receives it: its id, and either a result or a known error code. */
export function parseResponse (data: unknown): Response {
  if (!isRecord(data) || !Number.isSafeInteger(data.id)) throw new ProtocolViolationError('The worker answered without an id.')
  const id = data.id as number
  if (data.ok === true) return { id, ok: true, result: data.result }
  const error = data.error
  if (data.ok !== false || !isRecord(error) || typeof error.message !== 'string' || !INFERENCE_ERROR_CODES.includes(error.code as InferenceErrorCode)) {
    throw new ProtocolViolationError('The worker sent an answer that is neither a result nor a coded error.')
  }
  return { id, ok: false, error: { code: error.code as InferenceErrorCode, message: error.message.slice(0, 2000), fatal: error.fatal === true } }
}
