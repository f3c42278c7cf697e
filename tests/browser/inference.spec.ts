import { readdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import * as ortNode from 'onnxruntime-node'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ORT_FILES } from '../../src/inference/constants.ts'
import { decodeDeviceReport, encodeDeviceReport, type DeviceReport } from '../../src/inference/device-report.ts'
import { launchBrowser, type LaunchedBrowser } from '../helpers/browser.ts'
import { buildInferencePage, openInferencePage } from '../helpers/inference-page.ts'
import { allocatingModel, maxAbsDiff, testConv, testInputs, testMlp, truncatedModel, unsupportedOperatorModel, worstExcess } from '../helpers/onnx-models.ts'
import { startRelayProcess, type RelayProcess } from '../helpers/relay.ts'
import type { InferencePage } from './fixtures/inference-page/main.ts'

type PageWindow = Window & { inference: InferencePage, engine?: InstanceType<InferencePage['InferenceEngine']> }

interface Case { model: number[], input: { dims: number[], data: number[] } }

async function nodeOutput (model: Uint8Array, input: { dims: number[], data: number[] }): Promise<number[]> {
  const session = await ortNode.InferenceSession.create(model)
  const out = await session.run({ x: new ortNode.Tensor('float32', Float32Array.from(input.data), input.dims) })
  await session.release()
  return [...(out.y!.data as Float32Array)]
}

/** Runs each case on `backend` in the page's engine (one engine, one worker); outputs as arrays. */
async function runInPage (page: Page, backend: 'wasm' | 'webgpu', cases: Case[]): Promise<Array<{ backend: string, y: number[] }>> {
  return await page.evaluate(async ({ backend, cases }) => {
    const w = window as unknown as PageWindow
    w.engine ??= new w.inference.InferenceEngine()
    const out = []
    for (const c of cases) {
      const model = await w.engine.loadModel({ bytes: Uint8Array.from(c.model) }, { backend })
      const { y } = await w.engine.run(model, { x: { type: 'float32', dims: c.input.dims, data: Float32Array.from(c.input.data) } })
      out.push({ backend: model.backend, y: [...(y!.data as Float32Array)] })
    }
    return out
  }, { backend, cases })
}

describe('the inference engine in Chromium (ONNX Runtime Web in a worker)', () => {
  let relay: RelayProcess
  let staticDir: string
  let browser: LaunchedBrowser
  let page: Page
  const errors: string[] = []
  const inputs = testInputs()
  const cases: Case[] = [
    { model: [...testMlp()], input: inputs.mlp },
    { model: [...testConv()], input: inputs.conv }
  ]
  let expected: number[][]

  beforeAll(async () => {
    staticDir = await buildInferencePage()
    relay = await startRelayProcess({ staticDir })
    browser = await launchBrowser({ webgpu: true })
    page = await browser.context.newPage()
    page.on('pageerror', err => { errors.push(err.message) })
    await openInferencePage(page, relay.url)
    expected = [await nodeOutput(testMlp(), inputs.mlp), await nodeOutput(testConv(), inputs.conv)]
  })
  afterAll(async () => {
    await browser?.close()
    await relay?.dispose()
    if (staticDir !== undefined) rmSync(staticDir, { recursive: true, force: true })
  })

  it('serves ONNX Runtime\'s binaries itself, with the MIME types and isolation headers a worker needs', async () => {
    // The build holds the webgpu entry point's two files at /ort/, and no second copy of the .wasm among its assets.
    expect(readdirSync(join(staticDir, 'ort')).sort()).toEqual([...ORT_FILES].sort())
    expect(readdirSync(join(staticDir, 'assets')).filter(f => f.endsWith('.wasm'))).toEqual([])
    const wasm = await fetch(`${relay.url}/ort/ort-wasm-simd-threaded.asyncify.wasm`)
    expect(wasm.status).toBe(200)
    expect(wasm.headers.get('content-type')).toBe('application/wasm')
    expect(wasm.headers.get('cross-origin-resource-policy')).toBe('same-origin')
    const mjs = await fetch(`${relay.url}/ort/ort-wasm-simd-threaded.asyncify.mjs`)
    expect(mjs.headers.get('content-type')).toMatch(/^(text|application)\/javascript/)
    expect(mjs.headers.get('cross-origin-embedder-policy')).toBe('require-corp')
  })

  it('probes the device once: WebGPU adapter and limits, and WASM threads because the page is cross-origin isolated', async () => {
    const { probe, table, isolated } = await page.evaluate(async () => {
      const w = window as unknown as PageWindow
      w.engine ??= new w.inference.InferenceEngine()
      return { ...await w.engine.init(), isolated: crossOriginIsolated }
    })
    expect(isolated).toBe(true)
    expect(probe.gpu).not.toBeNull()
    expect(probe.gpu!.maxStorageBufferBindingSize).toBeGreaterThan(0)
    // SwiftShader is a software adapter: WASM comes first, WebGPU is there when asked for.
    expect(probe.gpu!.software).toBe(true)
    expect(table.backends.map(b => b.name)).toEqual(['wasm', 'webgpu'])
    const wasm = table.backends.find(b => b.name === 'wasm')!
    expect(wasm.threads).toBe(Math.min(probe.cores, 4))
    console.log(`[inference] adapter ${probe.gpu!.vendor}/${probe.gpu!.architecture}, features ${probe.gpu!.features.join(' ')}, maxBufferSize ${probe.gpu!.maxBufferSize}, maxStorageBufferBindingSize ${probe.gpu!.maxStorageBufferBindingSize}, wasm threads ${wasm.threads}`)
  })

  it('gives onnxruntime-node\'s outputs on WASM for an MLP and a conv net, within the stated tolerance', async () => {
    const out = await runInPage(page, 'wasm', cases)
    expect(out.map(o => o.backend)).toEqual(['wasm', 'wasm'])
    for (let i = 0; i < cases.length; i++) expect(worstExcess(out[i]!.y, expected[i]!)).toBeLessThanOrEqual(0)
    console.log(`[inference] WASM against onnxruntime-node: largest difference ${out.map((o, i) => maxAbsDiff(o.y, expected[i]!).toExponential(1)).join(' (MLP), ')} (conv net)`)
  })

  it('gives onnxruntime-node\'s outputs on WebGPU for an MLP and a conv net, within the stated tolerance', async () => {
    const out = await runInPage(page, 'webgpu', cases)
    expect(out.map(o => o.backend)).toEqual(['webgpu', 'webgpu'])
    for (let i = 0; i < cases.length; i++) expect(worstExcess(out[i]!.y, expected[i]!)).toBeLessThanOrEqual(0)
    console.log(`[inference] WebGPU against onnxruntime-node: largest difference ${out.map((o, i) => maxAbsDiff(o.y, expected[i]!).toExponential(1)).join(' (MLP), ')} (conv net)`)
  })

  it('gives the same outputs for an input in a Float32Array, a transferred one (detached afterwards) and a sharedTensor (in shared memory), on WASM and WebGPU', async () => {
    for (const backend of ['wasm', 'webgpu'] as const) {
      const out = await page.evaluate(async ({ backend, model, input }) => {
        const w = window as unknown as PageWindow
        w.engine ??= new w.inference.InferenceEngine()
        const loaded = await w.engine.loadModel({ bytes: Uint8Array.from(model) }, { backend })
        const plain = Float32Array.from(input.data)
        const moved = Float32Array.from(input.data)
        const shared = w.inference.sharedTensor('float32', input.dims)
        shared.data.set(input.data as never)
        const ys = [
          (await w.engine.run(loaded, { x: { type: 'float32', dims: input.dims, data: plain } })).y!,
          (await w.engine.run(loaded, { x: { type: 'float32', dims: input.dims, data: moved } }, { transfer: true })).y!,
          (await w.engine.run(loaded, { x: shared })).y!
        ]
        return {
          ys: ys.map(y => [...(y.data as Float32Array)]),
          inShared: shared.data.buffer instanceof SharedArrayBuffer,
          lengths: { plain: plain.length, moved: moved.length, shared: shared.data.length }
        }
      }, { backend, model: cases[0]!.model, input: inputs.mlp })
      expect(out.inShared).toBe(true)
      expect(out.lengths).toEqual({ plain: inputs.mlp.data.length, moved: 0, shared: inputs.mlp.data.length })
      for (const y of out.ys) {
        expect(y).toEqual(out.ys[0])
        expect(worstExcess(y, expected[0]!)).toBeLessThanOrEqual(0)
      }
    }
  })

  it('refuses a corrupt model, an unknown operator, an oversized model, bad inputs and a run out of memory with their codes, and keeps serving the same worker', async () => {
    const result = await page.evaluate(async ({ truncated, unsupported, huge, good, input }) => {
      const w = window as unknown as PageWindow
      const engine = new w.inference.InferenceEngine({ maxModelBytes: 256 * 1024 })
      const messages: string[] = []
      const codeOf = async (bytes: number[]): Promise<string> => {
        try {
          await engine.loadModel({ bytes: Uint8Array.from(bytes) })
          return 'loaded'
        } catch (err) {
          messages.push((err as Error).message)
          return `${(err as { code?: string }).code}: ${(err as Error).name}`
        }
      }
      const big = w.inference.referenceModel()
      const codes = [await codeOf(truncated), await codeOf([0x0a, 0xff, 0xff, 0xff, 0x0f, 1, 2]), await codeOf(unsupported), await codeOf([...big])]
      const model = await engine.loadModel({ bytes: Uint8Array.from(good) })
      const { y } = await engine.run(model, { x: { type: 'float32', dims: input.dims, data: Float32Array.from(input.data) } })
      // 4 GiB of zeros: more than 32-bit WebAssembly can address.
      const allocating = await engine.loadModel({ bytes: Uint8Array.from(huge) }, { backend: 'wasm' })
      let outOfMemory = ''
      try {
        await engine.run(allocating, { shape: { type: 'int64', dims: [1], data: BigInt64Array.from([1n << 30n]) } })
      } catch (err) {
        outOfMemory = (err as { code: string }).code
        messages.push((err as Error).message)
      }
      let badInput = ''
      try {
        await engine.run(model, { x: { type: 'float32', dims: [1, 3], data: new Float32Array(3) } })
      } catch (err) {
        badInput = (err as { code: string }).code
        messages.push((err as Error).message)
      }
      const workers = engine.workersStarted
      engine.dispose()
      return { codes, y: [...(y!.data as Float32Array)], workers, bigBytes: big.length, badInput, outOfMemory, messages }
    }, { truncated: [...truncatedModel()], unsupported: [...unsupportedOperatorModel()], huge: [...allocatingModel()], good: cases[0]!.model, input: inputs.mlp })
    console.log(`[inference] refusals:\n${result.messages.join('\n')}`)
    expect(result.codes).toEqual([
      'CORRUPT_MODEL: CorruptModelError',
      'CORRUPT_MODEL: CorruptModelError',
      'UNSUPPORTED_OPERATOR: UnsupportedOperatorError',
      'MODEL_TOO_LARGE: ModelTooLargeError'
    ])
    expect(result.bigBytes).toBeGreaterThan(256 * 1024)
    expect(result.badInput).toBe('INVALID_INPUT')
    expect(result.outOfMemory).toBe('OUT_OF_MEMORY')
    expect(worstExcess(result.y, expected[0]!)).toBeLessThanOrEqual(0)
    expect(result.workers).toBe(1)
  })

  it('loads a model by CID from the relay, checking its blocks, with progress; refuses one over the limit from its manifest', async () => {
    const mlp = testMlp()
    const published = await (await fetch(`${relay.url}/api/bundles?name=test-mlp.onnx&chunkSize=16384`, { method: 'POST', headers: { 'content-type': 'application/octet-stream' }, body: Buffer.from(mlp) })).json() as { cid: string, chunks: number }
    expect(published.chunks).toBeGreaterThan(1)
    const result = await page.evaluate(async ({ cid, input }) => {
      const w = window as unknown as PageWindow
      const source = w.inference.httpBundleSource(location.origin)
      const engine = new w.inference.InferenceEngine({ source })
      const phases: string[] = []
      let lastDone = 0
      const model = await engine.loadModel({ cid }, { backend: 'wasm', onProgress: p => { phases.push(p.phase); if (p.phase === 'fetch') lastDone = p.bytesDone } })
      const { y } = await engine.run(model, { x: { type: 'float32', dims: input.dims, data: Float32Array.from(input.data) } })
      const small = new w.inference.InferenceEngine({ source, maxModelBytes: 1024 })
      let tooLarge = ''
      try { await small.loadModel({ cid }) } catch (err) { tooLarge = (err as { code: string }).code }
      let missing = ''
      try { await engine.loadModel({ cid: 'bafyreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy' }) } catch (err) { missing = (err as { code: string }).code }
      engine.dispose()
      small.dispose()
      return { id: model.id, phases: [...new Set(phases)], lastDone, y: [...(y!.data as Float32Array)], tooLarge, missing }
    }, { cid: published.cid, input: inputs.mlp })
    expect(result.id).toBe(published.cid)
    expect(result.phases).toEqual(['fetch', 'compile', 'ready'])
    expect(result.lastDone).toBe(mlp.length)
    expect(worstExcess(result.y, expected[0]!)).toBeLessThanOrEqual(0)
    expect(result.tooLarge).toBe('MODEL_TOO_LARGE')
    expect(result.missing).toBe('MODEL_UNAVAILABLE')
  })

  it('reports the device with measured throughput, in a shape the canonical codec encodes and reads back', async () => {
    const report = await page.evaluate(async () => {
      const w = window as unknown as PageWindow
      w.engine ??= new w.inference.InferenceEngine()
      return await w.inference.measureDevice(w.engine, { runs: 3 })
    }) as DeviceReport
    expect(report.throughput.map(t => t.backend)).toEqual(['wasm', 'webgpu'])
    for (const t of report.throughput) expect(t.microsPerBatch).toBeGreaterThan(0)
    expect(decodeDeviceReport(encodeDeviceReport(report))).toEqual(report)
    console.log(`[inference] device report: ${JSON.stringify(report.throughput)}`)
  })

  it('runs WASM on one thread when the page is not cross-origin isolated', async () => {
    const isolation = /^cross-origin-(opener|embedder)-policy$/i
    const plain = await browser.context.newPage()
    await plain.route('**/*', async route => {
      const response = await route.fetch()
      const headers = Object.fromEntries(Object.entries(response.headers()).filter(([k]) => !isolation.test(k)))
      await route.fulfill({ response, headers })
    })
    await openInferencePage(plain, relay.url)
    const { isolated, threads, y } = await plain.evaluate(async ({ model, input }) => {
      const w = window as unknown as PageWindow
      const engine = new w.inference.InferenceEngine()
      const { table } = await engine.init()
      const loaded = await engine.loadModel({ bytes: Uint8Array.from(model) }, { backend: 'wasm' })
      const { y } = await engine.run(loaded, { x: { type: 'float32', dims: input.dims, data: Float32Array.from(input.data) } })
      engine.dispose()
      return { isolated: crossOriginIsolated, threads: table.backends.find(b => b.name === 'wasm')!.threads, y: [...(y!.data as Float32Array)] }
    }, { model: cases[0]!.model, input: inputs.mlp })
    await plain.close()
    expect(isolated).toBe(false)
    expect(threads).toBe(1)
    expect(worstExcess(y, expected[0]!)).toBeLessThanOrEqual(0)
    expect(errors).toEqual([])
  })
})
