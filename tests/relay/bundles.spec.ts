// First: libp2p needs what Node 20 lacks (Promise.withResolvers, a global WebSocket).
import '../../relay/node-polyfills.ts'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { keypairFromLabel } from '../../src/core/keys.ts'
import { buildBundle } from '../../src/net/block-exchange/bundle.ts'
import { DEFAULT_CHUNK_BYTES } from '../../src/net/block-exchange/constants.ts'
import { createTabNode, type TabNode } from '../../src/net/index.ts'
import { pseudoRandomBytes } from '../helpers/bytes.ts'
import { startRelayProcess, type RelayProcess } from '../helpers/relay.ts'

const relays: RelayProcess[] = []
const nodes: TabNode[] = []
afterAll(async () => {
  await Promise.all(nodes.map(async n => { await n.stop() }))
  for (const r of relays.reverse()) await r.dispose()
})

async function relay (options: Parameters<typeof startRelayProcess>[0] = {}): Promise<RelayProcess> {
  const r = await startRelayProcess({ blockTimeMs: 1000, ...options })
  relays.push(r)
  return r
}

async function publish (r: RelayProcess, bytes: Uint8Array, query: string, contentType = 'application/octet-stream'): Promise<Response> {
  return await fetch(`${r.url}/api/bundles?${query}`, { method: 'POST', headers: { 'content-type': contentType }, body: Buffer.from(bytes) })
}

describe('the relay\'s bundles', () => {
  it('publishes a file as a bundle on disk, lists it, and still has it after a restart', async () => {
    const r = await relay()
    const bytes = pseudoRandomBytes(600_000, 3)
    const res = await publish(r, bytes, 'name=weights.bin')
    expect(res.status).toBe(200)
    const published = await res.json()
    const expected = await buildBundle(bytes, { name: 'weights.bin' })
    // The default chunk size (1 MiB) takes 600 kB in one chunk.
    expect(published).toEqual({ cid: expected.cid.toString(), name: 'weights.bin', size: 600_000, chunkSize: DEFAULT_CHUNK_BYTES, chunks: 1 })
    // One file per block, named by its CID, holding exactly its bytes.
    expect(readFileSync(join(r.dataDir, 'bundles', expected.cid.toString()))).toEqual(Buffer.from(expected.manifestBytes))
    for (const chunk of expected.chunks) expect(existsSync(join(r.dataDir, 'bundles', chunk.cid.toString()))).toBe(true)
    // Beside the subnets' own bundles, which the relay publishes at start (relay/subnet-bundles.ts).
    const own = (list: Array<{ name: string }>): unknown[] => list.filter(b => !/^(prices|storage)\//.test(b.name))
    const listing = await (await fetch(`${r.url}/api/bundles`)).json()
    expect(own(listing.bundles)).toEqual([published])
    expect(listing.served).toEqual({ bytes: 0, blocks: 0 })

    await r.kill()
    const again = await relay({ dataDir: r.dataDir, port: r.port })
    expect(own((await (await fetch(`${again.url}/api/bundles`)).json()).bundles)).toEqual([published])
  })

  it('refuses a publish without a name, in another media type, or with a chunk size out of range, saying why', async () => {
    const r = await relay()
    const noName = await publish(r, Uint8Array.of(1), '')
    expect([noName.status, (await noName.json()).error]).toEqual([400, 'BAD_FIELD'])
    const json = await publish(r, Uint8Array.of(1), 'name=x', 'text/plain')
    expect([json.status, (await json.json()).message]).toEqual([415, 'Send the file\'s bytes as application/octet-stream.'])
    const chunk = await publish(r, Uint8Array.of(1), 'name=x&chunkSize=0')
    expect([chunk.status, (await chunk.json()).error]).toEqual([400, 'INVALID_BUNDLE'])
  })

  it('seeds what it publishes: a tab with no peers fetches a bundle from the relay, every block checked', async () => {
    const r = await relay()
    const bytes = pseudoRandomBytes(1_000_000, 4)
    const { cid } = await (await publish(r, bytes, 'name=data.bin&chunkSize=100000')).json()
    const { peerId: relayId, addrs } = await (await fetch(`${r.url}/api/p2p`)).json()
    const tab = await createTabNode({ hotkey: keypairFromLabel('bundles/tab'), relayAddrs: addrs })
    nodes.push(tab)
    for (let i = 0; i < 600 && tab.stats().relays === 0; i++) await new Promise(resolve => setTimeout(resolve, 50))
    const result = await tab.blocks.fetch(cid)
    expect(result.byPeer).toEqual({ [relayId]: bytes.length })
    expect(await tab.blocks.read(cid)).toEqual(bytes)
    expect(tab.stats().blocks).toEqual({ servedBytes: 0, fetchedBytes: bytes.length + (await buildBundle(bytes, { name: 'data.bin', chunkSize: 100_000 })).manifestBytes.length })
    expect((await (await fetch(`${r.url}/api/bundles`)).json()).served.bytes).toBeGreaterThanOrEqual(bytes.length)
  })
})
