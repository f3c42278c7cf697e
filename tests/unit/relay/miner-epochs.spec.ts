import { describe, expect, it } from 'vitest'
import type { EpochRecord } from '../../../src/core/ledger/schema.ts'
import { minerEpochs } from '../../../relay/miner-epochs.ts'

const key = (n: number): Uint8Array => new Uint8Array(32).fill(n)
const record = (height: number, payouts: Array<[number, bigint | number, bigint | number, bigint | number]>): EpochRecord =>
  ({ netuid: 1, height, emission: 0n, ownerCut: 0n, carried: 0n, payouts: payouts.map(([k, ...rest]) => [key(k), ...rest]) as EpochRecord['payouts'] })

describe('a hotkey\'s figures per epoch', () => {
  it('gives the share of the miner payouts, the rank and what the coldkey was credited', () => {
    const [e] = minerEpochs([record(20, [[9, 0n, 900n, 90n], [1, 600n, 0n, 0n], [2, 300n, 0n, 0n], [3, 100n, 10n, 1n]])], key(2))
    expect(e).toEqual({ height: 20, uid: 2, sharePpm: 300_000, rank: 2, miners: 3, miner: 300n, validator: 0n, take: 0n, earned: 300n })
    const [v] = minerEpochs([record(20, [[9, 0n, 900n, 90n], [1, 600n, 0n, 0n], [2, 300n, 0n, 0n], [3, 100n, 10n, 1n]])], key(3))
    expect(v).toMatchObject({ sharePpm: 100_000, rank: 3, earned: 101n })
  })

  it('leaves out epochs where the hotkey held no uid and follows it when its uid changes', () => {
    const rows = minerEpochs([record(10, [[1, 5n, 0n, 0n]]), record(20, [[1, 5n, 0n, 0n], [2, 5n, 0n, 0n]]), record(30, [[2, 1n, 0n, 0n], [1, 3n, 0n, 0n]])], key(2))
    expect(rows.map(r => [r.height, r.uid])).toEqual([[20, 1], [30, 0]])
  })

  it('shares a rank on a tie, and counts an unpaid miner last', () => {
    const rows = minerEpochs([record(10, [[1, 7n, 0n, 0n], [2, 7n, 0n, 0n], [3, 0n, 0n, 0n]])], key(2))
    expect(rows[0]).toMatchObject({ rank: 1, miners: 2, sharePpm: 500_000 })
    const unpaid = minerEpochs([record(10, [[1, 7n, 0n, 0n], [2, 7n, 0n, 0n], [3, 0n, 0n, 0n]])], key(3))
    expect(unpaid[0]).toMatchObject({ rank: 3, miners: 3, sharePpm: 0, earned: 0n })
  })

  it('gives a zero share when no miner was paid, and takes amounts decoded as numbers', () => {
    expect(minerEpochs([record(10, [[1, 0, 0, 0], [2, 0, 0, 0]])], key(1))[0]).toMatchObject({ sharePpm: 0, rank: 1, miners: 1, earned: 0n })
    expect(minerEpochs([record(10, [[1, 2, 3, 1], [2, 6, 0, 0]])], key(1))[0]).toMatchObject({ sharePpm: 250_000, miner: 2n, earned: 3n })
  })
})
