/**
 * Consensus: per column, the stake-weighted median of the weights validators with positive
 * stake give it (`weighted_median_col_sparse`, yuma.md §3.6), by subtensor's mid-pivot
 * quickselect, copied step for step because its tie and boundary behaviour decides consensus.
 *
 * Stakes and scores are I32F32 bit patterns ≤ 2^32 held as doubles, and the quickselect only
 * adds, subtracts and compares them (sums of at most 2^16 stakes stay below 2^49), so it is exact
 * on doubles. The weights are regrouped by column once (O(entries)) so each column's scores form
 * one dense vector over the staked validators.
 */
import { divFloor, sumOf } from './exact.ts'
import { rowCount, type Csr } from './sparse.ts'
import { Workspace } from './workspace.ts'

/** Three index lists of one length: the current candidates and the two sides of a split. */
interface Scratch { current: Int32Array, lower: Int32Array, upper: Int32Array }

function scratchOf (length: number, space: Workspace): Scratch {
  return { current: space.int32Scratch(length), lower: space.int32Scratch(length), upper: space.int32Scratch(length) }
}

/**
 * Stake-weighted median by mid-pivot quickselect (`math.rs::weighted_median`) over all indices of
 * `score`: the pivot is the score at the middle of the current candidate list, candidates equal
 * to it are dropped, and the search moves to the lower part while `minority < lo + lowStake`, to
 * the upper part while `hi − highStake ≤ minority`, and otherwise returns the pivot. After more
 * rounds than candidates it returns 0 (the Rust safety stop).
 */
export function weightedMedian (
  stake: Float64Array,
  score: Float64Array,
  minority: number,
  partitionLo: number,
  partitionHi: number,
  scratch: Scratch = scratchOf(score.length, new Workspace())
): number {
  let { current, lower, upper } = scratch
  const limit = score.length
  let length = limit
  for (let t = 0; t < length; t++) current[t] = t
  let lo = partitionLo
  let hi = partitionHi
  for (let iteration = 1; ; iteration++) {
    if (length === 0) return 0
    if (length === 1) return score[current[0]!]!
    const pivot = score[current[length >> 1]!]!
    let lowStake = 0
    let highStake = 0
    let lowCount = 0
    let highCount = 0
    for (let t = 0; t < length; t++) {
      const idx = current[t]!
      const s = score[idx]!
      if (s < pivot) {
        lowStake += stake[idx]!
        lower[lowCount++] = idx
      } else if (s > pivot) {
        highStake += stake[idx]!
        upper[highCount++] = idx
      }
    }
    if (minority < lo + lowStake && lowCount > 0) {
      [current, lower] = [lower, current]
      length = lowCount
      hi = lo + lowStake
    } else if (hi - highStake <= minority && highCount > 0) {
      [current, upper] = [upper, current]
      length = highCount
      lo = hi - highStake
    } else {
      return pivot
    }
    if (iteration > limit) return 0
  }
}

/** The weights of the staked rows regrouped by column: column c's entries are `start[c] ≤ k < start[c + 1]`. */
interface Columns { start: Int32Array, member: Int32Array, val: Float64Array }

/** Column-major copy of the entries of the rows with `memberOf[row] ≥ 0`, tagged with that member index. */
function byColumn (m: Csr, memberOf: Int32Array, columns: number, space: Workspace): Columns {
  const start = space.int32(columns + 1)
  for (let i = 0; i < rowCount(m); i++) {
    if (memberOf[i]! < 0) continue
    for (let k = m.start[i]!; k < m.start[i + 1]!; k++) {
      const c = m.col[k]! + 1
      start[c] = start[c]! + 1
    }
  }
  for (let c = 0; c < columns; c++) start[c + 1] = start[c + 1]! + start[c]!
  const fill = space.int32Scratch(columns)
  fill.set(start.subarray(0, columns))
  const member = space.int32Scratch(start[columns]!)
  const val = space.float64Scratch(start[columns]!)
  for (let i = 0; i < rowCount(m); i++) {
    const k0 = memberOf[i]!
    if (k0 < 0) continue
    for (let k = m.start[i]!; k < m.start[i + 1]!; k++) {
      const c = m.col[k]!
      const at = fill[c]!
      fill[c] = at + 1
      member[at] = k0
      val[at] = m.val[k]!
    }
  }
  return { start, member, val }
}

/**
 * Per column, the stake-weighted median of the rows with positive stake: their stake is
 * re-normalised, a missing entry scores 0, and minority = Σstake − majority.
 */
export function weightedMedianCols (
  stake: Float64Array,
  weights: Csr,
  columns: number,
  majority: number,
  space = new Workspace()
): Float64Array {
  const memberOf = space.int32Scratch(stake.length).fill(-1)
  const staked: number[] = []
  for (let r = 0; r < stake.length && r < rowCount(weights); r++) {
    if (stake[r]! > 0) {
      memberOf[r] = staked.length
      staked.push(stake[r]!)
    }
  }
  const memberStake = Float64Array.from(staked)
  const total = sumOf(memberStake)
  const useStake = total === 0 ? memberStake : memberStake.map(s => divFloor(s, total))
  const stakeSum = sumOf(useStake)
  const minority = stakeSum - majority
  const byCol = byColumn(weights, memberOf, columns, space)
  const score = space.float64(useStake.length)
  const scratch = scratchOf(useStake.length, space)
  const median = new Float64Array(columns)
  for (let c = 0; c < columns; c++) {
    const from = byCol.start[c]!
    const to = byCol.start[c + 1]!
    // A column nobody weights scores 0 everywhere, and the quickselect returns 0 for it.
    if (from === to) continue
    for (let k = from; k < to; k++) score[byCol.member[k]!] = byCol.val[k]!
    median[c] = weightedMedian(useStake, score, minority, 0, stakeSum, scratch)
    for (let k = from; k < to; k++) score[byCol.member[k]!] = 0
  }
  return median
}
