/**
 * A synthetic epoch for benchmarks: n uids, the first `validators` of them staked with dense
 * weight rows over every uid, seeded so every run (Node or a tab) computes the same epoch.
 */
import { PackedRowsBuilder } from '../../src/core/yuma/packed.ts'
import type { EpochInputs, EpochParams, PackedRows } from '../../src/core/yuma/types.ts'

export function syntheticEpoch (n: number, validators: number): { params: EpochParams, inputs: EpochInputs & { weights: PackedRows } } {
  let seed = 0x9e3779b9
  const next = (): number => {
    seed ^= seed << 13; seed >>>= 0
    seed ^= seed >>> 17
    seed ^= seed << 5; seed >>>= 0
    return seed
  }
  const uids = Array.from({ length: n }, (_, j) => j)
  const inputs: EpochInputs & { weights: PackedRows } = {
    block: 1000,
    emission: 1_000_000_000_000n,
    stake: uids.map(i => (i < validators ? BigInt(1 + (next() % 1_000_000)) * 1_000_000n : 0n)),
    weights: denseRows(n, validators, next),
    lastUpdate: uids.map(() => 999),
    blockAtRegistration: uids.map(() => 0),
    validatorPermit: uids.map(i => i < validators),
    bonds: denseRows(n, validators, next),
    commitBlock: uids.map(() => null)
  }
  const params: EpochParams = {
    tempo: 360, kappa: 32767, bondsMovingAverage: 900_000n, bondsPenalty: 65535, maxValidators: validators,
    activityCutoffFactorMilli: 13_889, yuma3: true, liquidAlpha: false, alphaLow: 45875, alphaHigh: 58982,
    alphaSigmoidSteepness: 1000, stakeThreshold: 0n, ownerUid: null, lastMechanismStepBlock: 0
  }
  return { params, inputs }
}

/** n rows, the first `validators` dense with random u16 values, packed as the ledger builds them. */
function denseRows (n: number, validators: number, next: () => number): PackedRows {
  const rows = new PackedRowsBuilder(n, validators * n)
  for (let i = 0; i < n; i++) {
    if (i < validators) for (let j = 0; j < n; j++) rows.push(j, next() % 65536)
    rows.endRow()
  }
  return rows.finish()
}

/** The floor an epoch cannot beat: one pass reading every weight of the same rows. */
export function readAllWeights (weights: PackedRows): number {
  let sum = 0
  for (let i = 0; i + 1 < weights.start.length; i++) {
    for (let k = weights.start[i]!; k < weights.start[i + 1]!; k++) sum += weights.uids[k]! ^ weights.values[k]!
  }
  return sum
}
