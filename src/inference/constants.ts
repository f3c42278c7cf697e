/**
 * Limits of the inference engine. Every message the worker decodes and every model it loads is
 * checked against these before it is used; a page may lower the model cap (the user's budget),
 * never raise it.
 */

/** Where the page serves ONNX Runtime's `.wasm` and `.mjs` (copied from the package at build time). */
export const ORT_BASE_PATH = '/ort/'

/**
 * The ONNX Runtime binaries the `onnxruntime-web/webgpu` entry point loads (native WebGPU EP and
 * WASM, one SIMD + threads build); the other builds in the package belong to other entry points.
 */
export const ORT_FILES = ['ort-wasm-simd-threaded.asyncify.mjs', 'ort-wasm-simd-threaded.asyncify.wasm'] as const

/**
 * Largest model anyone loads, in bytes. Protobuf caps a model at 2 GiB; 32-bit WebAssembly's
 * 4 GiB must hold the model's bytes, the session's copy of its weights and the working memory.
 */
export const MAX_MODEL_BYTES = 1024 * 1024 * 1024

/** Largest total of one run's inputs, and of its outputs, in bytes. */
export const MAX_TENSOR_BYTES = 256 * 1024 * 1024

/** Largest total of one run's inputs staged in shared memory (a power of two), and most staging memory kept between runs, in bytes; larger inputs are cloned. */
export const STAGING_MAX_BYTES = 64 * 1024 * 1024

/** Smallest staging buffer, in bytes: small inputs share one size, so a buffer serves them all. */
export const STAGING_MIN_BYTES = 64 * 1024

/** Alignment of each input in a staging buffer, in bytes (the widest element, int64). */
export const STAGING_ALIGN = 8

/** Most input (or output) tensors of one run. */
export const MAX_TENSORS = 64

/** Most dimensions of one tensor. */
export const MAX_RANK = 8

/** Longest tensor name, and longest model id, in characters. */
export const MAX_NAME_LENGTH = 256

/** Sessions one worker keeps open; loading another releases the least recently used. */
export const MAX_SESSIONS = 8

/** Most WASM threads the engine asks for (ORT's own default caps at 4 too). */
export const MAX_WASM_THREADS = 4

/** The WebGPU adapter the probe reads and ONNX Runtime runs on: the same preference for both, so they are the same GPU. */
export const ADAPTER_POWER_PREFERENCE = 'high-performance'

/** How long `init` waits for ONNX Runtime's WebGPU adapter before reporting WebGPU absent, in milliseconds. */
export const ADAPTER_TIMEOUT_MS = 10_000

/** Untimed runs before the device report's timed ones (the first runs compile kernels). */
export const THROUGHPUT_WARMUP_RUNS = 2

/** Timed runs of the reference model in the device report. */
export const THROUGHPUT_RUNS = 8
