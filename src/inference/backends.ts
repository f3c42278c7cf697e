/**
 * The one table of backends and data types. The device is probed once (WebGPU adapter, its
 * features and limits; cross-origin isolation and cores for WASM threads), the table is built
 * from that, and every later choice reads the table: which backend a model runs on, how many
 * threads, whether fp16 is there, and whether a model fits at all, decided before it is loaded.
 *
 * A software WebGPU adapter (SwiftShader, "fallback") is listed after WASM: it is correct but
 * tens of times slower than WASM on the CPU it emulates a GPU with.
 */
import { ADAPTER_POWER_PREFERENCE, ADAPTER_TIMEOUT_MS, MAX_MODEL_BYTES, MAX_WASM_THREADS } from './constants.ts'
import { ModelTooLargeError, NoBackendError, UnsupportedModelError } from './errors.ts'
import type { ModelInfo } from './onnx/inspect.ts'

export type BackendName = 'webgpu' | 'wasm'
export type DataType = 'fp32' | 'fp16'

export interface GpuProbe {
  vendor: string
  architecture: string
  device: string
  description: string
  /** A software adapter (SwiftShader, or the browser says fallback). */
  software: boolean
  features: string[]
  /** Largest GPU buffer, in bytes. */
  maxBufferSize: number
  /** Largest storage buffer one shader binds, in bytes. */
  maxStorageBufferBindingSize: number
}

export interface DeviceProbe {
  /** The WebGPU adapter, or null with the reason in `gpuAbsent`. */
  gpu: GpuProbe | null
  gpuAbsent?: string
  wasm: boolean
  crossOriginIsolated: boolean
  cores: number
}

export interface Backend {
  name: BackendName
  dtypes: DataType[]
  /** WASM threads (1 unless cross-origin isolated); 0 for WebGPU, whose work is on the GPU. */
  threads: number
  /** Largest single weight tensor, in bytes. */
  maxTensorBytes: number
}

export interface BackendTable {
  /** Usable backends, preferred first. */
  backends: Backend[]
  /** Largest model file, in bytes (the engine's cap, or the user's lower one). */
  maxModelBytes: number
  /** Why a backend is not in the table. */
  absent: Partial<Record<BackendName, string>>
}

export interface TableOptions {
  /** Most WASM threads the user allows (the governor's limit). */
  threads?: number
  /** Largest model the user allows, in bytes; capped at MAX_MODEL_BYTES. */
  maxModelBytes?: number
}

/** What the environment offers that the probe reads: `navigator` and `self` in a worker or page. */
export interface ProbeEnv {
  gpu?: { requestAdapter (options?: { powerPreference?: 'high-performance' | 'low-power' }): Promise<AdapterLike | null> }
  crossOriginIsolated?: boolean
  hardwareConcurrency?: number
  hasWebAssembly: boolean
}

export interface AdapterLike {
  info?: { vendor?: string, architecture?: string, device?: string, description?: string, isFallbackAdapter?: boolean }
  isFallbackAdapter?: boolean
  features: Iterable<string>
  limits: { maxBufferSize: number, maxStorageBufferBindingSize: number }
}

function timeout<T> (promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<never>((_resolve, reject) => { timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms) })
  ])
}

/** Reads what the device offers. Never throws: an absent or failing WebGPU is reported, not raised. */
export async function probeDevice (env: ProbeEnv): Promise<DeviceProbe> {
  const base = { wasm: env.hasWebAssembly, crossOriginIsolated: env.crossOriginIsolated === true, cores: Math.max(1, env.hardwareConcurrency ?? 1) }
  if (env.gpu === undefined) return { ...base, gpu: null, gpuAbsent: 'This browser has no WebGPU (navigator.gpu is missing).' }
  let adapter: AdapterLike | null
  try {
    adapter = await timeout(env.gpu.requestAdapter({ powerPreference: ADAPTER_POWER_PREFERENCE }), ADAPTER_TIMEOUT_MS, 'The WebGPU adapter request')
  } catch (err) {
    return { ...base, gpu: null, gpuAbsent: `WebGPU failed: ${(err as Error).message}.` }
  }
  if (adapter === null) return { ...base, gpu: null, gpuAbsent: 'WebGPU is there but offers no adapter (no usable GPU, or it is blocked).' }
  const info = adapter.info ?? {}
  const architecture = info.architecture ?? ''
  const description = info.description ?? ''
  return {
    ...base,
    gpu: {
      vendor: info.vendor ?? '',
      architecture,
      device: info.device ?? '',
      description,
      software: info.isFallbackAdapter === true || adapter.isFallbackAdapter === true || /swiftshader/i.test(`${architecture} ${description}`),
      features: [...adapter.features].sort(),
      maxBufferSize: adapter.limits.maxBufferSize,
      maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize
    }
  }
}

/** The backends this device offers, preferred first; throws NoBackendError when there is none. */
export function chooseBackends (probe: DeviceProbe, options: TableOptions = {}): BackendTable {
  const absent: BackendTable['absent'] = {}
  const maxModelBytes = Math.min(MAX_MODEL_BYTES, options.maxModelBytes ?? MAX_MODEL_BYTES)
  let wasm: Backend | undefined
  if (probe.wasm) {
    // Threads need SharedArrayBuffer, which only a cross-origin isolated page has; ORT would silently use one.
    const allowed = Math.max(1, Math.min(options.threads ?? probe.cores, probe.cores, MAX_WASM_THREADS))
    wasm = { name: 'wasm', dtypes: ['fp32'], threads: probe.crossOriginIsolated ? allowed : 1, maxTensorBytes: maxModelBytes }
  } else {
    absent.wasm = 'This browser has no WebAssembly.'
  }
  let webgpu: Backend | undefined
  if (probe.gpu !== null) {
    const dtypes: DataType[] = probe.gpu.features.includes('shader-f16') ? ['fp32', 'fp16'] : ['fp32']
    webgpu = { name: 'webgpu', dtypes, threads: 0, maxTensorBytes: Math.min(probe.gpu.maxBufferSize, probe.gpu.maxStorageBufferBindingSize) }
  } else {
    absent.webgpu = probe.gpuAbsent ?? 'No WebGPU adapter.'
  }
  const ordered = probe.gpu?.software === true ? [wasm, webgpu] : [webgpu, wasm]
  const backends = ordered.filter((b): b is Backend => b !== undefined)
  if (backends.length === 0) throw new NoBackendError(`This browser can run no models: ${Object.values(absent).join(' ')} Use a recent browser with WebGPU or WebAssembly enabled.`)
  return { backends, maxModelBytes, absent }
}

const MIB = 1024 * 1024
const mib = (bytes: number): string => `${(bytes / MIB).toFixed(bytes < 10 * MIB ? 1 : 0)} MiB`

/** Data types a model's float weights need. */
function neededDtypes (info: ModelInfo): DataType[] {
  const out: DataType[] = []
  if (info.weightTypes.includes('float16')) out.push('fp16')
  return out
}

/**
 * The backend `model` runs on: the preferred one that can hold it, or `want` if given. Throws
 * with the reason when none can (too large, external data, a data type no backend has).
 */
export function planModel (table: BackendTable, info: ModelInfo, modelBytes: number, want?: BackendName): Backend {
  if (modelBytes > table.maxModelBytes) {
    throw new ModelTooLargeError(`The model is ${mib(modelBytes)}; this device takes models up to ${mib(table.maxModelBytes)}. Choose a smaller model or raise the limit.`)
  }
  if (info.externalData) {
    throw new UnsupportedModelError('The model keeps its weights in separate files; export it as one .onnx file to run it here.')
  }
  const candidates = table.backends.filter(b => want === undefined || b.name === want)
  if (candidates.length === 0) {
    throw new NoBackendError(`The ${want} backend is not available here: ${want === undefined ? '' : table.absent[want] ?? ''} Run the model on ${table.backends.map(b => b.name).join(' or ')}.`)
  }
  const reasons: string[] = []
  for (const backend of candidates) {
    const missing = neededDtypes(info).filter(d => !backend.dtypes.includes(d))
    if (missing.length > 0) {
      reasons.push(`${backend.name} has no ${missing.join(', ')}`)
      continue
    }
    if (info.largestWeightBytes > backend.maxTensorBytes) {
      reasons.push(`its largest weight (${mib(info.largestWeightBytes)}) is over ${backend.name}'s ${mib(backend.maxTensorBytes)} buffer limit`)
      continue
    }
    return backend
  }
  const typeOnly = reasons.every(r => r.includes(' has no '))
  const message = `No backend here can hold this model: ${reasons.join('; ')}.`
  throw typeOnly ? new UnsupportedModelError(`${message} Use a float32 export of the model.`) : new ModelTooLargeError(`${message} Choose a smaller model.`)
}
