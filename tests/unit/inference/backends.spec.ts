import { describe, expect, it } from 'vitest'
import { chooseBackends, planModel, probeDevice, type AdapterLike, type DeviceProbe, type ProbeEnv } from '../../../src/inference/backends.ts'
import { MAX_MODEL_BYTES } from '../../../src/inference/constants.ts'
import { ModelTooLargeError, NoBackendError, UnsupportedModelError } from '../../../src/inference/errors.ts'
import type { ModelInfo } from '../../../src/inference/onnx/inspect.ts'

const MIB = 1024 * 1024

function adapter (over: Partial<AdapterLike> & { architecture?: string, fallback?: boolean } = {}): AdapterLike {
  return {
    info: { vendor: 'acme', architecture: over.architecture ?? 'rdna3', device: '', description: 'Acme GPU', isFallbackAdapter: over.fallback ?? false },
    features: over.features ?? new Set(['shader-f16', 'timestamp-query']),
    limits: over.limits ?? { maxBufferSize: 4096 * MIB, maxStorageBufferBindingSize: 2048 * MIB }
  }
}

function env (gpu: ProbeEnv['gpu'], over: Partial<ProbeEnv> = {}): ProbeEnv {
  return { gpu, crossOriginIsolated: true, hardwareConcurrency: 8, hasWebAssembly: true, ...over }
}

const withAdapter = (a: AdapterLike | null): ProbeEnv['gpu'] => ({ requestAdapter: async () => a })

function info (over: Partial<ModelInfo> = {}): ModelInfo {
  return { irVersion: 8, opsets: { '': 17 }, operators: [':Gemm'], weightBytes: 10 * MIB, largestWeightBytes: 4 * MIB, weightTypes: ['float32'], externalData: false, ...over }
}

describe('probing the device', () => {
  it('reads the adapter\'s info, features and limits', async () => {
    const probe = await probeDevice(env(withAdapter(adapter())))
    expect(probe.gpu).toEqual({ vendor: 'acme', architecture: 'rdna3', device: '', description: 'Acme GPU', software: false, features: ['shader-f16', 'timestamp-query'], maxBufferSize: 4096 * MIB, maxStorageBufferBindingSize: 2048 * MIB })
    expect(probe).toMatchObject({ wasm: true, crossOriginIsolated: true, cores: 8 })
  })

  it('reports WebGPU absent, with why, instead of failing: no navigator.gpu, no adapter, a request that throws or hangs', async () => {
    expect((await probeDevice(env(undefined))).gpuAbsent).toMatch(/no WebGPU/)
    expect((await probeDevice(env(withAdapter(null)))).gpuAbsent).toMatch(/no adapter/)
    const failing = await probeDevice(env({ requestAdapter: async () => { throw new Error('GPU process crashed') } }))
    expect(failing.gpu).toBeNull()
    expect(failing.gpuAbsent).toMatch(/GPU process crashed/)
  })

  it('marks SwiftShader and fallback adapters as software', async () => {
    expect((await probeDevice(env(withAdapter(adapter({ architecture: 'swiftshader' }))))).gpu!.software).toBe(true)
    expect((await probeDevice(env(withAdapter(adapter({ fallback: true }))))).gpu!.software).toBe(true)
  })
})

describe('the backend table', () => {
  const probe = async (a: AdapterLike | null, over: Partial<ProbeEnv> = {}): Promise<DeviceProbe> => await probeDevice(env(withAdapter(a), over))

  it('prefers a hardware GPU, with fp16 when the adapter has shader-f16, and keeps WASM as the fallback', async () => {
    const table = chooseBackends(await probe(adapter()))
    expect(table.backends.map(b => [b.name, b.dtypes])).toEqual([['webgpu', ['fp32', 'fp16']], ['wasm', ['fp32']]])
    expect(table.backends[0]!.maxTensorBytes).toBe(2048 * MIB)
    expect(chooseBackends(await probe(adapter({ features: new Set() })))).toMatchObject({ backends: [{ name: 'webgpu', dtypes: ['fp32'] }, { name: 'wasm' }] })
  })

  it('puts WASM before a software GPU', async () => {
    expect(chooseBackends(await probe(adapter({ architecture: 'swiftshader' }))).backends.map(b => b.name)).toEqual(['wasm', 'webgpu'])
  })

  it('gives WASM threads only when cross-origin isolated, within the cores and the user\'s limit', async () => {
    expect(chooseBackends(await probe(null, { crossOriginIsolated: false })).backends[0]!.threads).toBe(1)
    expect(chooseBackends(await probe(null, { hardwareConcurrency: 2 })).backends[0]!.threads).toBe(2)
    expect(chooseBackends(await probe(null, { hardwareConcurrency: 16 })).backends[0]!.threads).toBe(4)
    expect(chooseBackends(await probe(null), { threads: 1 }).backends[0]!.threads).toBe(1)
  })

  it('caps the model size at the engine\'s limit; a user may lower it, not raise it', async () => {
    const p = await probe(adapter())
    expect(chooseBackends(p).maxModelBytes).toBe(MAX_MODEL_BYTES)
    expect(chooseBackends(p, { maxModelBytes: 64 * MIB }).maxModelBytes).toBe(64 * MIB)
    expect(chooseBackends(p, { maxModelBytes: 8 * MAX_MODEL_BYTES }).maxModelBytes).toBe(MAX_MODEL_BYTES)
  })

  it('refuses a device with neither WebGPU nor WebAssembly', async () => {
    expect(() => chooseBackends({ gpu: null, gpuAbsent: 'no WebGPU.', wasm: false, crossOriginIsolated: false, cores: 1 })).toThrow(NoBackendError)
  })
})

describe('planning a model before it is loaded', () => {
  it('runs it on the preferred backend that holds its largest weight, or the one asked for', async () => {
    const table = chooseBackends(await probeDevice(env(withAdapter(adapter({ limits: { maxBufferSize: 256 * MIB, maxStorageBufferBindingSize: 128 * MIB } })))))
    expect(planModel(table, info(), 20 * MIB).name).toBe('webgpu')
    expect(planModel(table, info(), 20 * MIB, 'wasm').name).toBe('wasm')
    // A weight over the GPU's binding limit: WASM takes it.
    expect(planModel(table, info({ largestWeightBytes: 200 * MIB }), 300 * MIB).name).toBe('wasm')
    expect(() => planModel(table, info({ largestWeightBytes: 200 * MIB }), 300 * MIB, 'webgpu')).toThrow(/over webgpu's 128 MiB buffer limit/)
  })

  it('refuses a model over the size limit with the sizes, before anything else', async () => {
    const table = chooseBackends(await probeDevice(env(undefined)), { maxModelBytes: 50 * MIB })
    expect(() => planModel(table, info(), 51 * MIB)).toThrow(ModelTooLargeError)
    expect(() => planModel(table, info(), 51 * MIB)).toThrow(/51 MiB; this device takes models up to 50 MiB/)
  })

  it('refuses fp16 weights where no backend has fp16, and external weight files', async () => {
    const noF16 = chooseBackends(await probeDevice(env(withAdapter(adapter({ features: new Set() })))))
    expect(() => planModel(noF16, info({ weightTypes: ['float16'] }), MIB)).toThrow(UnsupportedModelError)
    const f16 = chooseBackends(await probeDevice(env(withAdapter(adapter()))))
    expect(planModel(f16, info({ weightTypes: ['float16'] }), MIB).name).toBe('webgpu')
    expect(() => planModel(f16, info({ externalData: true }), MIB)).toThrow(UnsupportedModelError)
  })

  it('refuses a backend the device does not have, saying why', async () => {
    const table = chooseBackends(await probeDevice(env(withAdapter(null))))
    expect(() => planModel(table, info(), MIB, 'webgpu')).toThrow(NoBackendError)
    expect(() => planModel(table, info(), MIB, 'webgpu')).toThrow(/no adapter/)
  })
})
