/**
 * Consensus: per column, the stake-weighted median of the weights validators with positive
 * stake give it (`weighted_median_col_sparse`, yuma.md §3.6).
 *
 * subtensor finds it with a mid-pivot quickselect (`math.rs::weighted_median`) whose ties and
 * boundaries decide consensus. Called as subtensor calls it (lo = 0, hi = Σstake, stakes ≥ 0),
 * that quickselect always returns the same value as this closed form, with S(<x) and S(≤x) the
 * stake of scores below and up to x:
 *   - minority < 0: the smallest score; minority ≥ Σstake: the largest score (0 if none);
 *   - otherwise: the one score x with S(<x) ≤ minority < S(≤x).
 * Proof: by induction the discarded candidates lie wholly below or above the current ones, and
 * lo, hi are the stake of everything below, and up to and including, the current candidates.
 * Moving down needs minority < S(<pivot) and sets hi to it; moving up needs S(≤pivot) ≤ minority
 * and sets lo to it; so 0 ≤ minority < Σstake keeps lo ≤ minority < hi, and the pivot (or the last
 * candidate) is returned exactly when it satisfies the closed form. With minority < 0 every
 * round moves down while it can and returns the smallest score; with minority ≥ Σstake, up and
 * the largest. (The Rust safety stop never fires: every round drops the pivot.) The tests check
 * this against a literal copy of the quickselect on random columns full of ties and zero stakes.
 *
 * The closed form is found by bucketing: a column's candidates are spread over 64 buckets by
 * value (a monotone map), the bucket where the cumulative stake passes `minority` holds x, and
 * the search repeats inside it. Each round is a few passes without data-dependent branches, where
 * the quickselect mispredicts a branch per candidate. The weights are regrouped by column once
 * (O(entries)). Stakes and scores are I32F32 bit patterns ≤ 2^32 held as doubles; sums of at most
 * 2^16 stakes stay below 2^49, so all of this is exact.
 */
import { divFloor, sumOf } from './exact.ts'
import { rowCount, type Csr } from './sparse.ts'
import { Workspace } from './workspace.ts'

const BUCKETS = 64

/** Candidate (value, stake) lists and bucket sums, reused from column to column. */
interface Scratch {
  value: [Float64Array, Float64Array]
  stake: [Float64Array, Float64Array]
  bucket: Float64Array
}

function scratchOf (length: number, space: Workspace): Scratch {
  return {
    value: [space.float64Scratch(length), space.float64Scratch(length)],
    stake: [space.float64Scratch(length), space.float64Scratch(length)],
    bucket: space.float64(BUCKETS)
  }
}

/**
 * The score x with S(<x) ≤ minority < S(≤x) among the first `count` candidates in list 0 of
 * `scratch`, for 0 ≤ minority < their total stake. Narrows the candidates bucket by bucket.
 */
function quantile (scratch: Scratch, count: number, minority: number): number {
  let [value, keptValue] = scratch.value
  let [stake, keptStake] = scratch.stake
  let m = minority
  for (;;) {
    let low = value[0]!
    let high = low
    for (let t = 1; t < count; t++) {
      const v = value[t]!
      if (v < low) low = v
      if (v > high) high = v
    }
    if (low === high) return low
    // floor((v − low)·scale) is monotone in v, puts `low` in bucket 0 and `high` in a bucket ≥ 32.
    const scale = BUCKETS / (high - low + 1)
    const bucket = scratch.bucket
    bucket.fill(0)
    for (let t = 0; t < count; t++) {
      const b = Math.min(Math.floor((value[t]! - low) * scale), BUCKETS - 1)
      bucket[b] = bucket[b]! + stake[t]!
    }
    let chosen = 0
    while (m >= bucket[chosen]!) m -= bucket[chosen++]!
    let kept = 0
    for (let t = 0; t < count; t++) {
      if (Math.min(Math.floor((value[t]! - low) * scale), BUCKETS - 1) === chosen) {
        keptValue[kept] = value[t]!
        keptStake[kept++] = stake[t]!
      }
    }
    [value, keptValue] = [keptValue, value];
    [stake, keptStake] = [keptStake, stake]
    count = kept
  }
}

/**
 * What subtensor's quickselect returns for these candidates (list 0 of `scratch`) with lo = 0,
 * hi = `total` (their stake) and this minority: see the module header.
 */
function medianOf (scratch: Scratch, count: number, total: number, minority: number): number {
  if (count === 0) return 0
  const value = scratch.value[0]
  if (minority < 0 || minority >= total) {
    let extreme = value[0]!
    for (let t = 1; t < count; t++) extreme = minority < 0 ? Math.min(extreme, value[t]!) : Math.max(extreme, value[t]!)
    return extreme
  }
  return quantile(scratch, count, minority)
}

/** The stake-weighted median of `score` (`math.rs::weighted_median` with lo = 0, hi = Σstake). */
export function weightedMedian (stake: Float64Array, score: Float64Array, minority: number): number {
  const scratch = scratchOf(score.length, new Workspace())
  scratch.value[0].set(score)
  scratch.stake[0].set(stake)
  return medianOf(scratch, score.length, sumOf(stake), minority)
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
  const median = space.float64(columns)
  space.temporarily(() => { fillMedians(median, stake, weights, majority, space) })
  return median
}

function fillMedians (median: Float64Array, stake: Float64Array, weights: Csr, majority: number, space: Workspace): void {
  const columns = median.length
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
  // A column's candidates: its entries, and the members without an entry as one candidate
  // scoring 0 that holds their stake (merging equal scores changes no S(<x) or S(≤x)).
  const scratch = scratchOf(useStake.length + 1, space)
  for (let c = 0; c < columns; c++) {
    const value = scratch.value[0]
    const candidateStake = scratch.stake[0]
    let count = 0
    let missing = stakeSum
    for (let k = byCol.start[c]!; k < byCol.start[c + 1]!; k++) {
      value[count] = byCol.val[k]!
      candidateStake[count++] = useStake[byCol.member[k]!]!
      missing -= useStake[byCol.member[k]!]!
    }
    if (count < useStake.length) {
      value[count] = 0
      candidateStake[count++] = missing
    }
    median[c] = medianOf(scratch, count, stakeSum, minority)
  }
}
