/**
 * Reference models built in code: the MLP the device report measures throughput on, and the
 * small conv net tests and benchmarks run as a second shape of work. Both are deterministic (the
 * same bytes in Node and in every tab), so a device's measured throughput means the same thing
 * everywhere, and outputs can be compared with onnxruntime-node.
 */
import { encodeModel, seededWeights, type InitializerSpec, type NodeSpec } from './onnx/model.ts'

export interface MlpShape {
  inputs: number
  hidden: number
  /** Hidden layers (each Gemm + Relu). */
  layers: number
  outputs: number
  seed?: number
}

/** The device report's reference: 256 → 512 × 3 → 64, float32, symbolic batch. */
export const REFERENCE_MLP: Required<MlpShape> = { inputs: 256, hidden: 512, layers: 3, outputs: 64, seed: 7 }
/** Batch the device report runs the reference MLP at. */
export const REFERENCE_BATCH = 16

/** An MLP: input `x` [batch, inputs] → Gemm+Relu per hidden layer → Gemm → output `y` [batch, outputs]. */
export function mlpModel (shape: MlpShape): Uint8Array {
  const seed = shape.seed ?? 1
  const nodes: NodeSpec[] = []
  const initializers: InitializerSpec[] = []
  let input = 'x'
  let width = shape.inputs
  for (let layer = 0; layer <= shape.layers; layer++) {
    const last = layer === shape.layers
    const out = last ? shape.outputs : shape.hidden
    // He-style scale keeps activations around 1 through the layers, so outputs stay well conditioned.
    const scale = Math.sqrt(6 / width)
    initializers.push({ name: `w${layer}`, dims: [width, out], data: seededWeights(width * out, seed * 1000 + layer * 2 + 1, scale) })
    initializers.push({ name: `b${layer}`, dims: [out], data: seededWeights(out, seed * 1000 + layer * 2 + 2, 0.1) })
    const gemm = last ? 'y' : `h${layer}`
    nodes.push({ op: 'Gemm', inputs: [input, `w${layer}`, `b${layer}`], outputs: [gemm], name: `gemm${layer}` })
    if (!last) {
      nodes.push({ op: 'Relu', inputs: [gemm], outputs: [`a${layer}`], name: `relu${layer}` })
      input = `a${layer}`
    }
    width = out
  }
  return encodeModel({
    name: 'mlp',
    nodes,
    initializers,
    inputs: [{ name: 'x', dims: ['batch', shape.inputs] }],
    outputs: [{ name: 'y', dims: ['batch', shape.outputs] }]
  })
}

export interface ConvShape {
  channels: number
  /** Side of the square input image. */
  size: number
  classes: number
  seed?: number
}

/**
 * A small conv net: `x` [batch, channels, size, size] → Conv 3×3 (8) + Relu → Conv 3×3 stride 2
 * (16) + Relu → GlobalAveragePool → Flatten → Gemm → `y` [batch, classes]. Conv's dilations,
 * kernel_shape and group are written out, as ONNX Runtime's WebGPU kernels want them.
 */
export function convModel (shape: ConvShape): Uint8Array {
  const seed = shape.seed ?? 1
  const c1 = 8
  const c2 = 16
  const conv = (stride: number) => ({ dilations: [1, 1], group: 1, kernel_shape: [3, 3], pads: [1, 1, 1, 1], strides: [stride, stride] })
  return encodeModel({
    name: 'convnet',
    nodes: [
      { op: 'Conv', inputs: ['x', 'k1', 'kb1'], outputs: ['c1'], name: 'conv1', attributes: conv(1) },
      { op: 'Relu', inputs: ['c1'], outputs: ['r1'], name: 'relu1' },
      { op: 'Conv', inputs: ['r1', 'k2', 'kb2'], outputs: ['c2'], name: 'conv2', attributes: conv(2) },
      { op: 'Relu', inputs: ['c2'], outputs: ['r2'], name: 'relu2' },
      { op: 'GlobalAveragePool', inputs: ['r2'], outputs: ['p'], name: 'pool' },
      { op: 'Flatten', inputs: ['p'], outputs: ['f'], name: 'flatten', attributes: { axis: 1 } },
      { op: 'Gemm', inputs: ['f', 'w', 'b'], outputs: ['y'], name: 'head' }
    ],
    initializers: [
      { name: 'k1', dims: [c1, shape.channels, 3, 3], data: seededWeights(c1 * shape.channels * 9, seed * 100 + 1, Math.sqrt(6 / (shape.channels * 9))) },
      { name: 'kb1', dims: [c1], data: seededWeights(c1, seed * 100 + 2, 0.1) },
      { name: 'k2', dims: [c2, c1, 3, 3], data: seededWeights(c2 * c1 * 9, seed * 100 + 3, Math.sqrt(6 / (c1 * 9))) },
      { name: 'kb2', dims: [c2], data: seededWeights(c2, seed * 100 + 4, 0.1) },
      { name: 'w', dims: [c2, shape.classes], data: seededWeights(c2 * shape.classes, seed * 100 + 5, Math.sqrt(6 / c2)) },
      { name: 'b', dims: [shape.classes], data: seededWeights(shape.classes, seed * 100 + 6, 0.1) }
    ],
    inputs: [{ name: 'x', dims: ['batch', shape.channels, shape.size, shape.size] }],
    outputs: [{ name: 'y', dims: ['batch', shape.classes] }]
  })
}

/** The reference MLP's bytes. */
export function referenceModel (): Uint8Array {
  return mlpModel(REFERENCE_MLP)
}
