/**
 * The storage validator's bookkeeping: assignments kept per uid and hotkey, a shard held while
 * its latest challenge passed, standings by Wilson × bytes held.
 */
import { describe, expect, it } from 'vitest'
import { StorageBook } from '../../../../src/participant/agent/storage-book.ts'

const key = (n: number): Uint8Array => new Uint8Array(32).fill(n)
const shards = (n: number): Array<{ shard: string, name: string, root: string, leaves: number, bytes: number }> =>
  Array.from({ length: n }, (_, i) => ({ shard: `s${i}`, name: `cid${i}`, root: `r${i}`, leaves: 256, bytes: 1000 }))

describe('the storage book', () => {
  it('forgets an assignment when the uid changes hands, and survives a round trip through its records', () => {
    const book = new StorageBook()
    book.assign(0, key(1), shards(2))
    expect(book.assignment(0, key(1))?.shards).toHaveLength(2)
    expect(book.assignment(0, key(2))).toBeUndefined()
    book.record(0, 's0', true)
    const again = new StorageBook(book.records())
    expect(again.minerRecords()).toEqual([{ uid: 0, passes: 1, trials: 1, bytesHeld: 1000 }])
    again.prune(new Map([[0, key(2)]]))
    expect(again.records()).toEqual([])
  })

  it('counts a shard as held while its latest challenge passed, and ranks a full holder above one that dropped half', () => {
    const book = new StorageBook()
    book.assign(0, key(1), shards(4))
    book.assign(1, key(2), shards(4))
    for (let round = 0; round < 5; round++) {
      for (let s = 0; s < 4; s++) {
        book.record(0, `s${s}`, true)
        book.record(1, `s${s}`, s < 2)
      }
    }
    expect(book.minerRecords()).toEqual([
      { uid: 0, passes: 20, trials: 20, bytesHeld: 4000 },
      { uid: 1, passes: 10, trials: 20, bytesHeld: 2000 }
    ])
    const standing = book.standings()
    expect(standing.get(0)).toBe(1)
    expect(standing.get(1)).toBeLessThan(0.3)
    book.record(1, 's3', true)
    expect(book.minerRecords()[1]!.bytesHeld).toBe(3000)
    book.record(1, 'unknown', true)
    expect(book.minerRecords()[1]!.trials).toBe(21)
  })

  it('reports bytes held and challenges passed per uid, ascending, as the scores message carries them', () => {
    const book = new StorageBook()
    book.assign(5, key(2), shards(3))
    book.assign(2, key(1), shards(2))
    book.record(5, 's0', true)
    book.record(5, 's1', false)
    book.record(5, 's2', true)
    book.record(5, 's2', true)
    book.record(2, 's0', false)
    book.record(2, 'not assigned', true)
    expect(book.report()).toEqual({ uids: [2, 5], bytes: [0, 2000], passes: [0, 3], trials: [1, 4] })
    expect(book.report(new Set([5, 9]))).toEqual({ uids: [5], bytes: [2000], passes: [3], trials: [4] })
    expect(new StorageBook().report()).toEqual({ uids: [], bytes: [], passes: [], trials: [] })
  })
})
