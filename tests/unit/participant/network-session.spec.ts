import { afterEach, describe, expect, it } from 'vitest'
import { chainIdOf, genesisToJson, type GenesisSpec } from '../../../src/core/genesis.ts'
import { toHex } from '../../../src/core/hash.ts'
import { keypairFromLabel } from '../../../src/core/keys.ts'
import type { NetworkStats, TabNode, TabNodeInit } from '../../../src/net/index.ts'
import { LedgerSyncError } from '../../../src/net/ledger-sync/errors.ts'
import { RelayError } from '../../../src/participant/errors.ts'
import { NetworkSession, type StartNode } from '../../../src/participant/network-session.svelte.ts'
import type { P2pInfo } from '../../../src/participant/relay-client.ts'

const RELAY = '/ip4/127.0.0.1/tcp/8080/ws/p2p/12D3KooWKVAFUR8uNTUctoRxcHmPxHWav5eyTUCn9fvpADk5EAnH'
const hotkey = keypairFromLabel('network-session')
const producer = keypairFromLabel('network-session/producer')
const spec: GenesisSpec = { chain: 'network-session', time: 1, producer: producer.publicKey, balances: [], subnets: [], params: {} }
const getGenesis = async () => ({ chainId: toHex(chainIdOf(spec)), genesis: genesisToJson(spec) })
const stats = (over: Partial<NetworkStats> = {}): NetworkStats =>
  ({ peerId: '12D3KooWtab', relays: 1, reachable: true, direct: 0, relayed: 0, peers: [], ...over })

const sessions: NetworkSession[] = []
afterEach(async () => { await Promise.all(sessions.splice(0).map(async s => { await s.stop() })) })

function session (getP2p: () => Promise<P2pInfo>, startNode: StartNode, genesis = getGenesis): NetworkSession {
  const s = new NetworkSession({ relay: { getP2p, getGenesis: genesis }, startNode, hotkey, pollMs: 10 })
  sessions.push(s)
  return s
}

async function until (done: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !done(); i++) await new Promise(r => setTimeout(r, 10))
  expect(done()).toBe(true)
}

describe('the network session', () => {
  it('starts the node with the relay\'s addresses, the hotkey and the chain, and shows its counts', async () => {
    let current = stats({ relays: 0, reachable: false })
    const inits: TabNodeInit[] = []
    const s = session(async () => ({ peerId: 'relay', addrs: [RELAY] }), async init => {
      inits.push(init)
      return { stats: () => current, stop: async () => {} }
    })
    s.start()
    await until(() => s.status === 'connecting')
    expect(inits).toEqual([{ hotkey, relayAddrs: [RELAY], chain: { chainId: chainIdOf(spec), producer: producer.publicKey } }])
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

  it('keeps only the node of a restart begun while the first start was still connecting', async () => {
    const other = keypairFromLabel('network-session/other')
    const nodes: Array<{ hotkey: Uint8Array, stopped: boolean, started: (value?: unknown) => void }> = []
    const s = session(async () => ({ peerId: 'relay', addrs: [RELAY] }), async init => {
      const node = { hotkey: init.hotkey.publicKey, stopped: false, started: (_?: unknown) => {} }
      nodes.push(node)
      // Each node finishes starting when the test says so.
      await new Promise(resolve => { node.started = resolve })
      return { stats: () => stats({ peerId: toHex(node.hotkey) }), stop: async () => { node.stopped = true } }
    })
    s.start()
    await until(() => nodes.length === 1)
    const restarting = s.restartAs(other)
    await restarting
    await until(() => nodes.length === 2)
    nodes[0]!.started()
    await new Promise(r => setTimeout(r, 30))
    nodes[1]!.started()
    await until(() => s.status === 'online')
    await new Promise(r => setTimeout(r, 30))
    expect(s.peerId).toBe(toHex(other.publicKey))
    expect(nodes.map(n => n.stopped)).toEqual([true, false])
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

  it('shows gossip counts and the rate of messages in and out', async () => {
    const gossip = { in: 0, out: 0, rejected: 0, ignored: 0, topics: {}, reasons: {} }
    const s = session(async () => ({ peerId: 'relay', addrs: [RELAY] }), async () => ({ stats: () => stats({ gossip: { ...gossip } }), stop: async () => {} }))
    s.start()
    await until(() => s.status === 'online')
    gossip.in = 40
    gossip.out = 2
    gossip.rejected = 3
    await until(() => s.gossipIn === 40)
    expect([s.gossipOut, s.gossipRejected]).toEqual([2, 3])
    expect(s.gossipRate).toBeGreaterThan(0)
  })

  it('stays offline when the relay\'s genesis does not hash to the chain id it claims', async () => {
    let starts = 0
    const lying = async () => ({ ...(await getGenesis()), chainId: '00'.repeat(32) })
    const s = session(async () => ({ peerId: 'relay', addrs: [RELAY] }), async () => {
      starts++
      return { stats: () => stats(), stop: async () => {} }
    }, lying)
    s.start()
    await until(() => s.status === 'offline')
    expect(s.error).toMatch(/genesis whose hash is not the chain id/)
    expect(starts).toBe(0)
  })

  it('stops the node it started', async () => {
    let stopped = false
    const s = session(async () => ({ peerId: 'relay', addrs: [RELAY] }), async () => ({ stats: () => stats(), stop: async () => { stopped = true } }))
    s.start()
    await until(() => s.status === 'online')
    await s.stop()
    expect(stopped).toBe(true)
  })

  it('names directly connected tabs in turn, then the relay, for ledger sync; none while not online; never a peer that lied', async () => {
    const relayId = RELAY.split('/p2p/')[1]!
    const conn = (peer: string, over: Record<string, unknown> = {}): unknown => ({ remotePeer: { toString: () => peer }, status: 'open', limits: undefined, ...over })
    const toRelay = conn(relayId)
    const connections = [conn('t1'), conn('t2'), conn('relayed', { limits: { bytes: 1n } }), conn('t3'), conn('closing', { status: 'closing' }), conn(relayId, { limits: { bytes: 1n } }), toRelay]
    const peers = ['t1', 't2', 't3', 'closing'].map(peerId => ({ peerId, kind: 'direct' as const }))
    let current = stats({ relays: 0 })
    const libp2p = { getConnections: () => connections } as unknown as NonNullable<Awaited<ReturnType<StartNode>>['libp2p']>
    const s = session(async () => ({ peerId: 'relay', addrs: [RELAY] }), async () => ({ stats: () => current, stop: async () => {}, libp2p }))
    expect(s.ledgerPeers()).toEqual([])
    s.start()
    await until(() => s.status === 'connecting')
    expect(s.ledgerPeers()).toEqual([])
    current = stats({ peers: [...peers, { peerId: 'relayed', kind: 'relayed' }] })
    await until(() => s.status === 'online')
    const named = (): string[] => s.ledgerPeers().map(p => `${p.kind}:${p.peerId}`)
    expect(named()).toEqual(['tab:t1', 'tab:t2', `relay:${relayId}`])
    expect(named()).toEqual(['tab:t2', 'tab:t3', `relay:${relayId}`])
    expect(s.ledgerPeers().at(-1)!.connection).toBe(toRelay)
    s.ledgerPeerFailed(new LedgerSyncError('REMOTE', 'busy'), { peerId: 't3' })
    s.ledgerPeerFailed(new LedgerSyncError('BAD_HEADER', 'a bad signature'), { peerId: 't1' })
    expect(named()).toEqual(['tab:t3', 'tab:t2', `relay:${relayId}`])
  })

  it('serves the light client\'s source, offers it gossiped headers, and shows where headers came from and how many it served', async () => {
    const inits: TabNodeInit[] = []
    const source = { height: 0, header: () => undefined, prove: () => undefined }
    const offered: unknown[] = []
    const light = { source, stats: () => ({ headers: { gossip: 3, tab: 4, relay: 2, http: 9 }, lastTab: 't1' }), offer: async (h: unknown) => { offered.push(h) } }
    let onHeader: ((m: { value: unknown }) => void) | undefined
    const gossip = { subscribe: (kind: string, handler: (m: { value: unknown }) => void) => { if (kind === 'headers') onHeader = handler; return () => {} } }
    const s = new NetworkSession({
      relay: { getP2p: async () => ({ peerId: 'relay', addrs: [RELAY] }), getGenesis }, hotkey, pollMs: 10, light,
      startNode: async init => {
        inits.push(init)
        return { stats: () => stats({ ledger: { headers: 7, proofs: 1, refused: 0 } }), stop: async () => {}, gossip: gossip as unknown as TabNode['gossip'] }
      }
    })
    sessions.push(s)
    s.start()
    await until(() => s.status === 'online')
    expect(inits[0]!.ledger).toBe(source)
    expect([s.headersFromGossip, s.headersFromTabs, s.headersFromRelay, s.headersOverHttp, s.headersServed]).toEqual([3, 4, 2, 9, 7])
    // Headers heard on gossip go to the light client.
    onHeader!({ value: 'header 12' })
    expect(offered).toEqual(['header 12'])
    expect(s.lastLedgerTab).toBe('t1')
  })
})
