/**
 * Inputs on their way to the worker without a structured clone. Posting a typed array copies it
 * twice: Chrome serialises its bytes on the page's thread and copies them out again when the
 * worker reads the message, about 0.4 ms for a 390 KiB batch on the test machine, a quarter of
 * what a small conv net's whole run costs. When the page is cross-origin isolated the engine
 * instead copies each input once into a SharedArrayBuffer that the worker reads in place (ONNX
 * Runtime copies it into WebAssembly memory at the start of the run). A staging buffer is lent to one request and comes
 * back when its answer does; inputs that already live in a SharedArrayBuffer (`sharedTensor`) are
 * sent as they are, with no copy at all.
 */
import { STAGING_ALIGN, STAGING_MAX_BYTES, STAGING_MIN_BYTES } from './constants.ts'
import { ARRAY_OF, type TensorArray, type TensorData, type Tensors, type TensorType } from './protocol.ts'

type ArrayOver = new (buffer: ArrayBufferLike, byteOffset: number, length: number) => TensorArray

/**
 * A tensor of zeros whose data lives in a SharedArrayBuffer when the page is cross-origin isolated
 * (in a plain ArrayBuffer otherwise): fill it and run it, and it reaches the worker with no copy.
 * Do not write to it again until the run that uses it has finished.
 */
export function sharedTensor (type: TensorType, dims: number[]): TensorData {
  const Array_ = ARRAY_OF[type] as unknown as ArrayOver
  const length = dims.reduce((a, b) => a * b, 1)
  const bytes = length * (Array_ as unknown as { BYTES_PER_ELEMENT: number }).BYTES_PER_ELEMENT
  const buffer = globalThis.crossOriginIsolated === true ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes)
  return { type, dims: [...dims], data: new Array_(buffer, 0, length) }
}

function isShared (data: TensorArray): boolean {
  return typeof SharedArrayBuffer === 'function' && data.buffer instanceof SharedArrayBuffer
}

export interface Staged {
  tensors: Tensors
  /** Gives the staging buffer back; call once the worker has answered (or is gone). */
  release: () => void
}

/** Staging buffers kept between runs, up to STAGING_MAX_BYTES in all. */
export class InputStaging {
  readonly #free: SharedArrayBuffer[] = []
  #kept = 0

  /**
   * `tensors` with every input not already shared copied into one staging buffer; the tensors
   * named in `skip` (transferred instead) are left as they are. Undefined when nothing needs
   * staging or the inputs are too large to stage (they are then cloned).
   */
  stage (tensors: Tensors, skip: ReadonlySet<ArrayBufferLike> = new Set()): Staged | undefined {
    const entries = Object.entries(tensors)
    const copied = new Set(entries.filter(([, t]) => !isShared(t.data) && !skip.has(t.data.buffer)).map(([name]) => name))
    const bytes = entries.reduce((sum, [name, t]) => copied.has(name) ? sum + align(t.data.byteLength) : sum, 0)
    if (bytes === 0 || bytes > STAGING_MAX_BYTES) return undefined
    const buffer = this.#take(bytes)
    const out: Tensors = {}
    let offset = 0
    for (const [name, t] of entries) {
      if (!copied.has(name)) {
        out[name] = t
        continue
      }
      const view = new (t.data.constructor as ArrayOver)(buffer, offset, t.data.length)
      view.set(t.data as never)
      out[name] = { type: t.type, dims: t.dims, data: view }
      offset += align(t.data.byteLength)
    }
    let released = false
    return {
      tensors: out,
      release: () => {
        if (released) return
        released = true
        this.#give(buffer)
      }
    }
  }

  /** The smallest free buffer that holds `bytes`, or a new one (a power of two, so batches of other sizes reuse it). */
  #take (bytes: number): SharedArrayBuffer {
    let best = -1
    for (let i = 0; i < this.#free.length; i++) {
      const size = this.#free[i]!.byteLength
      if (size >= bytes && (best < 0 || size < this.#free[best]!.byteLength)) best = i
    }
    if (best >= 0) {
      const [buffer] = this.#free.splice(best, 1)
      this.#kept -= buffer!.byteLength
      return buffer!
    }
    return new SharedArrayBuffer(Math.max(STAGING_MIN_BYTES, 2 ** Math.ceil(Math.log2(bytes))))
  }

  #give (buffer: SharedArrayBuffer): void {
    if (this.#kept + buffer.byteLength > STAGING_MAX_BYTES) return
    this.#free.push(buffer)
    this.#kept += buffer.byteLength
  }
}

function align (bytes: number): number {
  return Math.ceil(bytes / STAGING_ALIGN) * STAGING_ALIGN
}
