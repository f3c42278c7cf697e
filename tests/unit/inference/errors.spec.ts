import { describe, expect, it } from 'vitest'
import { classifyOrtError, CorruptModelError, errorFromWire, INFERENCE_ERROR_CODES, InferenceError, isFatalOrtError, ModelTooLargeError, toInferenceError } from '../../../src/inference/errors.ts'

describe('ONNX Runtime\'s failures as coded errors', () => {
  it('names each failure by what ORT 1.30 says (Node and browser wordings)', () => {
    const cases: Array<[string, string]> = [
      ['Failed to load model because protobuf parsing failed.', 'CORRUPT_MODEL'],
      ['Can\'t create a session. ERROR_CODE: 7, ERROR_MESSAGE: Failed to load model because protobuf parsing failed.', 'CORRUPT_MODEL'],
      ['This is an invalid model. In Node, ("", Frobnicate, "", -1) : ("x": tensor(float),) -> ("y": tensor(float),) , Error No Op registered for Frobnicate with domain_version of 17', 'UNSUPPORTED_OPERATOR'],
      ['This is an invalid model. Error No opset import for domain \'com.example\'', 'UNSUPPORTED_OPERATOR'],
      ['Could not find an implementation for Frobnicate(17) node with name \'f\'', 'UNSUPPORTED_OPERATOR'],
      ['RangeError: WebAssembly.Memory(): could not allocate memory', 'OUT_OF_MEMORY'],
      ['Aborted(Cannot enlarge memory arrays to size 4294967296 bytes (OOM).)', 'OUT_OF_MEMORY'],
      ['Failed to allocate a buffer of size 2147483648', 'OUT_OF_MEMORY'],
      ['Buffer size (5000000000) exceeds the max buffer size limit (4294967296).', 'OUT_OF_MEMORY'],
      // A tensor of 4 GiB or more does not fit 32-bit WebAssembly: ORT's size arithmetic overflows.
      ['failed to call OrtRun(). ERROR_CODE: 1, ERROR_MESSAGE: onnxruntime/core/common/safeint.h:17 static void SafeIntExceptionHandler<onnxruntime::OnnxRuntimeException>::SafeIntOnOverflow() Integer overflow', 'OUT_OF_MEMORY'],
      ['Got invalid dimensions for input: x for the following indices index: 1 Got: 3 Expected: 64', 'INVALID_INPUT'],
      ['Unexpected input data type. Actual: (tensor(int32)) , expected: (tensor(float))', 'INVALID_INPUT'],
      ['no available backend found. ERR: [webgpu] backend not found.', 'NO_BACKEND'],
      ['something nobody expected', 'INFERENCE_FAILED']
    ]
    for (const [message, code] of cases) expect([message, classifyOrtError(message)]).toEqual([message, code])
  })

  it('tells an aborted WebAssembly instance (the worker must be replaced) from an ordinary failure', () => {
    expect(isFatalOrtError('Aborted(Cannot enlarge memory arrays)')).toBe(true)
    expect(isFatalOrtError('RuntimeError: unreachable')).toBe(true)
    expect(isFatalOrtError('Failed to load model because protobuf parsing failed.')).toBe(false)
  })

  it('rebuilds an error that crossed the worker boundary as its own class, with its code and sentence', () => {
    const err = errorFromWire('CORRUPT_MODEL', 'The model file is damaged.')
    expect(err).toBeInstanceOf(CorruptModelError)
    expect(err).toBeInstanceOf(InferenceError)
    expect([err.code, err.message, err.name]).toEqual(['CORRUPT_MODEL', 'The model file is damaged.', 'CorruptModelError'])
    for (const code of INFERENCE_ERROR_CODES) expect(errorFromWire(code, 'x').code).toBe(code)
  })

  it('keeps a coded error as it is and gives ORT\'s text a code and advice', () => {
    const coded = new ModelTooLargeError('too large')
    expect(toInferenceError(coded, 'loading')).toBe(coded)
    const wrapped = toInferenceError(new Error('Failed to load model because protobuf parsing failed.'), 'loading the model')
    expect(wrapped).toBeInstanceOf(CorruptModelError)
    expect(wrapped.message).toMatch(/^ONNX Runtime failed loading the model: .*fetch it again/)
  })
})
