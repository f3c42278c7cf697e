/**
 * The square (2D) and cubic (3D) lattices. A fold is an absolute move string: one letter per bond,
 * 'R'/'L' = ±x, 'U'/'D' = ±y, 'F'/'B' = ±z (3D only), so a fold of n residues has n − 1 letters.
 *
 * A site is packed into one non-negative integer, ten bits per axis, and every step wraps around
 * each axis (a torus of 1024 sites a side). A chain of at most MAX_SEQUENCE_LENGTH < 1023 residues
 * can never reach around the torus, so two residues share a packed site exactly when they share a
 * lattice site and are packed neighbours exactly when they are lattice neighbours: packed sites can
 * be hashed in O(1) and a chain never needs recentring however far it drifts.
 */
import type { FoldingDims } from './types.ts'

/** Direction letters, indexed by direction number d: axis d >> 1, sign + when d is even. */
export const LETTERS = 'RLUDFB'
/** Number of directions on each lattice (2·dims). */
export function directionCount (dims: FoldingDims): 4 | 6 {
  return dims === 2 ? 4 : 6
}

/** The letters a fold on this lattice may use. */
export function alphabet (dims: FoldingDims): string {
  return LETTERS.slice(0, directionCount(dims))
}

/** Direction number of a move letter on this lattice, or −1. */
export function directionOf (letter: string, dims: FoldingDims): number {
  const d = LETTERS.indexOf(letter)
  return d >= 0 && d < directionCount(dims) ? d : -1
}

/** The opposite direction (R↔L, U↔D, F↔B). */
export function opposite (d: number): number {
  return d ^ 1
}

const AXIS_BITS = 10
const AXIS_MASK = (1 << AXIS_BITS) - 1
/** Per direction: the bits of its axis, the bits of the other axes, and the packed step. */
const AXIS_BITS_OF = Int32Array.from([0, 0, 1, 1, 2, 2], a => AXIS_MASK << (AXIS_BITS * a))
const OTHER_BITS_OF = Int32Array.from(AXIS_BITS_OF, m => ~m)
const STEP_OF = Int32Array.from([0, 1, 2, 3, 4, 5], d => (d & 1 ? -1 : 1) << (AXIS_BITS * (d >> 1)))

/** The site packed from lattice coordinates (any integers; each wraps modulo 1024). */
export function pack (x: number, y: number, z = 0): number {
  return (x & AXIS_MASK) | ((y & AXIS_MASK) << AXIS_BITS) | ((z & AXIS_MASK) << (2 * AXIS_BITS))
}

/** The neighbour of packed site `site` in direction `d`. */
export function neighbour (site: number, d: number): number {
  return (site & OTHER_BITS_OF[d]!) | ((site + STEP_OF[d]!) & AXIS_BITS_OF[d]!)
}

/** The axis (0, 1 or 2) along which neighbouring sites `a` and `b` differ. */
export function axisBetween (a: number, b: number): number {
  const diff = a ^ b
  return (diff & AXIS_MASK) !== 0 ? 0 : (diff & (AXIS_MASK << AXIS_BITS)) !== 0 ? 1 : 2
}

/** The direction from `from` to its neighbour `to`, or −1 when they are not neighbours. */
export function directionBetween (from: number, to: number, dims: FoldingDims): number {
  for (let d = 0; d < 2 * dims; d++) if (neighbour(from, d) === to) return d
  return -1
}

/**
 * The lattice's symmetries (rotations and mirrors: 8 on the square lattice, 48 on the cubic),
 * each as the permutation it applies to direction numbers. The identity comes first.
 */
export function symmetries (dims: FoldingDims): ReadonlyArray<Int8Array> {
  return dims === 2 ? SYMMETRIES_2D : SYMMETRIES_3D
}

function signedPermutations (dims: FoldingDims): Int8Array[] {
  const axes = dims === 2 ? [[0, 1], [1, 0]] : [[0, 1, 2], [0, 2, 1], [1, 0, 2], [1, 2, 0], [2, 0, 1], [2, 1, 0]]
  const out: Int8Array[] = []
  for (const perm of axes) {
    for (let signs = 0; signs < 1 << dims; signs++) {
      // Axis a goes to axis perm[a], flipped when bit a of signs is set.
      out.push(Int8Array.from({ length: 2 * dims }, (_, d) => 2 * perm[d >> 1]! + ((d & 1) ^ ((signs >> (d >> 1)) & 1))))
    }
  }
  return out
}

const SYMMETRIES_2D = signedPermutations(2)
const SYMMETRIES_3D = signedPermutations(3)
