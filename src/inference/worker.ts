/**
 * The inference worker: a dedicated module worker that runs ONNX Runtime Web so the page stays
 * responsive. It imports one entry point, `onnxruntime-web/webgpu` (the native WebGPU execution
 * provider plus WASM), whose binaries the page serves itself at ORT_BASE_PATH (see `init`).
 * Everything else is WorkerRuntime's.
 */
import * as ort from 'onnxruntime-web/webgpu'
import { probeDevice, type ProbeEnv } from './backends.ts'
import { WorkerRuntime } from './runtime.ts'

const scope = self as unknown as DedicatedWorkerGlobalScope
const runtime = new WorkerRuntime(ort, async () => await probeDevice({
  gpu: (navigator as Navigator & { gpu?: ProbeEnv['gpu'] }).gpu,
  crossOriginIsolated: scope.crossOriginIsolated,
  hardwareConcurrency: navigator.hardwareConcurrency,
  hasWebAssembly: typeof WebAssembly === 'object'
}))

scope.onmessage = (event: MessageEvent<unknown>) => {
  void runtime.handle(event.data).then(({ message, transfer }) => { scope.postMessage(message, transfer) })
}
// A stray rejection inside ONNX Runtime must not surface as an error of the whole worker.
scope.addEventListener('unhandledrejection', event => { event.preventDefault() })
