/**
 * Inference: milliseconds per batch on the reference models (the device report's MLP and a small
 * conv net), in real Chromium on the inference test page served by the real relay. Our engine
 * (module worker, postMessage both ways, checks on every message) against bare onnxruntime-web
 * on the same page's main thread, WASM with 1 and 2 threads and WebGPU; onnxruntime-node, run in
 * this process in the same run, is the native baseline. Engine and bare rounds alternate, so both
 * see the machine's load of the moment.
 *
 * The engine's inputs are held as its README says a miner should hold them, in a `sharedTensor`
 * filled in place (they reach the worker with no copy); on WASM a second figure gives a plain
 * Float32Array (copied once into shared memory). Bare ORT gets a plain Float32Array, wrapped in a
 * new Tensor per run, as a page using onnxruntime-web directly would.
 *
 * ORT reads its thread count once per page (and once per worker), so 1 and 2 threads are two
 * pages. WebGPU here is SwiftShader (a GPU emulated on the CPU): its figures show the path works
 * and what it costs on this machine, not what a GPU does.
 *
 * The figures are the best round of each kind: on the shared 2-core machine other work only adds
 * time, so the fastest round is the closest to what the code costs; every round and the round-by-
 * round ratios are printed too.
 */
import { rmSync } from 'node:fs'
import * as ortNode from 'onnxruntime-node'
import type { Page } from 'playwright-core'
import type { BackendName } from '../../src/inference/backends.ts'
import { convModel, mlpModel, REFERENCE_MLP, type ConvShape } from '../../src/inference/reference-model.ts'
import type { EngineInput, ModelSpec } from '../browser/fixtures/inference-page/bench.ts'
import type { InferencePage } from '../browser/fixtures/inference-page/main.ts'
import { launchBrowser, type LaunchedBrowser } from '../helpers/browser.ts'
import { buildInferencePage, openInferencePage } from '../helpers/inference-page.ts'
import { startRelayProcess } from '../helpers/relay.ts'
import { figure, type Figure } from './figure.ts'

/** Alternating rounds per comparison. */
const ROUNDS = 9
/** Batch of the reference MLP here: large enough that a batch, not the fixed cost of a call, dominates. */
const MLP_BATCH = 64

interface Model {
  name: string
  spec: ModelSpec
  dims: number[]
  /** Timed batches per round on WASM; WebGPU (SwiftShader) gets fewer. */
  runs: number
  /** Figures in microseconds (a model that is all call cost). */
  micro?: boolean
}

const CONV: ConvShape = { channels: 3, size: 32, classes: 10, seed: 9 }

const MODELS: Model[] = [
  { name: `reference MLP ${REFERENCE_MLP.inputs}→${REFERENCE_MLP.hidden}×${REFERENCE_MLP.layers}→${REFERENCE_MLP.outputs}, batch ${MLP_BATCH}`, spec: { kind: 'mlp', shape: REFERENCE_MLP }, dims: [MLP_BATCH, REFERENCE_MLP.inputs], runs: 10 },
  { name: 'conv net 3×32×32 (2 conv, pool, gemm), batch 32', spec: { kind: 'conv', shape: CONV }, dims: [32, CONV.channels, CONV.size, CONV.size], runs: 10 },
  // Almost no work: what one call costs the engine (worker hop, checks, copies) against a bare call.
  { name: 'tiny MLP 4→4→2, batch 1 (the cost of a call)', spec: { kind: 'mlp', shape: { inputs: 4, hidden: 4, layers: 1, outputs: 2 } }, dims: [1, 4], runs: 50, micro: true }
]

const WEBGPU_RUNS = 3

type PageWindow = Window & { inference: InferencePage, engine?: InstanceType<InferencePage['InferenceEngine']> }

async function engineMs (page: Page, m: Model, backend: BackendName, runs: number, held: EngineInput = 'shared'): Promise<number> {
  return await page.evaluate(async ({ key, spec, dims, backend, runs, held }) => {
    const w = window as unknown as PageWindow
    return await w.inference.bench.timeEngine(w.engine!, key, spec, dims, backend, runs, held)
  }, { key: m.name, spec: m.spec, dims: m.dims, backend, runs, held })
}

async function bareMs (page: Page, m: Model, backend: BackendName, runs: number, threads: number): Promise<number> {
  return await page.evaluate(async ({ key, spec, dims, backend, runs, threads }) => {
    const w = window as unknown as PageWindow
    return await w.inference.bench.timeBare(key, spec, dims, backend, runs, threads)
  }, { key: m.name, spec: m.spec, dims: m.dims, backend, runs, threads })
}

async function nodeMs (m: Model, threads: number): Promise<number> {
  const bytes = m.spec.kind === 'mlp' ? mlpModel(m.spec.shape) : convModel(m.spec.shape)
  const session = await ortNode.InferenceSession.create(bytes, { intraOpNumThreads: threads, interOpNumThreads: 1, executionMode: 'sequential', graphOptimizationLevel: 'all' })
  const data = new Float32Array(m.dims.reduce((a, b) => a * b, 1)).map((_, i) => Math.sin(i))
  for (let i = 0; i < 3; i++) await session.run({ x: new ortNode.Tensor('float32', data, m.dims) })
  const started = performance.now()
  for (let i = 0; i < m.runs; i++) await session.run({ x: new ortNode.Tensor('float32', data, m.dims) })
  const ms = (performance.now() - started) / m.runs
  await session.release()
  return ms
}

function median (xs: number[]): number {
  const sorted = [...xs].sort((x, y) => x - y)
  return sorted[Math.floor(sorted.length / 2)]!
}

const best = (xs: number[]): number => Math.min(...xs)
const unit = (m: Model): string => m.micro === true ? 'µs/batch' : 'ms/batch'
const scaled = (m: Model, ms: number): number => m.micro === true ? ms * 1000 : ms

/** A page with an engine of `threads` WASM threads; its bare ORT gets the same count. */
async function openBenchPage (browser: LaunchedBrowser, url: string, threads: number): Promise<Page> {
  const page = await browser.context.newPage()
  await openInferencePage(page, url)
  const table = await page.evaluate(async threads => {
    const w = window as unknown as PageWindow
    w.engine = new w.inference.InferenceEngine({ threads })
    return (await w.engine.init()).table
  }, threads)
  const wasm = table.backends.find(b => b.name === 'wasm')
  if (wasm?.threads !== threads) throw new Error(`the page's engine has ${wasm?.threads} WASM threads, not ${threads}: is the page cross-origin isolated?`)
  return page
}

export async function inferenceFigures (): Promise<Figure[]> {
  const staticDir = await buildInferencePage()
  const relay = await startRelayProcess({ staticDir })
  const browser = await launchBrowser({ webgpu: true })
  const figures: Figure[] = []
  try {
    for (const threads of [1, 2]) {
      const page = await openBenchPage(browser, relay.url, threads)
      for (const m of MODELS) {
        const engine: number[] = []
        const copied: number[] = []
        const bare: number[] = []
        const native: number[] = []
        for (let round = 0; round < ROUNDS; round++) {
          engine.push(await engineMs(page, m, 'wasm', m.runs))
          bare.push(await bareMs(page, m, 'wasm', m.runs, threads))
          copied.push(await engineMs(page, m, 'wasm', m.runs, 'array'))
          native.push(await nodeMs(m, threads))
        }
        const paired = engine.map((ms, i) => bare[i]! / ms)
        const pairedCopied = copied.map((ms, i) => bare[i]! / ms)
        const ms = (xs: number[]): string => xs.map(x => x.toFixed(2)).join(', ')
        const ratios = (xs: number[]): string => `${xs.map(r => r.toFixed(2)).join(', ')} (median ${median(xs).toFixed(2)})`
        console.log(`[bench inference] ${m.name}, WASM ${threads} thread(s): engine ${ms(engine)} ms; engine, Float32Array input ${ms(copied)} ms; bare ${ms(bare)} ms; onnxruntime-node ${ms(native)} ms; bare/engine round by round ${ratios(paired)}; with a Float32Array input ${ratios(pairedCopied)}`)
        figures.push(figure(`inference ${m.name}: engine, WASM ${threads} thread(s)`, scaled(m, best(engine)), scaled(m, best(bare)), unit(m), `bare onnxruntime-web on the page's main thread, ${threads} thread(s)`, 'at most 1.11 (at least 0.9 of bare\'s speed)'))
        figures.push(figure(`inference ${m.name}: engine, WASM ${threads} thread(s), input in a Float32Array (copied once)`, scaled(m, best(copied)), scaled(m, best(bare)), unit(m), `bare onnxruntime-web on the page's main thread, ${threads} thread(s)`))
        figures.push(figure(`inference ${m.name}: engine, WASM ${threads} thread(s), against native`, scaled(m, best(engine)), scaled(m, best(native)), unit(m), `onnxruntime-node ${threads} thread(s), same run`))
      }
      if (threads === 1) {
        // WebGPU does not depend on the WASM thread count: measured once, on this page.
        for (const m of MODELS) {
          const engine: number[] = []
          const bare: number[] = []
          for (let round = 0; round < 3; round++) {
            engine.push(await engineMs(page, m, 'webgpu', WEBGPU_RUNS))
            bare.push(await bareMs(page, m, 'webgpu', WEBGPU_RUNS, threads))
          }
          console.log(`[bench inference] ${m.name}, WebGPU (SwiftShader): engine ${engine.map(x => x.toFixed(1)).join(', ')} ms; bare ${bare.map(x => x.toFixed(1)).join(', ')} ms`)
          figures.push(figure(`inference ${m.name}: engine, WebGPU (SwiftShader)`, scaled(m, best(engine)), scaled(m, best(bare)), unit(m), 'bare onnxruntime-web WebGPU on the page\'s main thread', 'at most 1.11 (at least 0.9 of bare\'s speed)'))
        }
      }
      await page.evaluate(() => { (window as unknown as PageWindow).engine?.dispose() })
      await page.close()
    }
    return figures
  } finally {
    await browser.close()
    await relay.dispose()
    rmSync(staticDir, { recursive: true, force: true })
  }
}
