/**
 * The models and inputs inference tests use, written in TypeScript (src/inference/onnx/model.ts):
 * a small MLP and a small conv net (deterministic weights), a model with an operator no runtime
 * has, damaged bytes, and deterministic inputs. Outputs are compared with onnxruntime-node, the
 * native build of the same ONNX Runtime version, within `TOLERANCE`.
 */
import { encodeModel, seededWeights } from '../../src/inference/onnx/model.ts'
import { convModel, mlpModel, type ConvShape, type MlpShape } from '../../src/inference/reference-model.ts'

/** Largest difference allowed between a browser's output and onnxruntime-node's: |a − b| ≤ abs + rel·|b|. */
export const TOLERANCE = { abs: 1e-4, rel: 1e-4 }

/** The test MLP: 64 → 128 × 2 → 10, batch 4 in tests (small: WebGPU here is SwiftShader). */
export const TEST_MLP: MlpShape = { inputs: 64, hidden: 128, layers: 2, outputs: 10, seed: 3 }
/** The test conv net: 3 × 16 × 16 images, 10 classes. */
export const TEST_CONV: ConvShape = { channels: 3, size: 16, classes: 10, seed: 5 }
export const TEST_BATCH = 4

export function testMlp (): Uint8Array {
  return mlpModel(TEST_MLP)
}

export function testConv (): Uint8Array {
  return convModel(TEST_CONV)
}

/** Inputs for the test MLP and conv net, as plain arrays (they cross to the page as JSON). */
export function testInputs (): { mlp: { dims: number[], data: number[] }, conv: { dims: number[], data: number[] } } {
  const mlpDims = [TEST_BATCH, TEST_MLP.inputs]
  const convDims = [TEST_BATCH, TEST_CONV.channels, TEST_CONV.size, TEST_CONV.size]
  return {
    mlp: { dims: mlpDims, data: [...seededWeights(mlpDims.reduce((a, b) => a * b), 42, 1)] },
    conv: { dims: convDims, data: [...seededWeights(convDims.reduce((a, b) => a * b), 43, 1)] }
  }
}

/** A well-formed model whose one node is an operator ONNX does not define. */
export function unsupportedOperatorModel (): Uint8Array {
  return encodeModel({
    name: 'unsupported',
    nodes: [{ op: 'Frobnicate', inputs: ['x'], outputs: ['y'], name: 'frobnicate' }],
    initializers: [],
    inputs: [{ name: 'x', dims: [1, 4] }],
    outputs: [{ name: 'y', dims: [1, 4] }]
  })
}

/** `y` = zeros of the shape given as `shape` (int64): a tiny model that asks for as much memory as its input says. */
export function allocatingModel (): Uint8Array {
  return encodeModel({
    name: 'allocating',
    nodes: [{ op: 'ConstantOfShape', inputs: ['shape'], outputs: ['y'], name: 'fill' }],
    initializers: [],
    inputs: [{ name: 'shape', dims: [1], type: 'int64' }],
    outputs: [{ name: 'y', dims: ['n'] }]
  })
}

/** The test MLP cut short: what a download that stopped halfway leaves. */
export function truncatedModel (): Uint8Array {
  const bytes = testMlp()
  return bytes.slice(0, Math.floor(bytes.length / 2))
}

/** Largest |a − b| − (abs + rel·|b|) over the values: ≤ 0 when `a` is within TOLERANCE of `b`. */
export function worstExcess (a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity
  let worst = -Infinity
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!) - (TOLERANCE.abs + TOLERANCE.rel * Math.abs(b[i]!)))
  return worst
}

/** Largest |a − b| over the values. */
export function maxAbsDiff (a: ArrayLike<number>, b: ArrayLike<number>): number {
  let worst = 0
  for (let i = 0; i < Math.min(a.length, b.length); i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!))
  return worst
}

export type { ConvShape, MlpShape }
