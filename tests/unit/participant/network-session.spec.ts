import { afterEach, describe, expect, it } from 'vitest'
import { keypairFromLabel } from '../../../src/core/keys.ts'
import type { NetworkStats, TabNodeInit } from '../../../src/net/index.ts'
import { RelayError } from '../../../src/participant/errors.ts'
import { NetworkSession, type StartNode } from '../../../src/participant/network-session.svelte.ts'
import type { P2pInfo } from '../../../src/participant/relay-client.ts'

const RELAY = '/ip4/127.0.0.1/tcp/8080/ws/p2p/12D3KooWKVAFUR8uNTUctoRxcHmPxHWav5eyTUCn9fvpADk5EAnH'
const hotkey = keypairFromLabel('network-session')
const stats = (over: Partial<NetworkStats> = {}): NetworkStats =>
  ({ peerId: '12D3KooWtab', relays: 1, reachable: true, direct: 0, relayed: 0, peers: [], ...over })

const sessions: NetworkSession[] = []
afterEach(async () => { await Promise.all(sessions.splice(0).map(async s => { await s.stop() })) })

function session (getP2p: () => Promise<P2pInfo>, startNode: StartNode): NetworkSession {
  const s = new NetworkSession({ relay: { getP2p }, startNode, hotkey, pollMs: 10 })
  sessions.push(s)
  return s
}

async function until (done: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !done(); i++) await new Promise(r => setTimeout(r, 10))
  expect(done()).toBe(true)
}

describe('the network session', () => {
  it('starts the node with the relay\'s addresses and the hotkey, and shows its counts', async () => {
    let current = stats({ relays: 0, reachable: false })
    const inits: TabNodeInit[] = []
    const s = session(async () => ({ peerId: 'relay', addrs: [RELAY] }), async init => {
      inits.push(init)
      return { stats: () => current, stop: async () => {} }
    })
    s.start()
    await until(() => s.status === 'connecting')
    expect(inits).toEqual([{ hotkey, relayAddrs: [RELAY] }])
    current = stats({ direct: 2, relayed: 1, peers: [{ peerId: 'p', kind: 'direct' }] })
    await until(() => s.status === 'online')
    expect([s.direct, s.relayed, s.reachable, s.peerId]).toEqual([2, 1, true, '12D3KooWtab'])
  })

  it('is offline with a reason when the relay has no peer-to-peer endpoint, and never starts a node', async () => {
    let starts = 0
    const s = session(async () => { throw new RelayError('NOT_FOUND', 'Nothing is at GET /api/p2p.', 404) }, async () => {
      starts++
      return { stats: () => stats(), stop: async () => {} }
    })
    s.start()
    await until(() => s.status === 'offline')
    expect(s.error).toMatch(/no peer-to-peer endpoint/)
    expect(starts).toBe(0)
  })

  it('retries after a node that failed to start, and comes online', async () => {
    let attempts = 0
    const s = session(async () => ({ peerId: 'relay', addrs: [RELAY] }), async () => {
      if (++attempts === 1) throw new Error('RTCPeerConnection is not defined')
      return { stats: () => stats(), stop: async () => {} }
    })
    s.start()
    await until(() => s.status === 'offline')
    expect(s.error).toMatch(/could not start \(RTCPeerConnection is not defined\)/)
    await until(() => s.status === 'online')
    expect(s.error).toBeNull()
  })

  it('stops the node it started', async () => {
    let stopped = false
    const s = session(async () => ({ peerId: 'relay', addrs: [RELAY] }), async () => ({ stats: () => stats(), stop: async () => { stopped = true } }))
    s.start()
    await until(() => s.status === 'online')
    await s.stop()
    expect(stopped).toBe(true)
  })
})
