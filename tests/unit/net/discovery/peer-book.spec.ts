import { multiaddr } from '@multiformats/multiaddr'
import { describe, expect, it } from 'vitest'
import { PeerBook } from '../../../../src/net/discovery/peer-book.ts'

const record = (peerId: string) => ({ peerId, addrs: [multiaddr(`/ip4/127.0.0.1/tcp/1/ws/p2p-circuit/p2p/${peerId}`)] })

describe('the peer book', () => {
  it('says whether a peer is new, and again once its record expired', () => {
    const book = new PeerBook(10, 1000)
    expect(book.add(record('a'), 0)).toBe(true)
    expect(book.add(record('a'), 500)).toBe(false)
    expect(book.add(record('a'), 1400)).toBe(false)
    expect(book.add(record('a'), 2401)).toBe(true)
  })

  it('lists current peers most recently heard first and forgets expired ones', () => {
    const book = new PeerBook(10, 1000)
    book.add(record('a'), 0)
    book.add(record('b'), 100)
    book.add(record('c'), 200)
    book.add(record('a'), 300)
    expect(book.current(300).map(p => p.peerId)).toEqual(['a', 'c', 'b'])
    expect(book.current(1150).map(p => p.peerId)).toEqual(['a', 'c'])
    expect(book.size).toBe(2)
    expect(book.get('b', 1150)).toBeUndefined()
  })

  it('stays within its bound by forgetting the stalest peer', () => {
    const book = new PeerBook(3, 1000)
    for (const [i, id] of ['a', 'b', 'c', 'd'].entries()) book.add(record(id), i)
    expect(book.size).toBe(3)
    expect(book.current(4).map(p => p.peerId).sort()).toEqual(['b', 'c', 'd'])
  })

  it('samples at most the asked number of distinct current peers', () => {
    const book = new PeerBook(100, 1000)
    for (let i = 0; i < 50; i++) book.add(record(`p${i}`), 0)
    const sample = book.sample(10, 1)
    expect(sample).toHaveLength(10)
    expect(new Set(sample.map(p => p.peerId)).size).toBe(10)
    expect(book.sample(80, 1)).toHaveLength(50)
  })
})
