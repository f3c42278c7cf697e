/**
 * Exact minimum energy of a short HP sequence on the square lattice, by depth-first branch and
 * bound — the tests' proof that the benchmark minima for n ≤ 25 are optima, not just good folds.
 *
 * Symmetry breaking: the first move is fixed to R and the first turn to U, which leaves one fold
 * of every class of the 8 rotations and mirrors. Bound (admissible): a residue placed later can
 * gain at most 2 contacts with residues already placed (one neighbour site is its predecessor's,
 * one must stay free for its successor), the last residue at most 3; a branch is cut when its
 * contacts plus that bound for the residues still to place cannot beat the best fold found.
 */

export interface ExhaustiveResult {
  /** The minimum energy (−contacts). */
  energy: number
  /** One fold that reaches it, as an absolute move string. */
  moves: string
  /** Search nodes visited (placements tried). */
  nodes: number
}

const LETTERS = 'RLUD'

export function exhaustiveMinimum2D (sequence: string): ExhaustiveResult {
  const n = sequence.length
  if (n < 3) return { energy: 0, moves: 'R'.repeat(Math.max(0, n - 1)), nodes: 0 }
  const width = 2 * n + 3
  const steps = [1, -1, width, -width]
  const grid = new Int16Array(width * width)
  const h = Uint8Array.from(sequence, c => (c === 'H' ? 1 : 0))
  // bound[k]: the most contacts residues k … n−1 can still gain.
  const bound = new Int32Array(n + 1)
  for (let k = n - 1; k >= 0; k--) bound[k] = bound[k + 1]! + (h[k] === 1 ? (k === n - 1 ? 3 : 2) : 0)
  const path = new Int32Array(n)
  const dirs = new Int8Array(n - 1)
  let best = -1
  let bestDirs = new Int8Array(n - 1)
  let nodes = 0

  const place = (k: number, contacts: number, straight: boolean): void => {
    if (k === n) {
      if (contacts > best) {
        best = contacts
        bestDirs = dirs.slice()
      }
      return
    }
    const prev = path[k - 1]!
    for (let d = 0; d < 4; d++) {
      if (straight && d === 3) continue
      const site = prev + steps[d]!
      if (grid[site] !== 0) continue
      nodes++
      let gain = 0
      if (h[k] === 1) {
        for (let e = 0; e < 4; e++) {
          const j = grid[site + steps[e]!]! - 1
          if (j >= 0 && j !== k - 1 && h[j] === 1) gain++
        }
      }
      if (contacts + gain + bound[k + 1]! <= best) continue
      grid[site] = k + 1
      path[k] = site
      dirs[k - 1] = d
      place(k + 1, contacts + gain, straight && d === 0)
      grid[site] = 0
    }
  }

  const start = (n + 1) * width + (n + 1)
  path[0] = start
  grid[start] = 1
  path[1] = start + 1
  grid[start + 1] = 2
  dirs[0] = 0
  place(2, 0, true)
  let moves = ''
  for (const d of bestDirs) moves += LETTERS[d]
  return { energy: best === 0 ? 0 : -best, moves, nodes }
}
