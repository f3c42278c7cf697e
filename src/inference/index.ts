/**
 * Inference: ONNX Runtime Web in a dedicated worker, on WebGPU when the device has a usable GPU
 * and on WASM otherwise, chosen from one table of backends built from what the device reports.
 * The page holds an `InferenceEngine`; models come as bytes or by CID (block exchange or the
 * relay), checked against the device's limits before they are loaded.
 */
export { chooseBackends, planModel, probeDevice, type Backend, type BackendName, type BackendTable, type DataType, type DeviceProbe, type GpuProbe } from './backends.ts'
export { MAX_MODEL_BYTES, ORT_BASE_PATH, ORT_FILES } from './constants.ts'
export { decodeDeviceReport, describeDevice, encodeDeviceReport, measureDevice, type DeviceReport } from './device-report.ts'
export { InferenceEngine, type EngineOptions, type Gate, type LoadedModel, type LoadOptions, type ModelRef, type RunOptions } from './engine.ts'
export * from './errors.ts'
export { blockExchangeSource, httpBundleSource, modelSource, type LoadProgress, type ModelSource } from './model-source.ts'
export { inspectModel, type ModelInfo } from './onnx/inspect.ts'
export type { TensorData, TensorType, Tensors } from './protocol.ts'
export { sharedTensor } from './staging.ts'
export { convModel, mlpModel, referenceModel, REFERENCE_BATCH, REFERENCE_MLP } from './reference-model.ts'
