/**
 * Reads what a device needs to know about an ONNX model before loading it: its weights' total
 * and largest size (a WebGPU buffer must hold the largest), their element types (fp16 needs a
 * device that has it), the operators and opsets it uses, and whether it refers to external data
 * (which a model handed over as one byte string cannot have). Only the few ModelProto fields
 * that say so are read; the rest is skipped. Malformed bytes end in CorruptModelError here,
 * before ONNX Runtime sees them.
 */
import { CorruptModelError } from '../errors.ts'
import { ProtoError, readFields, varints, WIRE, type ProtoField } from './proto.ts'
import { DATA_TYPE } from './model.ts'

export interface ModelInfo {
  irVersion: number
  /** Opset version per domain ('' is the default ONNX domain). */
  opsets: Record<string, number>
  /** Distinct operators, as `domain:op` (`:Gemm` for the default domain), sorted. */
  operators: string[]
  /** Bytes of all initializers. */
  weightBytes: number
  /** Bytes of the largest initializer. */
  largestWeightBytes: number
  /** Element types of the initializers, by ONNX name (float32, float16, …). */
  weightTypes: string[]
  /** Whether an initializer's data lives in a file beside the model. */
  externalData: boolean
}

const ELEMENT_BYTES: Record<number, number> = { 1: 4, 2: 1, 3: 1, 4: 2, 5: 2, 6: 4, 7: 8, 9: 1, 10: 2, 11: 8, 12: 4, 13: 8, 16: 2 }
const TYPE_NAMES = new Map<number, string>(Object.entries(DATA_TYPE).map(([name, code]) => [code, name]))
/** Deepest subgraph nesting inspected (If/Loop bodies); deeper models are refused as corrupt. */
const MAX_GRAPH_DEPTH = 16

const text = new TextDecoder('utf-8', { fatal: true })

function small (f: ProtoField, what: string): number {
  if (f.wire !== WIRE.varint) throw new ProtoError(`${what} is not an integer`)
  if (f.value > BigInt(Number.MAX_SAFE_INTEGER)) throw new ProtoError(`${what} is out of range`)
  return Number(f.value)
}

function bytesOf (f: ProtoField, what: string): Uint8Array {
  if (f.wire !== WIRE.bytes) throw new ProtoError(`${what} is not length-delimited`)
  return f.value
}

interface Tally {
  operators: Set<string>
  weightBytes: number
  largestWeightBytes: number
  weightTypes: Set<string>
  externalData: boolean
}

function tensor (bytes: Uint8Array, tally: Tally): void {
  let count = 1
  let type = 0
  let stored = 0
  for (const f of readFields(bytes)) {
    if (f.field === 1) for (const d of varints(f)) count *= Number(BigInt.asIntN(64, d))
    else if (f.field === 2) type = small(f, 'a tensor\'s data type')
    else if (f.field === 14) tally.externalData ||= small(f, 'a tensor\'s data location') === 1
    else if (f.field === 13) tally.externalData = true
    else if (f.field === 9 || f.field === 4 || f.field === 5 || f.field === 7 || f.field === 10 || f.field === 11) stored += f.wire === WIRE.bytes ? f.value.length : 8
  }
  if (!Number.isFinite(count) || count < 0) throw new ProtoError('a tensor has a negative or huge dimension')
  // Declared size when the element type is known, else what is stored: either way an upper bound of the buffer.
  const element = ELEMENT_BYTES[type]
  const size = element !== undefined ? count * element : stored
  tally.weightBytes += size
  tally.largestWeightBytes = Math.max(tally.largestWeightBytes, size)
  tally.weightTypes.add(TYPE_NAMES.get(type) ?? `type${type}`)
}

function node (bytes: Uint8Array, tally: Tally, depth: number): void {
  let op = ''
  let domain = ''
  for (const f of readFields(bytes)) {
    if (f.field === 4) op = text.decode(bytesOf(f, 'an op_type'))
    else if (f.field === 7) domain = text.decode(bytesOf(f, 'a domain'))
    else if (f.field === 5) {
      // Attributes may hold tensors (Constant) and subgraphs (If, Loop, Scan).
      for (const a of readFields(bytesOf(f, 'an attribute'))) {
        if (a.field === 5 || a.field === 10) tensor(bytesOf(a, 'an attribute tensor'), tally)
        else if (a.field === 6 || a.field === 11) graph(bytesOf(a, 'an attribute graph'), tally, depth + 1)
      }
    }
  }
  tally.operators.add(`${domain}:${op}`)
}

function graph (bytes: Uint8Array, tally: Tally, depth: number): void {
  if (depth > MAX_GRAPH_DEPTH) throw new ProtoError(`subgraphs are nested over ${MAX_GRAPH_DEPTH} deep`)
  for (const f of readFields(bytes)) {
    if (f.field === 1) node(bytesOf(f, 'a node'), tally, depth)
    else if (f.field === 5) tensor(bytesOf(f, 'an initializer'), tally)
  }
}

/** What `bytes` (a ModelProto) asks of a device; throws CorruptModelError if they are not one. */
export function inspectModel (bytes: Uint8Array): ModelInfo {
  const tally: Tally = { operators: new Set(), weightBytes: 0, largestWeightBytes: 0, weightTypes: new Set(), externalData: false }
  const opsets: Record<string, number> = {}
  let irVersion = 0
  let graphs = 0
  try {
    for (const f of readFields(bytes)) {
      if (f.field === 1) irVersion = small(f, 'the IR version')
      else if (f.field === 7) {
        graphs++
        graph(bytesOf(f, 'the graph'), tally, 0)
      } else if (f.field === 8) {
        let domain = ''
        let version = 0
        for (const o of readFields(bytesOf(f, 'an opset import'))) {
          if (o.field === 1) domain = text.decode(bytesOf(o, 'an opset domain'))
          else if (o.field === 2) version = small(o, 'an opset version')
        }
        opsets[domain] = version
      }
    }
  } catch (err) {
    if (err instanceof ProtoError || err instanceof TypeError) {
      throw new CorruptModelError(`The model file is damaged or is not an ONNX model (${err.message}); download it again or check its source.`, { cause: err })
    }
    throw err
  }
  if (irVersion === 0 || graphs !== 1) {
    throw new CorruptModelError('The file is not an ONNX model (it has no IR version or no single graph); check that the right file was given.')
  }
  return {
    irVersion,
    opsets,
    operators: [...tally.operators].sort(),
    weightBytes: tally.weightBytes,
    largestWeightBytes: tally.largestWeightBytes,
    weightTypes: [...tally.weightTypes].sort(),
    externalData: tally.externalData
  }
}
