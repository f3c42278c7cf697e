/**
 * The continuous ranked probability score of an ensemble forecast (Gneiting & Raftery 2007):
 * CRPS = mean|x_i − y| − ½·mean|x_i − x_j|. It is strictly proper — a forecaster minimises its
 * expected score only by reporting what it believes — and reduces to the absolute error for a
 * point forecast. The spread term is computed in O(N log N) from the sorted members:
 * Σ_{i,j}|x_i − x_j| = 2·Σ_k (2k − N − 1)·x_(k), k = 1..N.
 *
 * `fairCrps` divides the spread by N(N − 1) instead of N² (Ferro 2013): unbiased for an ensemble
 * of random draws. The subnet fixes N, so the ordinary form ranks forecasts the same way.
 */

function sortedSpread (members: readonly number[]): number {
  const sorted = Float64Array.from(members).sort()
  const n = sorted.length
  let total = 0
  for (let k = 0; k < n; k++) total += (2 * (k + 1) - n - 1) * sorted[k]!
  return 2 * total
}

function meanAbsError (members: readonly number[], observed: number): number {
  let total = 0
  for (const x of members) total += Math.abs(x - observed)
  return total / members.length
}

export function crps (members: readonly number[], observed: number): number {
  if (members.length === 0) throw new RangeError('CRPS needs at least one ensemble member.')
  const n = members.length
  return meanAbsError(members, observed) - sortedSpread(members) / (2 * n * n)
}

export function fairCrps (members: readonly number[], observed: number): number {
  if (members.length < 2) throw new RangeError('The fair CRPS needs at least two ensemble members.')
  const n = members.length
  return meanAbsError(members, observed) - sortedSpread(members) / (2 * n * (n - 1))
}
