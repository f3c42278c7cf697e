/**
 * Errors of the inference engine. Each has a stable `code` that crosses the worker boundary (an
 * Error's class does not survive postMessage, its code does) and a sentence a person can act on.
 * `classifyOrtError` turns ONNX Runtime's free-text failures into these codes; the patterns are
 * the messages ORT 1.30 gives in Node and in a browser (tests/unit/inference/errors.spec.ts).
 */

export type InferenceErrorCode =
  /** Neither WebGPU nor WebAssembly is usable in this browser. */
  | 'NO_BACKEND'
  /** The model is larger than this device (or the user's limit) can hold; refused before loading. */
  | 'MODEL_TOO_LARGE'
  /** The model uses an operator (or opset) that ONNX Runtime Web does not implement. */
  | 'UNSUPPORTED_OPERATOR'
  /** The model needs what no backend here offers: external weight files, a data type. */
  | 'UNSUPPORTED_MODEL'
  /** The device ran out of memory while loading or running. */
  | 'OUT_OF_MEMORY'
  /** The bytes are not an ONNX model, or are damaged. */
  | 'CORRUPT_MODEL'
  /** A model fetched by CID could not be fetched or did not hash to its CID. */
  | 'MODEL_UNAVAILABLE'
  /** Inputs that do not fit the model or the message limits. */
  | 'INVALID_INPUT'
  /** A message between page and worker that the protocol does not allow. */
  | 'PROTOCOL_VIOLATION'
  /** A model handle that the worker no longer holds (released, evicted or restarted). */
  | 'UNKNOWN_MODEL'
  /** The worker crashed; it is restarted for the next request. */
  | 'WORKER_FAILED'
  /** The engine was disposed. */
  | 'DISPOSED'
  /** Any other failure of ONNX Runtime. */
  | 'INFERENCE_FAILED'

export const INFERENCE_ERROR_CODES: readonly InferenceErrorCode[] = [
  'NO_BACKEND', 'MODEL_TOO_LARGE', 'UNSUPPORTED_OPERATOR', 'UNSUPPORTED_MODEL', 'OUT_OF_MEMORY', 'CORRUPT_MODEL',
  'MODEL_UNAVAILABLE', 'INVALID_INPUT', 'PROTOCOL_VIOLATION', 'UNKNOWN_MODEL', 'WORKER_FAILED', 'DISPOSED', 'INFERENCE_FAILED'
]

export class InferenceError extends Error {
  static override name = 'InferenceError'
  override name = 'InferenceError'
  constructor (readonly code: InferenceErrorCode, message: string, options?: ErrorOptions) {
    super(message, options)
  }
}

export class NoBackendError extends InferenceError {
  static override name = 'NoBackendError'
  override name = 'NoBackendError'
  constructor (message: string, options?: ErrorOptions) { super('NO_BACKEND', message, options) }
}

export class ModelTooLargeError extends InferenceError {
  static override name = 'ModelTooLargeError'
  override name = 'ModelTooLargeError'
  constructor (message: string, options?: ErrorOptions) { super('MODEL_TOO_LARGE', message, options) }
}

export class UnsupportedOperatorError extends InferenceError {
  static override name = 'UnsupportedOperatorError'
  override name = 'UnsupportedOperatorError'
  constructor (message: string, options?: ErrorOptions) { super('UNSUPPORTED_OPERATOR', message, options) }
}

export class UnsupportedModelError extends InferenceError {
  static override name = 'UnsupportedModelError'
  override name = 'UnsupportedModelError'
  constructor (message: string, options?: ErrorOptions) { super('UNSUPPORTED_MODEL', message, options) }
}

export class OutOfMemoryError extends InferenceError {
  static override name = 'OutOfMemoryError'
  override name = 'OutOfMemoryError'
  constructor (message: string, options?: ErrorOptions) { super('OUT_OF_MEMORY', message, options) }
}

export class CorruptModelError extends InferenceError {
  static override name = 'CorruptModelError'
  override name = 'CorruptModelError'
  constructor (message: string, options?: ErrorOptions) { super('CORRUPT_MODEL', message, options) }
}

export class ModelUnavailableError extends InferenceError {
  static override name = 'ModelUnavailableError'
  override name = 'ModelUnavailableError'
  constructor (message: string, options?: ErrorOptions) { super('MODEL_UNAVAILABLE', message, options) }
}

export class InvalidInputError extends InferenceError {
  static override name = 'InvalidInputError'
  override name = 'InvalidInputError'
  constructor (message: string, options?: ErrorOptions) { super('INVALID_INPUT', message, options) }
}

export class ProtocolViolationError extends InferenceError {
  static override name = 'ProtocolViolationError'
  override name = 'ProtocolViolationError'
  constructor (message: string, options?: ErrorOptions) { super('PROTOCOL_VIOLATION', message, options) }
}

/** The error class for each code, so an error that crossed the worker boundary is rebuilt as itself. */
const CLASSES: Partial<Record<InferenceErrorCode, new (message: string) => InferenceError>> = {
  NO_BACKEND: NoBackendError,
  MODEL_TOO_LARGE: ModelTooLargeError,
  UNSUPPORTED_OPERATOR: UnsupportedOperatorError,
  UNSUPPORTED_MODEL: UnsupportedModelError,
  OUT_OF_MEMORY: OutOfMemoryError,
  CORRUPT_MODEL: CorruptModelError,
  MODEL_UNAVAILABLE: ModelUnavailableError,
  INVALID_INPUT: InvalidInputError,
  PROTOCOL_VIOLATION: ProtocolViolationError
}

/** An error that crossed the worker boundary as `{code, message}`, as its own class again. */
export function errorFromWire (code: InferenceErrorCode, message: string): InferenceError {
  const Class = CLASSES[code]
  return Class !== undefined ? new Class(message) : new InferenceError(code, message)
}

const CORRUPT = /protobuf parsing failed|failed to load model|unrecognized.*(proto|model)|invalid (onnx )?model file|ModelProto does not have a graph/i
const UNSUPPORTED = /no op registered|could not find an implementation|no opset import|not a registered function|unsupported (op|operator)|opset .* is (not supported|under development)|not (currently )?implemented/i
const NO_BACKEND = /no available backend found|backend not found|webgpu is not supported/i
const BAD_INPUT = /invalid (dimensions|rank|shape) for input|unexpected input data type|input .* (is )?missing|invalid input name/i
const OOM = /out of memory|could not allocate|cannot enlarge memory|allocation failed|bad_alloc|failed to allocate|oom\b|device (was )?lost|exceeds the max(imum)? buffer size|integer overflow/i

/** The code for a failure ONNX Runtime reported as free text. */
export function classifyOrtError (message: string): InferenceErrorCode {
  if (NO_BACKEND.test(message)) return 'NO_BACKEND'
  if (OOM.test(message)) return 'OUT_OF_MEMORY'
  if (UNSUPPORTED.test(message)) return 'UNSUPPORTED_OPERATOR'
  if (CORRUPT.test(message)) return 'CORRUPT_MODEL'
  if (BAD_INPUT.test(message)) return 'INVALID_INPUT'
  return 'INFERENCE_FAILED'
}

/** Whether ONNX Runtime's WebAssembly instance aborted: it cannot serve anything after this. */
export function isFatalOrtError (message: string): boolean {
  return /\baborted\(|RuntimeError: unreachable|memory access out of bounds/i.test(message)
}

const ADVICE: Record<InferenceErrorCode, string> = {
  NO_BACKEND: 'Use a recent browser with WebGPU or WebAssembly enabled.',
  MODEL_TOO_LARGE: 'Choose a smaller model or a device with more memory.',
  UNSUPPORTED_OPERATOR: 'The model needs an operator this runtime lacks; export it with a supported opset or other operators.',
  UNSUPPORTED_MODEL: 'Export the model as one file with float32 or supported weights.',
  OUT_OF_MEMORY: 'Close other tabs or choose a smaller model or batch.',
  CORRUPT_MODEL: 'The model file is damaged or is not ONNX; fetch it again or check its source.',
  MODEL_UNAVAILABLE: 'Try again when peers or the relay can serve it.',
  INVALID_INPUT: 'Check the inputs\' names, types and shapes against the model.',
  PROTOCOL_VIOLATION: 'This is a bug in the page; reload it.',
  UNKNOWN_MODEL: 'Load the model again.',
  WORKER_FAILED: 'Try again; the engine starts a new worker.',
  DISPOSED: 'Create a new engine.',
  INFERENCE_FAILED: 'Check the model and its inputs.'
}

/** An ONNX Runtime failure (or anything thrown while serving a request) as a coded error. */
export function toInferenceError (err: unknown, doing: string): InferenceError {
  if (err instanceof InferenceError) return err
  const detail = err instanceof Error ? err.message : String(err)
  const code = classifyOrtError(detail)
  return errorFromWire(code, `ONNX Runtime failed ${doing}: ${detail.slice(0, 500)} ${ADVICE[code]}`)
}
