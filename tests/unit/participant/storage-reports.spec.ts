/**
 * The storage subnet page's record of what validators report: the latest report per validator,
 * nothing changed by a payload it cannot read, and a session that follows the tab's node when it
 * restarts under another key.
 */
import { afterEach, describe, expect, it, vi } from 'vitest'
import { toAddress } from '../../../src/core/address.ts'
import { encode } from '../../../src/core/codec.ts'
import { encodeScores, type ScoresMessage } from '../../../src/participant/agent/scores-message.ts'
import { GOSSIP_LOOK_MS, StorageReportsSession, type ScoresGossip } from '../../../src/participant/storage-reports-session.svelte.ts'
import { MAX_REPORTING_VALIDATORS, StorageReports } from '../../../src/participant/storage-reports.ts'

const key = (n: number): Uint8Array => new Uint8Array(32).fill(n)
const storage = { uids: [1, 2], bytes: [2_097_152, 262_144], passes: [6, 1], trials: [6, 4] }
const message = (over: Partial<ScoresMessage> = {}): Uint8Array =>
  encodeScores({ netuid: 3, round: 5, uids: [1, 2], scores: [65535, 300], storage, ...over })

describe('storage reports heard on the scores topic', () => {
  it('keeps each validator\'s latest report, named by its hotkey', () => {
    const reports = new StorageReports(3)
    expect(reports.accept(key(1), message(), 1000)).toBe(true)
    expect(reports.accept(key(1), message({ round: 6, storage: { ...storage, passes: [7, 1], trials: [7, 5] } }), 2000)).toBe(true)
    expect(reports.list()).toEqual([{
      validator: toAddress(key(1)),
      round: 6,
      heardAt: 2000,
      miners: [{ uid: 1, bytes: 2_097_152, passes: 7, trials: 7 }, { uid: 2, bytes: 262_144, passes: 1, trials: 5 }]
    }])
  })

  it('changes nothing for a malformed report, another subnet\'s, or scores without a report', () => {
    const reports = new StorageReports(3)
    reports.accept(key(1), message(), 1000)
    const before = reports.list()
    expect(reports.accept(key(1), encode({ netuid: 3, round: 9, scores: [1], uids: [1], storage: { ...storage, passes: [9, 1] } }))).toBe(false)
    expect(reports.accept(key(1), message({ netuid: 4 }))).toBe(false)
    expect(reports.accept(key(2), encodeScores({ netuid: 3, round: 9, uids: [1], scores: [1] }))).toBe(false)
    expect(reports.accept(key(2), new Uint8Array([0xff]))).toBe(false)
    expect(reports.list()).toEqual(before)
  })

  it(`keeps ${MAX_REPORTING_VALIDATORS} validators at most, dropping the one heard from longest ago`, () => {
    const reports = new StorageReports(3)
    for (let i = 0; i < MAX_REPORTING_VALIDATORS; i++) reports.accept(key(i), message(), i)
    reports.accept(key(0), message(), 100)
    reports.accept(key(200), message(), 101)
    const kept = new Set(reports.list().map(r => r.validator))
    expect(kept.size).toBe(MAX_REPORTING_VALIDATORS)
    expect(kept.has(toAddress(key(0)))).toBe(true)
    expect(kept.has(toAddress(key(1)))).toBe(false)
    expect(kept.has(toAddress(key(200)))).toBe(true)
  })
})

describe('the storage reports session', () => {
  afterEach(() => { vi.useRealTimers() })

  class FakeGossip implements ScoresGossip {
    handlers = new Set<(m: { from: Uint8Array, payload: Uint8Array }) => void>()
    subscribe (kind: { kind: 'scores', netuid: number }, handler: (m: { from: Uint8Array, payload: Uint8Array }) => void): () => void {
      expect(kind).toEqual({ kind: 'scores', netuid: 3 })
      this.handlers.add(handler)
      return () => { this.handlers.delete(handler) }
    }

    emit (from: Uint8Array, payload: Uint8Array): void {
      for (const h of this.handlers) h({ from, payload })
    }
  }

  it('listens on whichever node runs, and stops listening when the page goes', () => {
    vi.useFakeTimers()
    let gossip: FakeGossip | undefined
    const session = new StorageReportsSession(() => gossip, 3)
    const stop = session.start()
    expect(session.listening).toBe(false)

    gossip = new FakeGossip()
    vi.advanceTimersByTime(GOSSIP_LOOK_MS)
    expect(session.listening).toBe(true)
    gossip.emit(key(1), message())
    expect(session.validators.map(v => [v.validator, v.round])).toEqual([[toAddress(key(1)), 5]])

    const first = gossip
    gossip = new FakeGossip()
    vi.advanceTimersByTime(GOSSIP_LOOK_MS)
    expect(first.handlers.size).toBe(0)
    gossip.emit(key(1), message({ round: 6 }))
    expect(session.validators.map(v => v.round)).toEqual([6])

    stop()
    expect(gossip.handlers.size).toBe(0)
  })
})
