/**
 * One conformation under Monte Carlo: the solver's inner loop, so everything is typed arrays.
 *
 * Sites are packed lattice sites (lattice.ts). Which residue sits where is an open-addressing hash
 * table (linear probing, backward-shift deletion, load ≤ 1/4) from site to residue index, so a
 * lookup is O(1) and the table stays a few KiB that live in cache, in 2D and 3D alike.
 *
 * Moves are the pull moves of Lesh, Mitzenmacher & Whitesides (RECOMB 2003), in both chain
 * directions, plus end pulls; `localOnly` restricts them to the classic end and corner moves (the
 * weak baseline). A move rewrites a contiguous range of residues; its energy change is counted
 * incrementally: the moved residues leave the table one by one, losing the H–H contacts they had
 * with the residues still in it, then enter at their new sites one by one, gaining contacts the
 * same way, so each contact is counted exactly once and only the moved residues are looked at.
 */
import { axisBetween, neighbour, pack } from './lattice.ts'
import type { FoldingDims } from './types.ts'
import type { Rng } from './rng.ts'

const EMPTY = -1
/** Largest energy rise with a precomputed acceptance threshold; larger rises use Math.exp. */
const TABLE_SIZE = 64

export class Chain {
  readonly n: number
  readonly directions: number
  readonly hydrophobic: Uint8Array
  readonly sites: Int32Array
  energy = 0
  private readonly next: Int32Array
  private readonly keys: Int32Array
  private readonly values: Int32Array
  private readonly mask: number
  private readonly shift: number

  constructor (sequence: string, dims: FoldingDims) {
    const n = sequence.length
    this.n = n
    this.directions = 2 * dims
    this.hydrophobic = Uint8Array.from(sequence, c => (c === 'H' ? 1 : 0))
    this.sites = new Int32Array(n)
    this.next = new Int32Array(n)
    let bits = 4
    while (1 << bits < 4 * n) bits++
    this.keys = new Int32Array(1 << bits).fill(EMPTY)
    this.values = new Int32Array(1 << bits)
    this.mask = (1 << bits) - 1
    this.shift = 32 - bits
    // A straight line along +x: valid, energy 0.
    for (let i = 0; i < n; i++) {
      this.sites[i] = pack(i, 0, 0)
      this.insert(this.sites[i]!, i)
    }
  }

  /** Residue at `site`, or −1. */
  at (site: number): number {
    let h = Math.imul(site, 0x9e3779b1) >>> this.shift
    for (;;) {
      const k = this.keys[h]!
      if (k === site) return this.values[h]!
      if (k === EMPTY) return -1
      h = (h + 1) & this.mask
    }
  }

  private insert (site: number, residue: number): void {
    let h = Math.imul(site, 0x9e3779b1) >>> this.shift
    while (this.keys[h] !== EMPTY) h = (h + 1) & this.mask
    this.keys[h] = site
    this.values[h] = residue
  }

  private remove (site: number): void {
    const keys = this.keys
    const mask = this.mask
    let hole = Math.imul(site, 0x9e3779b1) >>> this.shift
    while (keys[hole] !== site) hole = (hole + 1) & mask
    // Backward shift: move up every later entry of the run that may live at the hole.
    let j = hole
    for (;;) {
      j = (j + 1) & mask
      const k = keys[j]!
      if (k === EMPTY) break
      const home = Math.imul(k, 0x9e3779b1) >>> this.shift
      if (((j - home) & mask) >= ((j - hole) & mask)) {
        keys[hole] = k
        this.values[hole] = this.values[j]!
        hole = j
      }
    }
    keys[hole] = EMPTY
  }

  /** H–H contacts residue `i` (an H) would have at `site` with the residues in the table. */
  private contactsAt (i: number, site: number): number {
    let c = 0
    for (let d = 0; d < this.directions; d++) {
      const k = this.at(neighbour(site, d))
      if (k >= 0 && this.hydrophobic[k] === 1 && (k > i + 1 || k < i - 1)) c++
    }
    return c
  }

  private adjacent (a: number, b: number): boolean {
    for (let d = 0; d < this.directions; d++) if (neighbour(a, d) === b) return true
    return false
  }

  /**
   * Proposes one random move and accepts it by Metropolis with `accept` (acceptance probability
   * per energy rise, index = rise) at temperature `temperature`. Returns whether it moved.
   */
  step (rng: Rng, accept: Float64Array, temperature: number, localOnly: boolean): boolean {
    const n = this.n
    const r = rng()
    const i = Math.floor(((r >>> 8) * n) / 16777216)
    const inward = (r & 1) === 0 ? 1 : -1
    const anchor = i + inward
    let range: number
    if (anchor >= 0 && anchor < n) {
      const prev = i - inward
      let v: number
      if (prev >= 0 && prev < n) {
        // L must be diagonal to i: step off the bond's axis, to either side (2 ways in 2D, 4 in 3D).
        const axis = axisBetween(this.sites[i]!, this.sites[anchor]!)
        const k = (r >>> 1) & 3
        v = this.directions === 4 ? ((1 - axis) << 1) | (k & 1) : (((axis + 1 + (k >> 1)) % 3) << 1) | (k & 1)
      } else {
        // An end residue may go to any free neighbour of the next one.
        v = ((r >>> 1) & 127) % this.directions
      }
      range = this.pull(i, inward, v, localOnly)
    } else {
      if (localOnly) return false
      // An end pull: the end residue goes two sites away, the chain follows it.
      const r2 = rng()
      range = this.endPull(i, -inward, (r2 & 127) % this.directions, ((r2 >>> 7) & 127) % this.directions)
    }
    if (range < 0) return false
    return this.commit(Math.min(i, range), Math.max(i, range), rng, accept, temperature)
  }

  /**
   * Pull move of residue i towards its neighbour i + inward: i goes to L, a free site next to
   * i + inward and diagonal to i; C is the fourth corner of their square. Unless C already holds
   * i − inward, that residue goes to C and the ones beyond follow two sites behind until the chain
   * is connected again. Writes new sites into `next`; returns the last moved index, or −1.
   */
  private pull (i: number, inward: number, v: number, localOnly: boolean): number {
    const sites = this.sites
    const next = this.next
    const to = neighbour(sites[i + inward]!, v)
    if (this.at(to) >= 0) return -1
    const prev = i - inward
    next[i] = to
    if (prev < 0 || prev >= this.n) return i
    const corner = neighbour(sites[i]!, v)
    if (sites[prev] === corner) return i
    if (localOnly || this.at(corner) >= 0) return -1
    next[prev] = corner
    let j = prev - inward
    let last = prev
    while (j >= 0 && j < this.n) {
      if (this.adjacent(sites[j]!, next[j + inward]!)) break
      next[j] = sites[j + 2 * inward]!
      last = j
      j -= inward
    }
    return last
  }

  /** End pull of the end residue i (its chain runs towards i + along): to L two sites away via C. */
  private endPull (i: number, along: number, v1: number, v2: number): number {
    const sites = this.sites
    const next = this.next
    const corner = neighbour(sites[i]!, v1)
    if (this.at(corner) >= 0) return -1
    const to = neighbour(corner, v2)
    if (this.at(to) >= 0) return -1
    next[i] = to
    next[i + along] = corner
    let last = i + along
    let j = i + 2 * along
    while (j >= 0 && j < this.n) {
      if (this.adjacent(sites[j]!, next[j - along]!)) break
      next[j] = sites[j - 2 * along]!
      last = j
      j += along
    }
    return last
  }

  /** Moves residues lo..hi to their `next` sites if Metropolis accepts the energy change. */
  private commit (lo: number, hi: number, rng: Rng, accept: Float64Array, temperature: number): boolean {
    const sites = this.sites
    const next = this.next
    const h = this.hydrophobic
    let lost = 0
    for (let j = lo; j <= hi; j++) {
      if (h[j] === 1) lost += this.contactsAt(j, sites[j]!)
      this.remove(sites[j]!)
    }
    let gained = 0
    for (let j = lo; j <= hi; j++) {
      if (h[j] === 1) gained += this.contactsAt(j, next[j]!)
      this.insert(next[j]!, j)
    }
    const rise = lost - gained
    if (rise > 0) {
      const p = rise < TABLE_SIZE ? accept[rise]! : Math.exp(-rise / temperature)
      if (rng() >= p * 4294967296) {
        for (let j = lo; j <= hi; j++) this.remove(next[j]!)
        for (let j = lo; j <= hi; j++) this.insert(sites[j]!, j)
        return false
      }
    }
    for (let j = lo; j <= hi; j++) sites[j] = next[j]!
    this.energy += rise
    return true
  }
}

/** Metropolis acceptance probability of each energy rise below TABLE_SIZE at `temperature`. */
export function acceptanceTable (temperature: number): Float64Array {
  return Float64Array.from({ length: TABLE_SIZE }, (_, rise) => Math.exp(-rise / temperature))
}
