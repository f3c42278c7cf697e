// First: libp2p needs Promise.withResolvers, which Node 20 lacks.
import '../../../../relay/node-polyfills.ts'
import type { Connection, PeerId } from '@libp2p/interface'
import { multiaddr } from '@multiformats/multiaddr'
import { describe, expect, it } from 'vitest'
import { BlockExchange, MemoryBlockStore } from '../../../../src/net/block-exchange/index.ts'
import { pseudoRandomBytes } from '../../../helpers/bytes.ts'

const RELAY = '12D3KooWRelay'
const CIRCUIT = multiaddr('/ip4/127.0.0.1/tcp/1/ws/p2p/12D3KooWKVAFUR8uNTUctoRxcHmPxHWav5eyTUCn9fvpADk5EAnH/p2p-circuit')
const WS = multiaddr('/ip4/127.0.0.1/tcp/1/ws')

function conn (peer: string, over: Partial<Connection>): Connection {
  return { remotePeer: { toString: () => peer } as PeerId, status: 'open', limits: undefined, multiplexer: '/webrtc', remoteAddr: CIRCUIT, ...over } as unknown as Connection
}

function exchange (connections: Connection[], store = new MemoryBlockStore()): BlockExchange {
  const libp2p = { getConnections: () => connections, handle: async () => {}, unhandle: async () => {} }
  return new BlockExchange({ libp2p, store }, { relays: () => [RELAY] })
}

describe('a node\'s block exchange', () => {
  it('fetches from direct WebRTC peers and relays, never over limited (relayed) or closed connections', () => {
    const sources = exchange([
      conn('direct', {}),
      conn('direct', {}),
      conn(RELAY, { multiplexer: '/yamux/1.0.0', remoteAddr: WS }),
      conn('relayed', { limits: { bytes: 1n << 20n }, multiplexer: '/yamux/1.0.0' }),
      conn('closing', { status: 'closing' }),
      conn('node-over-websockets', { multiplexer: '/yamux/1.0.0', remoteAddr: WS })
    ]).sources()
    expect(sources.map(s => [s.peerId, s.kind])).toEqual([['direct', 'direct'], [RELAY, 'relay']])
  })

  it('publishes a bundle into its store and reads it back, and refuses what is not a CID', async () => {
    const blocks = exchange([])
    const bytes = pseudoRandomBytes(70_000, 9)
    const cid = await blocks.publish(bytes, { name: 'x', chunkSize: 30_000 })
    expect(await blocks.read(cid.toString())).toEqual(bytes)
    await expect(blocks.read('not-a-cid')).rejects.toThrow(/is not a CID/)
    await expect(blocks.read('bafyreihjnzle37pjr63b3mhtewhzpcuet7kigcoebag2i5ujd7yeril4ru')).rejects.toThrow(/not in this node's cache; fetch the bundle first/)
  })

  it('lists the bundles it holds in full, most recent first, for its provider announcements', async () => {
    const blocks = exchange([])
    const events: string[] = []
    blocks.addEventListener('held', e => events.push(e.detail.toString()))
    const first = await blocks.publish(pseudoRandomBytes(1000, 1), { name: 'a' })
    const second = await blocks.publish(pseudoRandomBytes(1000, 2), { name: 'b' })
    expect(blocks.held()).toEqual([second, first])
    // Fetching a bundle it already holds moves it to the front.
    await blocks.fetch(first)
    expect(blocks.held()).toEqual([first, second])
    expect(events).toEqual([first, second, first].map(c => c.toString()))
  })

  it('holds again, after a restart on the same store, the bundles it held in full, in the same order, but not one whose blocks went missing', async () => {
    const store = new MemoryBlockStore()
    const before = exchange([], store)
    const first = await before.publish(pseudoRandomBytes(1000, 1), { name: 'a' })
    const second = await before.publish(pseudoRandomBytes(1000, 2), { name: 'b' })
    const third = await before.publish(pseudoRandomBytes(1000, 3), { name: 'c' })
    expect(await store.loadHeld()).toEqual([third, second, first].map(c => c.toString()))
    // A saved list is read back like any input: entries that are not CIDs are skipped.
    await store.saveHeld([third.toString(), 'not-a-cid', second.toString(), first.toString()])
    // A store holding the manifests but not the chunks (an evicted cache).
    const emptied = new MemoryBlockStore()
    for (const cid of [first, second]) await emptied.put(cid, (await store.get(cid))!)
    const after = exchange([], store)
    const events: string[] = []
    after.addEventListener('held', e => events.push(e.detail.toString()))
    await after.start()
    expect(after.held()).toEqual([third, second, first])
    expect(events).toEqual([third.toString()])
    const partial = exchange([], emptied)
    await emptied.saveHeld([first.toString(), second.toString()])
    await partial.start()
    expect(partial.held()).toEqual([])
  })
})
