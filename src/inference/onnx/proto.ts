/**
 * The protobuf wire format, as little of it as ONNX models need: a writer for the models the
 * tests and the device report build, and a reader that walks fields without a schema, for
 * inspecting a model before ONNX Runtime sees it. The reader never trusts a length it reads: each
 * one is checked against the bytes that are left, so garbage ends in `ProtoError`, never in a
 * huge allocation or a read past the end.
 */

/** Wire types of protobuf fields. */
export const WIRE = { varint: 0, fixed64: 1, bytes: 2, fixed32: 5 } as const

export class ProtoError extends Error {
  static override name = 'ProtoError'
  override name = 'ProtoError'
}

/** Appends protobuf fields to a growing buffer. */
export class ProtoWriter {
  #buf = new Uint8Array(256)
  #len = 0

  #reserve (n: number): void {
    if (this.#len + n <= this.#buf.length) return
    let size = this.#buf.length * 2
    while (size < this.#len + n) size *= 2
    const next = new Uint8Array(size)
    next.set(this.#buf.subarray(0, this.#len))
    this.#buf = next
  }

  #varint (value: bigint | number): void {
    // Negative int64 values are written as their 64-bit two's complement, as protobuf does.
    let v = BigInt.asUintN(64, BigInt(value))
    this.#reserve(10)
    do {
      let byte = Number(v & 0x7fn)
      v >>= 7n
      if (v !== 0n) byte |= 0x80
      this.#buf[this.#len++] = byte
    } while (v !== 0n)
  }

  #tag (field: number, wire: number): void {
    this.#varint((field << 3) | wire)
  }

  int (field: number, value: bigint | number): this {
    this.#tag(field, WIRE.varint)
    this.#varint(value)
    return this
  }

  float (field: number, value: number): this {
    this.#tag(field, WIRE.fixed32)
    this.#reserve(4)
    new DataView(this.#buf.buffer).setFloat32(this.#len, value, true)
    this.#len += 4
    return this
  }

  bytes (field: number, value: Uint8Array): this {
    this.#tag(field, WIRE.bytes)
    this.#varint(value.length)
    this.#reserve(value.length)
    this.#buf.set(value, this.#len)
    this.#len += value.length
    return this
  }

  string (field: number, value: string): this {
    return this.bytes(field, new TextEncoder().encode(value))
  }

  message (field: number, write: (w: ProtoWriter) => void): this {
    const inner = new ProtoWriter()
    write(inner)
    return this.bytes(field, inner.finish())
  }

  finish (): Uint8Array {
    return this.#buf.slice(0, this.#len)
  }
}

/** One field as read: varints as bigint, length-delimited fields as a view of the input. */
export type ProtoField =
  | { field: number, wire: typeof WIRE.varint, value: bigint }
  | { field: number, wire: typeof WIRE.bytes, value: Uint8Array }
  | { field: number, wire: typeof WIRE.fixed32 | typeof WIRE.fixed64, value: Uint8Array }

/** The fields of one message, in order; throws ProtoError on anything that is not well formed. */
export function * readFields (bytes: Uint8Array): Generator<ProtoField> {
  let pos = 0
  const varint = (): bigint => {
    let result = 0n
    for (let shift = 0n; shift < 70n; shift += 7n) {
      if (pos >= bytes.length) throw new ProtoError('a varint runs past the end of the message')
      const byte = bytes[pos++]!
      result |= BigInt(byte & 0x7f) << shift
      if ((byte & 0x80) === 0) return result
    }
    throw new ProtoError('a varint is longer than 10 bytes')
  }
  const take = (n: number): Uint8Array => {
    if (n > bytes.length - pos) throw new ProtoError(`a field of ${n} bytes runs past the end of the message`)
    const out = bytes.subarray(pos, pos + n)
    pos += n
    return out
  }
  while (pos < bytes.length) {
    const key = varint()
    const field = Number(key >> 3n)
    const wire = Number(key & 7n)
    if (field === 0) throw new ProtoError('a field is numbered 0')
    if (wire === WIRE.varint) yield { field, wire, value: varint() }
    else if (wire === WIRE.bytes) {
      const n = varint()
      if (n > BigInt(bytes.length - pos)) throw new ProtoError(`a field of ${n} bytes runs past the end of the message`)
      yield { field, wire, value: take(Number(n)) }
    } else if (wire === WIRE.fixed32) yield { field, wire, value: take(4) }
    else if (wire === WIRE.fixed64) yield { field, wire, value: take(8) }
    else throw new ProtoError(`wire type ${wire} is not one ONNX models use`)
  }
}

/** A packed or unpacked repeated varint field's values (protobuf accepts both on the wire). */
export function varints (f: ProtoField): bigint[] {
  if (f.wire === WIRE.varint) return [f.value]
  if (f.wire !== WIRE.bytes) throw new ProtoError(`field ${f.field} should hold integers`)
  const out: bigint[] = []
  let value = 0n
  let shift = 0n
  for (const byte of f.value) {
    value |= BigInt(byte & 0x7f) << shift
    shift += 7n
    if ((byte & 0x80) === 0) {
      out.push(value)
      value = 0n
      shift = 0n
    } else if (shift >= 70n) throw new ProtoError('a packed varint is longer than 10 bytes')
  }
  if (shift !== 0n) throw new ProtoError('a packed varint runs past the end of its field')
  return out
}
