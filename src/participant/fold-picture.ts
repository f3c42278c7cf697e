/**
 * The geometry of a fold as the subnet page draws it: lattice coordinates decoded from a move
 * string (lattice.ts's letters), the H–H contacts that give its energy, and a projection onto the
 * page — the square lattice as it is, the cubic one turned by a yaw angle and tilted (an oblique
 * isometric view) so every axis shows. Pure, so the picture and its text alternative come from the
 * same numbers the tests check.
 */
import { LETTERS } from '../subnets/folding/lattice.ts'
import type { FoldingDims } from '../subnets/folding/types.ts'

export type Site = readonly [number, number, number]

/** A point on the page, with its depth (larger is nearer) for painting far residues first. */
export interface PagePoint {
  x: number
  y: number
  depth: number
}

/** The sites of a fold, residue 0 at the origin; throws on a letter outside the lattice. */
export function foldSites (moves: string, dims: FoldingDims): Site[] {
  const sites: Site[] = [[0, 0, 0]]
  let [x, y, z] = [0, 0, 0]
  for (const letter of moves) {
    const d = LETTERS.indexOf(letter)
    if (d < 0 || d >= 2 * dims) throw new RangeError(`'${letter}' is not a move on the ${dims}D lattice.`)
    const step = d & 1 ? -1 : 1
    if (d >> 1 === 0) x += step
    else if (d >> 1 === 1) y += step
    else z += step
    sites.push([x, y, z])
  }
  return sites
}

/** Pairs (i, j), i + 1 < j, of H residues on neighbouring sites; each lowers the energy by one. */
export function hhContacts (sequence: string, sites: readonly Site[]): Array<[number, number]> {
  const out: Array<[number, number]> = []
  for (let i = 0; i < sites.length; i++) {
    if (sequence[i] !== 'H') continue
    for (let j = i + 2; j < sites.length; j++) {
      if (sequence[j] !== 'H') continue
      const [a, b] = [sites[i]!, sites[j]!]
      if (Math.abs(a[0] - b[0]) + Math.abs(a[1] - b[1]) + Math.abs(a[2] - b[2]) === 1) out.push([i, j])
    }
  }
  return out
}

/** Tilt of the 3D view about the page's horizontal axis, in radians (about 30°). */
export const TILT = Math.PI / 6

/**
 * Sites projected onto the page (y down). 2D: as they are. 3D: turned by `yaw` about the vertical
 * (lattice y) axis, then tilted by TILT, orthographically.
 */
export function projectSites (sites: readonly Site[], dims: FoldingDims, yaw = Math.PI / 5): PagePoint[] {
  if (dims === 2) return sites.map(([x, y]) => ({ x, y: -y, depth: 0 }))
  const [cy, sy, ct, st] = [Math.cos(yaw), Math.sin(yaw), Math.cos(TILT), Math.sin(TILT)]
  return sites.map(([x, y, z]) => {
    const rx = x * cy + z * sy
    const rz = -x * sy + z * cy
    return { x: rx, y: -(y * ct - rz * st), depth: y * st + rz * ct }
  })
}

/** Points scaled uniformly and centred into a `size`×`size` box with `pad` on each side. */
export function fitToBox (points: readonly PagePoint[], size: number, pad: number): PagePoint[] {
  if (points.length === 0) return []
  const xs = points.map(p => p.x)
  const ys = points.map(p => p.y)
  const [minX, maxX, minY, maxY] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)]
  const span = Math.max(maxX - minX, maxY - minY, 1)
  const scale = (size - 2 * pad) / span
  const offX = (size - (maxX - minX) * scale) / 2
  const offY = (size - (maxY - minY) * scale) / 2
  return points.map(p => ({ x: offX + (p.x - minX) * scale, y: offY + (p.y - minY) * scale, depth: p.depth }))
}
