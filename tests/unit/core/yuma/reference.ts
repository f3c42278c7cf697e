/**
 * Test helpers: the reference vectors (shared/ sits beside the repository) and conversions
 * between printed decimals and I32F32 bit patterns.
 */
import { readFileSync } from 'node:fs'
import path from 'node:path'
import type { Fixed } from '../../../../src/core/yuma/fixed.ts'

export const VECTORS_PATH = path.resolve(import.meta.dirname, '../../../../../shared/reference/yuma-vectors.json')

export type Json = Record<string, unknown>

export interface VectorFile { vectors: Json[] }

export function loadVectors (): VectorFile {
  return JSON.parse(readFileSync(VECTORS_PATH, 'utf8')) as VectorFile
}

export function vectorById (file: VectorFile, id: string): Json {
  const vector = file.vectors.find(v => v.id === id)
  if (vector === undefined) throw new Error(`vector ${id} is missing from ${VECTORS_PATH}`)
  return vector
}

/** The vectors that describe epochs (they carry epoch inputs). */
export function epochVectors (file: VectorFile): Json[] {
  return file.vectors.filter(v => v.steps !== undefined || v.epoch_inputs_derived !== undefined)
}

/** A printed decimal ("0.5", "65535", "-0.25") as the nearest I32F32 value (ties up). */
export function fixedFromDecimal (text: string): Fixed {
  const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(text.trim())
  if (match === null) throw new Error(`not a decimal: ${text}`)
  const digits = match[3] ?? ''
  const numerator = BigInt(match[2]! + digits) << 32n
  const denominator = 10n ** BigInt(digits.length)
  const bits = (2n * numerator + denominator) / (2n * denominator)
  return match[1] === '-' ? -bits : bits
}

/** The exact decimal value of an I32F32 bit pattern (every one is a finite decimal). */
export function exactDecimal (bits: Fixed): string {
  const sign = bits < 0n ? '-' : ''
  const magnitude = bits < 0n ? -bits : bits
  const whole = magnitude >> 32n
  const fraction = ((magnitude & 0xffffffffn) * 10n ** 32n) >> 32n
  const digits = fraction.toString().padStart(32, '0').replace(/0+$/, '')
  return `${sign}${whole}${digits === '' ? '' : `.${digits}`}`
}

/** An I32F32 value as a double, for tolerance comparisons in tests only. */
export function toNumber (bits: Fixed): number {
  return Number(bits) / 2 ** 32
}
