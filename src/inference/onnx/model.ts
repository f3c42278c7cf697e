/**
 * Writes ONNX models (the `onnx.proto` ModelProto) from TypeScript, so tests, benchmarks and the
 * device report's reference model need no Python and no model files. Only what small graphs
 * need: float32 weights in `raw_data` (little-endian), named inputs and outputs with static or
 * symbolic dimensions, nodes with int, float and list attributes. Field numbers are onnx.proto's.
 */
import { ProtoWriter } from './proto.ts'

/** IR version written: 8 (ONNX 1.10+), which ONNX Runtime Web 1.30 loads. */
export const IR_VERSION = 8
/** Default-domain opset written. */
export const OPSET_VERSION = 17

/** ONNX element types (TensorProto.DataType) the writer and the inspector name. */
export const DATA_TYPE = { float32: 1, uint8: 2, int8: 3, int32: 6, int64: 7, bool: 9, float16: 10, float64: 11 } as const

export type Attribute = number | number[] | string | { float: number } | { floats: number[] }

export interface NodeSpec {
  op: string
  inputs: string[]
  outputs: string[]
  name?: string
  domain?: string
  attributes?: Record<string, Attribute>
}

export interface ValueSpec {
  name: string
  /** A number is a fixed size, a string a symbolic one (e.g. 'batch'). */
  dims: Array<number | string>
  type?: keyof typeof DATA_TYPE
}

export interface InitializerSpec {
  name: string
  dims: number[]
  data: Float32Array
}

export interface GraphSpec {
  name: string
  nodes: NodeSpec[]
  inputs: ValueSpec[]
  outputs: ValueSpec[]
  initializers: InitializerSpec[]
}

const ATTRIBUTE_TYPE = { float: 1, int: 2, string: 3, floats: 6, ints: 7 } as const

function writeAttribute (w: ProtoWriter, name: string, value: Attribute): void {
  w.string(1, name)
  if (typeof value === 'number') w.int(20, ATTRIBUTE_TYPE.int).int(3, value)
  else if (typeof value === 'string') w.int(20, ATTRIBUTE_TYPE.string).string(4, value)
  else if (Array.isArray(value)) {
    w.int(20, ATTRIBUTE_TYPE.ints)
    for (const v of value) w.int(8, v)
  } else if ('float' in value) w.int(20, ATTRIBUTE_TYPE.float).float(2, value.float)
  else {
    w.int(20, ATTRIBUTE_TYPE.floats)
    for (const v of value.floats) w.float(7, v)
  }
}

function writeValueInfo (w: ProtoWriter, value: ValueSpec): void {
  w.string(1, value.name)
  w.message(2, type => type.message(1, tensor => {
    tensor.int(1, DATA_TYPE[value.type ?? 'float32'])
    tensor.message(2, shape => {
      for (const d of value.dims) shape.message(1, dim => typeof d === 'number' ? dim.int(1, d) : dim.string(2, d))
    })
  }))
}

function writeTensor (w: ProtoWriter, t: InitializerSpec): void {
  const count = t.dims.reduce((a, b) => a * b, 1)
  if (count !== t.data.length) throw new RangeError(`initializer ${t.name} has ${t.data.length} values for dims [${t.dims.join(', ')}]`)
  for (const d of t.dims) w.int(1, d)
  w.int(2, DATA_TYPE.float32)
  w.string(8, t.name)
  const raw = new Uint8Array(t.data.length * 4)
  const view = new DataView(raw.buffer)
  t.data.forEach((v, i) => view.setFloat32(i * 4, v, true))
  w.bytes(9, raw)
}

/** The ModelProto bytes of `graph`. */
export function encodeModel (graph: GraphSpec, options: { opset?: number, irVersion?: number, producer?: string } = {}): Uint8Array {
  const w = new ProtoWriter()
  w.int(1, options.irVersion ?? IR_VERSION)
  w.string(2, options.producer ?? 'tabtensor')
  w.message(7, g => {
    for (const node of graph.nodes) {
      g.message(1, n => {
        for (const i of node.inputs) n.string(1, i)
        for (const o of node.outputs) n.string(2, o)
        if (node.name !== undefined) n.string(3, node.name)
        n.string(4, node.op)
        for (const [name, value] of Object.entries(node.attributes ?? {})) n.message(5, a => writeAttribute(a, name, value))
        if (node.domain !== undefined) n.string(7, node.domain)
      })
    }
    g.string(2, graph.name)
    for (const t of graph.initializers) g.message(5, tw => writeTensor(tw, t))
    for (const v of graph.inputs) g.message(11, vw => writeValueInfo(vw, v))
    for (const v of graph.outputs) g.message(12, vw => writeValueInfo(vw, v))
  })
  w.message(8, op => op.string(1, '').int(2, options.opset ?? OPSET_VERSION))
  return w.finish()
}

/** Deterministic weights in [-scale, scale) from `seed` (xorshift32), alike in Node and a browser. */
export function seededWeights (count: number, seed: number, scale: number): Float32Array {
  const out = new Float32Array(count)
  let x = seed | 0 || 1
  for (let i = 0; i < count; i++) {
    x ^= x << 13; x ^= x >>> 17; x ^= x << 5
    out[i] = ((x >>> 0) / 2 ** 32 * 2 - 1) * scale
  }
  return out
}
