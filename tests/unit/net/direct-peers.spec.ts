import type { Connection, Libp2p } from '@libp2p/interface'
import { peerIdFromPrivateKey, peerIdFromString } from '@libp2p/peer-id'
import { multiaddr, type Multiaddr } from '@multiformats/multiaddr'
import { describe, expect, it } from 'vitest'
import { keypairFromLabel } from '../../../src/core/keys.ts'
import { WEBRTC_MULTIPLEXER } from '../../../src/net/addresses.ts'
import { GLARE_DELAY_MS, WEBRTC_ATTEMPTS_BEFORE_RELAYED } from '../../../src/net/constants.ts'
import { DirectPeers } from '../../../src/net/direct-peers.ts'
import { PeerBook } from '../../../src/net/discovery/peer-book.ts'
import { libp2pKeyOf } from '../../../src/net/identity.ts'

// Real peer ids, sorted: SMALL < SELF < BIG.
const IDS = [
  '12D3KooWDLR1YBTi6n6gFbFPswECXeMMBWQhcyJbZYmrtB5p2fQa',
  '12D3KooWHFrmLWTTDD4NodngtRMEVYzuFj9zR8vCNvYGf5gqgQQM',
  '12D3KooWJPSM76uJYRaYpfmgVmgk4jUKbsByAFRmXvFThrMwFLxG',
  '12D3KooWKVAFUR8uNTUctoRxcHmPxHWav5eyTUCn9fvpADk5EAnH'
].sort()
const [SMALL, SELF, BIG, RELAY] = IDS as [string, string, string, string]
const relay = `/ip4/127.0.0.1/tcp/8080/ws/p2p/${RELAY}`
const recordOf = (peerId: string) => ({
  peerId,
  addrs: [multiaddr(`${relay}/p2p-circuit/webrtc/p2p/${peerId}`), multiaddr(`${relay}/p2p-circuit/p2p/${peerId}`)]
})

/** A libp2p node that records dials and answers them as told. */
function fakeNode (answer: (ma: Multiaddr) => 'direct' | 'relayed' | 'fail') {
  const connections: Connection[] = []
  const dials: string[] = []
  const node = {
    peerId: peerIdFromString(SELF),
    getConnections: () => connections,
    async dial (ma: Multiaddr) {
      dials.push(ma.toString())
      const kind = answer(ma)
      if (kind === 'fail') throw new Error('dial failed')
      const conn = {
        remotePeer: peerIdFromString(ma.getComponents().at(-1)!.value!),
        remoteAddr: ma,
        status: 'open',
        direction: 'outbound',
        limits: kind === 'relayed' ? { bytes: 1n << 20n } : undefined,
        multiplexer: kind === 'direct' ? WEBRTC_MULTIPLEXER : '/yamux/1.0.0',
        timeline: { open: Date.now() },
        close: async () => { conn.status = 'closed' }
      }
      connections.push(conn as unknown as Connection)
      return conn
    }
  }
  return { node: node as unknown as Libp2p, dials, connections }
}

const settle = async (): Promise<void> => { for (let i = 0; i < 5; i++) await new Promise(r => setTimeout(r, 0)) }

describe('direct peers', () => {
  it('dials a newly announced peer over WebRTC and stops once it is direct', async () => {
    let now = 0
    const book = new PeerBook()
    book.add(recordOf(BIG), now)
    const { node, dials } = fakeNode(() => 'direct')
    const peers = new DirectPeers(node, book, { now: () => now })
    peers.tick()
    await settle()
    now += 60_000
    book.add(recordOf(BIG), now)
    peers.tick()
    await settle()
    expect(dials).toEqual([recordOf(BIG).addrs[0]!.toString()])
  })

  it('lets the peer with the smaller id dial first, and dials it only after the glare delay', async () => {
    let now = 0
    const book = new PeerBook()
    book.add(recordOf(SMALL), now)
    const { node, dials } = fakeNode(() => 'direct')
    const peers = new DirectPeers(node, book, { now: () => now })
    peers.tick()
    await settle()
    expect(dials).toEqual([])
    now += GLARE_DELAY_MS
    peers.tick()
    await settle()
    expect(dials).toHaveLength(1)
  })

  it('falls back to a relayed connection after WebRTC failed, and keeps retrying WebRTC', async () => {
    let now = 0
    const book = new PeerBook(100, 10 * 60_000)
    book.add(recordOf(BIG), now)
    const { node, dials, connections } = fakeNode(ma => ma.toString().includes('/webrtc/') ? 'fail' : 'relayed')
    const peers = new DirectPeers(node, book, { now: () => now })
    for (let i = 0; i < WEBRTC_ATTEMPTS_BEFORE_RELAYED + 2; i++) {
      peers.tick()
      await settle()
      now += 60_000
    }
    const webrtc = recordOf(BIG).addrs[0]!.toString()
    const relayed = recordOf(BIG).addrs[1]!.toString()
    expect(dials.slice(0, WEBRTC_ATTEMPTS_BEFORE_RELAYED + 1)).toEqual([...Array(WEBRTC_ATTEMPTS_BEFORE_RELAYED).fill(webrtc), relayed])
    expect(dials.filter(d => d === relayed)).toHaveLength(1)
    expect(dials.at(-1)).toBe(webrtc)
    expect(connections.filter(c => c.status === 'open' && c.limits != null)).toHaveLength(1)
  })

  it('closes the relayed connection to a peer once a direct one is up', async () => {
    let now = 0
    let webrtcWorks = false
    const book = new PeerBook(100, 10 * 60_000)
    book.add(recordOf(BIG), now)
    const { node, connections } = fakeNode(ma => ma.toString().includes('/webrtc/') ? (webrtcWorks ? 'direct' : 'fail') : 'relayed')
    const peers = new DirectPeers(node, book, { now: () => now })
    for (let i = 0; i < WEBRTC_ATTEMPTS_BEFORE_RELAYED; i++) {
      peers.tick()
      await settle()
      now += 60_000
    }
    expect(connections.some(c => c.status === 'open' && c.limits != null)).toBe(true)
    webrtcWorks = true
    peers.tick()
    await settle()
    peers.tick()
    await settle()
    expect(connections.filter(c => c.status === 'open').map(c => c.multiplexer)).toEqual([WEBRTC_MULTIPLEXER])
  })

  it('dials no more peers than its bound at once, and never a relay', async () => {
    const ids = await Promise.all(Array.from({ length: 12 }, async (_, i) => peerIdFromPrivateKey(await libp2pKeyOf(keypairFromLabel(`direct-peers/${i}`))).toString()))
    const book = new PeerBook()
    for (const id of [...ids, RELAY]) book.add(recordOf(id), 0)
    const dials: string[] = []
    // Dials that never finish: every one the tick starts stays in flight.
    const node = { peerId: peerIdFromString(SELF), getConnections: () => [], dial: async (ma: Multiaddr) => { dials.push(ma.toString()); return await new Promise(() => {}) } }
    const peers = new DirectPeers(node as unknown as Libp2p, book, { maxDirect: 4, exclude: () => [RELAY], now: () => GLARE_DELAY_MS })
    peers.tick()
    peers.tick()
    await settle()
    expect(dials).toHaveLength(4)
    expect(dials.some(d => d.endsWith(`/p2p/${RELAY}`))).toBe(false)
  })

  it('dials the announced providers of a bundle being fetched first, even past the bound', async () => {
    const book = new PeerBook()
    book.add(recordOf(BIG), 0)
    book.add(recordOf(RELAY), 0)
    const { node, dials } = fakeNode(() => 'direct')
    // One direct peer already: a bound of one is reached.
    await node.dial(recordOf(SMALL).addrs[0]!)
    dials.length = 0
    let prefer = new Set<string>()
    const peers = new DirectPeers(node, book, { maxDirect: 1, now: () => 0, prefer: () => prefer })
    peers.tick()
    await settle()
    expect(dials).toEqual([])
    prefer = new Set([BIG])
    peers.tick()
    await settle()
    expect(dials).toEqual([recordOf(BIG).addrs[0]!.toString()])
  })
})
