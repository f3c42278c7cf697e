/**
 * Token supply: 1 token = 10^9 base units, a 21,000,000-token cap, and a block reward of one token
 * that halves each time issuance crosses 21M·(1 − 2^−k), exactly as subtensor's
 * `get_block_emission_for_issuance` computes it in I96F32 fixed point (yuma.md §6.2). Only
 * integers are used, so every engine gets the same reward at every height.
 */

export const BASE_UNITS_PER_TOKEN = 1_000_000_000n
export const TOTAL_SUPPLY = 21_000_000n * BASE_UNITS_PER_TOKEN
export const INITIAL_BLOCK_REWARD = BASE_UNITS_PER_TOKEN

/** 1.0 in I96F32 (32 fraction bits). */
const ONE = 1n << 32n

/** Base units minted by a block when `issuance` base units already exist. */
export function blockReward (issuance: bigint): bigint {
  if (issuance >= TOTAL_SUPPLY) return 0n
  // q = issuance / (2 · 10.5e15), x = 1 / (1 − q): fixed-point divisions truncate.
  const q = (issuance << 32n) / TOTAL_SUPPLY
  const x = (ONE << 32n) / (ONE - q)
  // floor(log2 x) for x ≥ 1 is the position of its top integer bit.
  const k = BigInt(x.toString(2).length - 1) - 32n
  // (1 / 2^k) in I96F32, then times the initial reward, floored.
  const fraction = k >= 32n ? 0n : ONE >> k
  return (fraction * INITIAL_BLOCK_REWARD) >> 32n
}
