import { createHash } from 'node:crypto'
import { rmSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildBundle } from '../../src/net/block-exchange/bundle.ts'
import { blockStatsInPage, bytesDoneInPage, corruptServedBlocksInPage, fetchInPage, publishInPage, readDigestInPage, startFetchInPage, waitForNode } from '../helpers/blocks-page.ts'
import { pseudoRandomBytes } from '../helpers/bytes.ts'
import { assertLoopbackOnlyNetwork } from '../helpers/netns.ts'
import { buildPage, startRelayProcess, type RelayProcess } from '../helpers/relay.ts'
import { closeTabs, openTab, tabPeerId, waitOnline, waitPeer, type Tab } from '../helpers/tabs.ts'

const MIB = 1024 * 1024

describe('block exchange between tabs on the real relay', () => {
  let relay: RelayProcess
  let staticDir: string
  const tabs: Tab[] = []

  beforeAll(async () => {
    assertLoopbackOnlyNetwork()
    staticDir = buildPage()
    relay = await startRelayProcess({ staticDir, blockTimeMs: 1000 })
  })
  afterAll(async () => {
    await closeTabs(tabs)
    await relay?.dispose()
    if (staticDir !== undefined) rmSync(staticDir, { recursive: true, force: true })
  })

  async function openTabs (count: number): Promise<Array<{ tab: Tab, id: string }>> {
    const opened = await Promise.all(Array.from({ length: count }, async () => await openTab(relay.url, { testHooks: true })))
    tabs.push(...opened)
    await Promise.all(opened.map(async t => { await waitOnline(t.page); await waitForNode(t.page) }))
    return await Promise.all(opened.map(async tab => ({ tab, id: await tabPeerId(tab.page) })))
  }

  it('fetches a 16 MiB bundle from the tab that published it, not from the relay, checks it, and serves it from the cache after a reload', async () => {
    const [a, b] = await openTabs(2) as [{ tab: Tab, id: string }, { tab: Tab, id: string }]
    await Promise.all([waitPeer(a.tab.page, b.id, 'direct'), waitPeer(b.tab.page, a.id, 'direct')])

    const size = 16 * MIB
    const bytes = pseudoRandomBytes(size, 11)
    const expected = await buildBundle(bytes, { name: 'bundle-16mib.bin' })
    const cid = await publishInPage(a.tab.page, size, 11, 'bundle-16mib.bin')
    expect(cid).toBe(expected.cid.toString())
    // The relay holds the very same bundle, so it could serve it: a direct peer must still be preferred.
    const res = await fetch(`${relay.url}/api/bundles?name=bundle-16mib.bin`, { method: 'POST', headers: { 'content-type': 'application/octet-stream' }, body: Buffer.from(bytes) })
    expect((await res.json()).cid).toBe(cid)

    const fetched = await fetchInPage(b.tab.page, cid)
    expect(fetched.byPeer).toEqual({ [a.id]: size })
    expect([fetched.bytesDone, fetched.bytesTotal, fetched.fromCache]).toEqual([size, size, 0])
    expect(fetched.dropped).toEqual({})
    expect(await readDigestInPage(b.tab.page, cid)).toBe(createHash('sha256').update(bytes).digest('hex'))
    expect((await (await fetch(`${relay.url}/api/bundles`)).json()).served).toEqual({ bytes: 0, blocks: 0 })
    // What the page shows: A served the bundle, B fetched it (the manifest's bytes on top).
    await expect.poll(async () => Number(await a.tab.page.getByTestId('network-served').getAttribute('data-bytes'))).toBeGreaterThanOrEqual(size)
    await expect.poll(async () => Number(await b.tab.page.getByTestId('network-fetched').getAttribute('data-bytes'))).toBeGreaterThanOrEqual(size)
    console.log(`[block-exchange] 16 MiB from a direct peer in ${Math.round(fetched.ms)} ms (${(size / MIB / (fetched.ms / 1000)).toFixed(1)} MiB/s), every chunk checked and cached`)

    // A reload starts a new node (a new peer id) on the same IndexedDB cache: nothing goes over the network.
    await b.tab.page.reload()
    await waitOnline(b.tab.page)
    await waitForNode(b.tab.page)
    const again = await fetchInPage(b.tab.page, cid)
    expect(again.byPeer).toEqual({})
    expect([again.fromCache, again.bytesDone]).toEqual([size, size])
    expect((await blockStatsInPage(b.tab.page)).fetchedBytes).toBe(0)
    expect(await readDigestInPage(b.tab.page, cid)).toBe(createHash('sha256').update(bytes).digest('hex'))
    expect(await b.tab.page.getByTestId('network-fetched').getAttribute('data-bytes')).toBe('0')
    expect([...a.tab.errors, ...b.tab.errors]).toEqual([])
  })

  it('rejects blocks with a wrong hash from a corrupt peer, bans it, and completes from an honest one', async () => {
    const [honest, corrupt, fetcher] = await openTabs(3) as Array<{ tab: Tab, id: string }> as [{ tab: Tab, id: string }, { tab: Tab, id: string }, { tab: Tab, id: string }]
    await Promise.all([waitPeer(fetcher.tab.page, honest.id, 'direct'), waitPeer(fetcher.tab.page, corrupt.id, 'direct')])
    // Small chunks, so that both peers are asked for some before either could finish alone.
    const size = 8 * MIB
    const [cidHonest, cidCorrupt] = await Promise.all([
      publishInPage(honest.tab.page, size, 12, 'corrupt-case.bin', 64 * 1024),
      publishInPage(corrupt.tab.page, size, 12, 'corrupt-case.bin', 64 * 1024)
    ])
    expect(cidCorrupt).toBe(cidHonest)
    await corruptServedBlocksInPage(corrupt.tab.page)

    const fetched = await fetchInPage(fetcher.tab.page, cidHonest)
    expect(fetched.dropped).toEqual({ [corrupt.id]: 'BLOCK_HASH_MISMATCH' })
    expect(fetched.byPeer).toEqual({ [honest.id]: size })
    expect((await blockStatsInPage(fetcher.tab.page)).rejected.BLOCK_HASH_MISMATCH).toBeGreaterThanOrEqual(1)
    expect((await blockStatsInPage(corrupt.tab.page)).servedBytes).toBeGreaterThan(0)
    expect(await readDigestInPage(fetcher.tab.page, cidHonest)).toBe(createHash('sha256').update(pseudoRandomBytes(size, 12)).digest('hex'))
    expect(tabs.flatMap(t => t.errors)).toEqual([])
  })

  it('continues a fetch that a reload cut short, fetching only the chunks the cache lacks', async () => {
    const [a, b] = await openTabs(2) as [{ tab: Tab, id: string }, { tab: Tab, id: string }]
    await Promise.all([waitPeer(a.tab.page, b.id, 'direct'), waitPeer(b.tab.page, a.id, 'direct')])
    const size = 16 * MIB
    const cid = await publishInPage(a.tab.page, size, 13, 'resume.bin')
    await startFetchInPage(b.tab.page, cid)
    await expect.poll(async () => await bytesDoneInPage(b.tab.page), { timeout: 60_000, interval: 20 }).toBeGreaterThanOrEqual(size / 4)
    await b.tab.page.reload()
    await waitOnline(b.tab.page)
    await waitForNode(b.tab.page)
    await waitPeer(b.tab.page, a.id, 'direct')
    const resumed = await fetchInPage(b.tab.page, cid)
    expect(resumed.fromCache).toBeGreaterThanOrEqual(size / 4)
    expect(resumed.fromCache).toBeLessThan(size)
    expect(resumed.byPeer).toEqual({ [a.id]: size - resumed.fromCache })
    expect(await readDigestInPage(b.tab.page, cid)).toBe(createHash('sha256').update(pseudoRandomBytes(size, 13)).digest('hex'))
    console.log(`[block-exchange] after a reload at ${(resumed.fromCache / MIB).toFixed(2)} MiB, the fetch went on with the other ${((size - resumed.fromCache) / MIB).toFixed(2)} MiB`)
  })
})
