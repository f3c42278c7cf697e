import { describe, expect, it } from 'vitest'
import { encode } from '../../../src/core/codec.ts'
import { chooseBackends, type DeviceProbe } from '../../../src/inference/backends.ts'
import { decodeDeviceReport, describeDevice, encodeDeviceReport, MAX_DEVICE_REPORT_BYTES, REFERENCE_MODEL_NAME, type DeviceReport } from '../../../src/inference/device-report.ts'

const probe: DeviceProbe = {
  gpu: { vendor: 'google', architecture: 'swiftshader', device: '', description: 'SwiftShader', software: true, features: ['shader-f16', 'subgroups'], maxBufferSize: 1 << 30, maxStorageBufferBindingSize: 1 << 27 },
  wasm: true,
  crossOriginIsolated: true,
  cores: 2
}

function report (): DeviceReport {
  return { ...describeDevice(probe, chooseBackends(probe)), throughput: [{ backend: 'wasm', model: REFERENCE_MODEL_NAME, batch: 16, microsPerBatch: 24_000, runs: 8 }] }
}

describe('the device report', () => {
  it('describes backends, adapter, limits and threads from the probe and the table', () => {
    const r = report()
    expect(r.backend).toBe('wasm')
    expect(r.backends).toEqual([{ name: 'wasm', dtypes: ['fp32'], threads: 2, maxTensorBytes: 1 << 30 }, { name: 'webgpu', dtypes: ['fp32', 'fp16'], threads: 0, maxTensorBytes: 1 << 27 }])
    expect(r.adapter).toEqual({ vendor: 'google', architecture: 'swiftshader', device: '', description: 'SwiftShader', software: true })
    expect(r.wasm).toEqual({ crossOriginIsolated: true, threads: 2, cores: 2 })
  })

  it('encodes canonically and reads back the same, with or without a GPU', () => {
    expect(decodeDeviceReport(encodeDeviceReport(report()))).toEqual(report())
    const cpu: DeviceProbe = { gpu: null, gpuAbsent: 'none', wasm: true, crossOriginIsolated: false, cores: 4 }
    const noGpu = { ...describeDevice(cpu, chooseBackends(cpu)), throughput: [] }
    expect(noGpu.adapter).toBeNull()
    expect(decodeDeviceReport(encodeDeviceReport(noGpu))).toEqual(noGpu)
  })

  it('refuses unknown fields, wrong types, unknown backends, other versions and oversized input', () => {
    const r = report() as unknown as Record<string, unknown>
    for (const bad of [{ ...r, extra: 1 }, { ...r, backend: 'cuda' }, { ...r, version: 2 }, { ...r, maxModelBytes: -1 }, { ...r, wasm: { crossOriginIsolated: 'yes', threads: 1, cores: 1 } }]) {
      expect(() => decodeDeviceReport(encode(bad))).toThrow()
    }
    expect(() => decodeDeviceReport(new Uint8Array(MAX_DEVICE_REPORT_BYTES + 1))).toThrow(/limit/)
  })
})
