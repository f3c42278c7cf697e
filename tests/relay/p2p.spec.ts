// First: libp2p needs what Node 20 lacks (Promise.withResolvers, a global WebSocket).
import '../../relay/node-polyfills.ts'
import { statSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import { keypairFromLabel } from '../../src/core/keys.ts'
import { createTabNode, type TabNode } from '../../src/net/index.ts'
import { startRelayProcess, type RelayProcess } from '../helpers/relay.ts'

const relays: RelayProcess[] = []
const nodes: TabNode[] = []
afterEach(async () => { await Promise.all(nodes.splice(0).map(async n => { await n.stop() })) })
afterAll(async () => { for (const r of relays.reverse()) await r.dispose() })

async function relay (options: Parameters<typeof startRelayProcess>[0] = {}): Promise<RelayProcess> {
  const r = await startRelayProcess({ blockTimeMs: 1000, ...options })
  relays.push(r)
  return r
}

async function p2pOf (r: RelayProcess): Promise<{ peerId: string, addrs: string[] }> {
  return await (await fetch(`${r.url}/api/p2p`)).json()
}

async function until (what: string, done: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise(r => setTimeout(r, 50))
  }
}

async function tabOn (r: RelayProcess, label: string): Promise<TabNode> {
  const node = await createTabNode({ hotkey: keypairFromLabel(label), relayAddrs: (await p2pOf(r)).addrs })
  nodes.push(node)
  return node
}

describe('the relay\'s libp2p node', () => {
  it('is dialed at the page\'s origin and keeps its peer id across a restart, in a key file only its owner reads', async () => {
    const first = await relay()
    const { peerId, addrs } = await p2pOf(first)
    expect(peerId).toMatch(/^12D3KooW/)
    expect(addrs).toEqual([`/ip4/127.0.0.1/tcp/${first.port}/ws/p2p/${peerId}`])
    expect(statSync(join(first.dataDir, 'p2p.key')).mode & 0o777).toBe(0o600)

    await first.kill()
    const again = await relay({ dataDir: first.dataDir, port: first.port })
    expect((await p2pOf(again)).peerId).toBe(peerId)
  })

  it('takes WebSocket upgrades only at /', async () => {
    const r = await relay()
    const status = await new Promise<number>(resolve => {
      const ws = new WebSocket(`ws://127.0.0.1:${r.port}/api/health`)
      ws.on('unexpected-response', (_req, res) => { resolve(res.statusCode ?? 0) })
      ws.on('open', () => { resolve(101) })
      ws.on('error', () => {})
    })
    expect(status).toBe(404)
  })

  it('gives a tab a relay slot, so other tabs can reach it through the relay', async () => {
    const r = await relay()
    const start = Date.now()
    const tab = await tabOn(r, 'p2p/tab')
    await until('a reservation', () => tab.stats().relays === 1 && tab.stats().reachable)
    const relayId = (await p2pOf(r)).peerId
    expect(tab.libp2p.getMultiaddrs().map(String)).toContain(`/ip4/127.0.0.1/tcp/${r.port}/ws/p2p/${relayId}/p2p-circuit/webrtc/p2p/${tab.libp2p.peerId.toString()}`)
    console.log(`[relay p2p] a Node tab held a reservation ${Date.now() - start} ms after it started`)
  })

  it('shares what its tabs announce with the relays it peers with', async () => {
    const a = await relay()
    const b = await relay({ peers: (await p2pOf(a)).addrs })
    const onA = await tabOn(a, 'p2p/on-a')
    const onB = await tabOn(b, 'p2p/on-b')
    const idA = onA.libp2p.peerId.toString()
    const idB = onB.libp2p.peerId.toString()
    await until('each tab to hear of the other across the two relays',
      () => onA.discovery.book.get(idB, Date.now()) !== undefined && onB.discovery.book.get(idA, Date.now()) !== undefined, 60_000)
    // What a tab heard of names the other relay: that is where the other tab can be reached.
    const relayB = (await p2pOf(b)).peerId
    const heard = onA.discovery.book.get(idB, Date.now())!
    expect(heard.addrs.every(ma => ma.toString().includes(`/p2p/${relayB}/p2p-circuit/`))).toBe(true)
  })
})
