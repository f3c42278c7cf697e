import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { BASE_UNITS_PER_TOKEN, INITIAL_BLOCK_REWARD, TOTAL_SUPPLY, blockReward } from '../../../src/core/supply.ts'

// shared/ sits beside the repository clone (here and in CI); resolve it from this file.
const VECTORS_URL = new URL('../../../../shared/reference/yuma-vectors.json', import.meta.url)

interface Vector { id: string, cases: Array<Record<string, unknown>> }

/** Reads the vectors, keeping integers too large for a double exact (as strings, then bigints). */
function loadVector (id: string): Vector {
  const raw = readFileSync(VECTORS_URL, 'utf8').replace(/([:[,]\s*)(-?\d{16,})(?=\s*[,\]}])/g, '$1"$2"')
  const vectors = (JSON.parse(raw) as { vectors: Vector[] }).vectors
  const vector = vectors.find(v => v.id === id)
  if (vector === undefined) throw new Error(`vector ${id} is missing from ${VECTORS_URL.pathname}`)
  return vector
}

const big = (value: unknown): bigint => {
  if (typeof value === 'string' || (typeof value === 'number' && Number.isSafeInteger(value))) return BigInt(value)
  throw new Error(`not an exact integer: ${String(value)}`)
}

/**
 * Adds blockReward block after block until it is zero, asserting the cap after every block. Runs
 * of blocks that pay the same reward are taken in one step: the reward only depends on issuance and
 * never grows with it, so if the last block of a run pays r, every block of the run does.
 */
function mintUntilRewardRunsOut (start: bigint): { issuance: bigint, blocks: bigint } {
  let issuance = start
  let blocks = 0n
  for (;;) {
    const reward = blockReward(issuance)
    if (reward === 0n) return { issuance, blocks }
    // Largest j with blockReward(issuance + j·reward) = reward: double, then bisect.
    let hi = 1n
    while (blockReward(issuance + hi * reward) === reward) hi *= 2n
    let lo = hi / 2n
    while (hi - lo > 1n) {
      const mid = (lo + hi) / 2n
      if (blockReward(issuance + mid * reward) === reward) lo = mid
      else hi = mid
    }
    issuance += (lo + 1n) * reward
    blocks += lo + 1n
    expect(issuance).toBeLessThanOrEqual(TOTAL_SUPPLY)
  }
}

describe('blockReward', () => {
  it('matches every row of subtensor.root.test_halving', () => {
    const { cases } = loadVector('subtensor.root.test_halving')
    expect(cases.length).toBe(43)
    // The largest row is u64::MAX and must survive parsing exactly.
    expect(big(cases[cases.length - 1]!.issuance)).toBe((1n << 64n) - 1n)
    for (const row of cases) {
      const issuance = big(row.issuance)
      expect(blockReward(issuance), `issuance ${issuance}`).toBe(big(row.expected))
    }
  })

  it('halves exactly at each threshold of derived.block_emission.halving_thresholds, and not one base unit before', () => {
    const { cases } = loadVector('derived.block_emission.halving_thresholds')
    expect(cases.length).toBeGreaterThanOrEqual(5)
    let previous = INITIAL_BLOCK_REWARD
    for (const row of cases) {
      const threshold = big(row.issuance)
      expect(blockReward(threshold), `at ${threshold}`).toBe(big(row.emission))
      expect(blockReward(threshold - 1n), `just below ${threshold}`).toBe(previous)
      previous = big(row.emission)
    }
  })

  it('starts at one token a block and pays nothing at or above the cap', () => {
    expect(blockReward(0n)).toBe(BASE_UNITS_PER_TOKEN)
    expect(blockReward(TOTAL_SUPPLY)).toBe(0n)
    expect(blockReward(TOTAL_SUPPLY + 1n)).toBe(0n)
  })

  it('never grows as issuance grows', () => {
    fc.assert(fc.property(fc.bigInt({ min: 0n, max: TOTAL_SUPPLY }), fc.bigInt({ min: 0n, max: TOTAL_SUPPLY }), (a, b) => {
      const [lo, hi] = a <= b ? [a, b] : [b, a]
      expect(blockReward(hi)).toBeLessThanOrEqual(blockReward(lo))
    }), { numRuns: 500 })
  })

  it('never takes issuance past the cap in one block', () => {
    fc.assert(fc.property(fc.bigInt({ min: 0n, max: TOTAL_SUPPLY }), issuance => {
      expect(issuance + blockReward(issuance)).toBeLessThanOrEqual(TOTAL_SUPPLY)
    }), { numRuns: 1000 })
  })

  it('reproduces subtensor test_issuance_bounds: 100 steps of reward × 10,500,000 end at 20,999,999,989,500,000', () => {
    let issuance = 0n
    for (let step = 0; step < 100; step++) issuance += blockReward(issuance) * 10_500_000n
    expect(issuance).toBe(20_999_999_989_500_000n)
  })

  it('keeps issuance under the cap when blocks add their reward again and again, from genesis and from near the cap', () => {
    for (const start of [0n, 20_999_000_000_000_000n, TOTAL_SUPPLY - 2_000_000_000n, TOTAL_SUPPLY - 30_000_000n]) {
      const end = mintUntilRewardRunsOut(start)
      expect(end.issuance).toBeLessThan(TOTAL_SUPPLY)
      expect(end.blocks).toBeGreaterThan(0n)
      // The reward stops within 2^-30 of the cap (when 10^9 / 2^k floors to zero).
      expect(TOTAL_SUPPLY - end.issuance).toBeLessThanOrEqual(TOTAL_SUPPLY >> 30n)
    }
  })

  it('keeps issuance under the cap from any starting issuance', () => {
    fc.assert(fc.property(fc.bigInt({ min: 0n, max: TOTAL_SUPPLY }), start => {
      expect(mintUntilRewardRunsOut(start).issuance).toBeLessThanOrEqual(TOTAL_SUPPLY)
    }), { numRuns: 30 })
  })

  it('is always a power-of-two fraction of one token, floored', () => {
    fc.assert(fc.property(fc.bigInt({ min: 0n, max: TOTAL_SUPPLY - 1n }), issuance => {
      const reward = blockReward(issuance)
      const halvings = [...Array(40).keys()].map(k => INITIAL_BLOCK_REWARD >> BigInt(k))
      expect(halvings).toContain(reward)
    }), { numRuns: 300 })
  })
})
