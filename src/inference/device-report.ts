/**
 * The device report: what a participant's device offers for inference — its backends (the
 * table), the WebGPU adapter and its limits, WASM threads, and measured throughput on the
 * reference MLP — so tasks can be matched to devices. It is a plain object of integers, strings
 * and booleans (no floats, no undefined), so it encodes canonically with the project's DAG-CBOR
 * codec and can be signed and published like any other message; `decodeDeviceReport` reads one
 * back strictly (exact fields, caps).
 */
import { decode, encode, readBool, readList, readString, readUint, record } from '../core/codec.ts'
import { DecodeError } from '../core/errors.ts'
import type { BackendName, BackendTable, DeviceProbe } from './backends.ts'
import { THROUGHPUT_RUNS, THROUGHPUT_WARMUP_RUNS } from './constants.ts'
import type { InferenceEngine } from './engine.ts'
import { REFERENCE_BATCH, REFERENCE_MLP, referenceModel } from './reference-model.ts'

/** Version of the report's shape. */
export const DEVICE_REPORT_VERSION = 1
/** Largest encoded report, in bytes. */
export const MAX_DEVICE_REPORT_BYTES = 16 * 1024
/** The reference model's name in reports. */
export const REFERENCE_MODEL_NAME = `mlp-${REFERENCE_MLP.inputs}x${REFERENCE_MLP.hidden}x${REFERENCE_MLP.layers}x${REFERENCE_MLP.outputs}`

const MAX_TEXT = 256
const MAX_ITEMS = 64
const MAX_INT = Number.MAX_SAFE_INTEGER

export interface DeviceReport {
  version: number
  /** The backend models run on by default. */
  backend: BackendName
  backends: Array<{ name: BackendName, dtypes: string[], threads: number, maxTensorBytes: number }>
  maxModelBytes: number
  adapter: { vendor: string, architecture: string, device: string, description: string, software: boolean } | null
  features: string[]
  limits: { maxBufferSize: number, maxStorageBufferBindingSize: number } | null
  wasm: { crossOriginIsolated: boolean, threads: number, cores: number }
  throughput: Array<{ backend: BackendName, model: string, batch: number, microsPerBatch: number, runs: number }>
}

export interface MeasureOptions {
  /** Backends to measure; every one in the table by default. */
  backends?: BackendName[]
  runs?: number
}

/** The report's static part (no measurement), from the device probe and the backend table. */
export function describeDevice (probe: DeviceProbe, table: BackendTable): Omit<DeviceReport, 'throughput'> {
  const wasm = table.backends.find(b => b.name === 'wasm')
  const gpu = probe.gpu
  return {
    version: DEVICE_REPORT_VERSION,
    backend: table.backends[0]!.name,
    backends: table.backends.map(b => ({ name: b.name, dtypes: [...b.dtypes], threads: b.threads, maxTensorBytes: b.maxTensorBytes })),
    maxModelBytes: table.maxModelBytes,
    adapter: gpu === null ? null : { vendor: gpu.vendor, architecture: gpu.architecture, device: gpu.device, description: gpu.description, software: gpu.software },
    features: gpu === null ? [] : [...gpu.features],
    limits: gpu === null ? null : { maxBufferSize: gpu.maxBufferSize, maxStorageBufferBindingSize: gpu.maxStorageBufferBindingSize },
    wasm: { crossOriginIsolated: probe.crossOriginIsolated, threads: wasm?.threads ?? 0, cores: probe.cores }
  }
}

/** Probes the device through `engine` and times the reference MLP on each backend (worker and messaging included). */
export async function measureDevice (engine: InferenceEngine, options: MeasureOptions = {}): Promise<DeviceReport> {
  const { probe, table } = await engine.init()
  const bytes = referenceModel()
  const runs = options.runs ?? THROUGHPUT_RUNS
  const throughput: DeviceReport['throughput'] = []
  for (const backend of options.backends ?? table.backends.map(b => b.name)) {
    const model = await engine.loadModel({ bytes, id: REFERENCE_MODEL_NAME }, { backend })
    const x = { type: 'float32' as const, dims: [REFERENCE_BATCH, REFERENCE_MLP.inputs], data: new Float32Array(REFERENCE_BATCH * REFERENCE_MLP.inputs).fill(0.5) }
    for (let i = 0; i < THROUGHPUT_WARMUP_RUNS; i++) await engine.run(model, { x })
    const started = performance.now()
    for (let i = 0; i < runs; i++) await engine.run(model, { x })
    const micros = Math.max(1, Math.round((performance.now() - started) * 1000 / runs))
    throughput.push({ backend, model: REFERENCE_MODEL_NAME, batch: REFERENCE_BATCH, microsPerBatch: micros, runs })
    await engine.release(model)
  }
  return { ...describeDevice(probe, table), throughput }
}

export function encodeDeviceReport (report: DeviceReport): Uint8Array {
  return encode(report)
}

function backendName (value: unknown, field: string): BackendName {
  const name = readString(value, field, 16)
  if (name !== 'webgpu' && name !== 'wasm') throw new DecodeError('BAD_FIELD', `The field "${field}" must be webgpu or wasm.`)
  return name
}

const strings = (value: unknown, field: string): string[] => readList(value, field, MAX_ITEMS).map((v, i) => readString(v, `${field}[${i}]`, MAX_TEXT))

/** Reads an encoded report back, checking every field; throws DecodeError otherwise. */
export function decodeDeviceReport (bytes: Uint8Array): DeviceReport {
  const f = record(decode(bytes, MAX_DEVICE_REPORT_BYTES, 'device report'), ['version', 'backend', 'backends', 'maxModelBytes', 'adapter', 'features', 'limits', 'wasm', 'throughput'], 'device report')
  const version = readUint(f.version, 'version', MAX_INT)
  if (version !== DEVICE_REPORT_VERSION) throw new DecodeError('BAD_FIELD', `This is a version ${version} device report; version ${DEVICE_REPORT_VERSION} is read here.`)
  const backends = readList(f.backends, 'backends', 4).map((v, i) => {
    const b = record(v, ['name', 'dtypes', 'threads', 'maxTensorBytes'], `backends[${i}]`)
    return { name: backendName(b.name, 'name'), dtypes: strings(b.dtypes, 'dtypes'), threads: readUint(b.threads, 'threads', 1024), maxTensorBytes: readUint(b.maxTensorBytes, 'maxTensorBytes', MAX_INT) }
  })
  let adapter: DeviceReport['adapter'] = null
  if (f.adapter !== null) {
    const a = record(f.adapter, ['vendor', 'architecture', 'device', 'description', 'software'], 'adapter')
    adapter = { vendor: readString(a.vendor, 'vendor', MAX_TEXT), architecture: readString(a.architecture, 'architecture', MAX_TEXT), device: readString(a.device, 'device', MAX_TEXT), description: readString(a.description, 'description', MAX_TEXT), software: readBool(a.software, 'software') }
  }
  let limits: DeviceReport['limits'] = null
  if (f.limits !== null) {
    const l = record(f.limits, ['maxBufferSize', 'maxStorageBufferBindingSize'], 'limits')
    limits = { maxBufferSize: readUint(l.maxBufferSize, 'maxBufferSize', MAX_INT), maxStorageBufferBindingSize: readUint(l.maxStorageBufferBindingSize, 'maxStorageBufferBindingSize', MAX_INT) }
  }
  const w = record(f.wasm, ['crossOriginIsolated', 'threads', 'cores'], 'wasm')
  const throughput = readList(f.throughput, 'throughput', MAX_ITEMS).map((v, i) => {
    const t = record(v, ['backend', 'model', 'batch', 'microsPerBatch', 'runs'], `throughput[${i}]`)
    return { backend: backendName(t.backend, 'backend'), model: readString(t.model, 'model', MAX_TEXT), batch: readUint(t.batch, 'batch', MAX_INT), microsPerBatch: readUint(t.microsPerBatch, 'microsPerBatch', MAX_INT), runs: readUint(t.runs, 'runs', MAX_INT) }
  })
  return {
    version,
    backend: backendName(f.backend, 'backend'),
    backends,
    maxModelBytes: readUint(f.maxModelBytes, 'maxModelBytes', MAX_INT),
    adapter,
    features: strings(f.features, 'features'),
    limits,
    wasm: { crossOriginIsolated: readBool(w.crossOriginIsolated, 'crossOriginIsolated'), threads: readUint(w.threads, 'threads', 1024), cores: readUint(w.cores, 'cores', 65_536) },
    throughput
  }
}
