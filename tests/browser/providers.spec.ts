/**
 * Provider announcements among three tabs of the real page on the real relay: a tab that
 * publishes a bundle announces it, the others learn who holds it over gossip, a tab that fetched
 * it announces it in turn, and a tab that announces garbage is rejected and scored down. Tabs are
 * driven through the page's test hook (src/net/gossip/test-hook.ts).
 */
import { rmSync } from 'node:fs'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PROVIDERS_TOPIC } from '../../src/net/block-exchange/constants.ts'
import type { GossipTestHook } from '../../src/net/gossip/test-hook.ts'
import { assertLoopbackOnlyNetwork } from '../helpers/netns.ts'
import { buildPage, startRelayProcess, type RelayProcess } from '../helpers/relay.ts'
import { closeTabs, openTab, tabPeerId, waitOnline, waitPeer, type Tab } from '../helpers/tabs.ts'

type HookWindow = Window & { __tabtensorTest: GossipTestHook }

async function hookReady (page: Page): Promise<void> {
  await page.waitForFunction(() => (window as unknown as Partial<HookWindow>).__tabtensorTest !== undefined, undefined, { timeout: 60_000 })
}

/** The peers `page` has heard announce the bundle `cid`. */
async function providersOf (page: Page, cid: string): Promise<string[]> {
  return await page.evaluate(c => (window as unknown as HookWindow).__tabtensorTest.node.providers.providers(c), cid)
}

describe('provider announcements among three tabs', () => {
  let relay: RelayProcess
  let staticDir: string
  const tabs: Tab[] = []
  const ids: string[] = []

  beforeAll(async () => {
    assertLoopbackOnlyNetwork()
    staticDir = buildPage()
    relay = await startRelayProcess({ staticDir, blockTimeMs: 1000 })
    tabs.push(...await Promise.all([openTab(relay.url, { testHooks: true }), openTab(relay.url, { testHooks: true })]))
    tabs.push(await openTab(relay.url, { testHooks: true }))
    await Promise.all(tabs.map(async t => { await waitOnline(t.page, 60_000) }))
    await Promise.all(tabs.map(async t => { await hookReady(t.page) }))
    for (const t of tabs) ids.push(await tabPeerId(t.page))
    // A full mesh of direct connections, so that each tab could ask every other one.
    for (const [i, t] of tabs.entries()) for (const [j, id] of ids.entries()) if (i !== j) await waitPeer(t.page, id, 'direct', 60_000)
  }, 240_000)

  afterAll(async () => {
    await closeTabs(tabs)
    await relay?.dispose()
    if (staticDir !== undefined) rmSync(staticDir, { recursive: true, force: true })
  })

  it('a tab announces what it publishes and what it fetched; the others learn who holds a bundle', async () => {
    const [a, b, c] = tabs as [Tab, Tab, Tab]
    const cid = await a.page.evaluate(async () => {
      const bytes = new Uint8Array(1 << 20)
      for (let i = 0; i < bytes.length; i += 65_536) crypto.getRandomValues(bytes.subarray(i, i + 65_536))
      return (await (window as unknown as HookWindow).__tabtensorTest.node.blocks.publish(bytes, { name: 'announced.bin' })).toString()
    })
    await expect.poll(async () => await providersOf(b.page, cid), { timeout: 60_000, interval: 250 }).toEqual([ids[0]])
    await expect.poll(async () => await providersOf(c.page, cid), { timeout: 60_000, interval: 250 }).toEqual([ids[0]])

    const byPeer = await b.page.evaluate(async c => (await (window as unknown as HookWindow).__tabtensorTest.node.blocks.fetch(c)).byPeer, cid)
    expect(Object.keys(byPeer)).toEqual([ids[0]])
    // B now holds it in full and says so: C hears of both holders.
    await expect.poll(async () => (await providersOf(c.page, cid)).sort(), { timeout: 60_000, interval: 250 }).toEqual([ids[0], ids[1]].sort())
    expect(tabs.flatMap(t => t.errors)).toEqual([])
  })

  it('rejects a malformed announcement and scores its sender down, believing nothing of it', async () => {
    const [a, b, c] = tabs as [Tab, Tab, Tab]
    const bogus = 'bafyreihjnzle37pjr63b3mhtewhzpcuet7kigcoebag2i5ujd7yeril4ru'
    for (let n = 0; n < 4; n++) {
      await c.page.evaluate(async ([topic, n]) => {
        await (window as unknown as HookWindow).__tabtensorTest.node.libp2p.services.pubsub.publish(topic, Uint8Array.of(0xa2, 0xff, n))
      }, [PROVIDERS_TOPIC, n] as const)
    }
    const score = async (t: Tab): Promise<number> => await t.page.evaluate(id => (window as unknown as HookWindow).__tabtensorTest.score(id), ids[2]!)
    // gossipsub refreshes a cached score once per heartbeat, hence the poll.
    await expect.poll(async () => Math.min(await score(a), await score(b)), { timeout: 30_000, interval: 250 }).toBeLessThan(0)
    expect(await providersOf(a.page, bogus)).toEqual([])
    expect(tabs.flatMap(t => t.errors)).toEqual([])
  })

  it('a tab reloaded with a bundle in its cache announces it again, and another tab fetches it from that tab', async () => {
    const [a, b, c] = tabs as [Tab, Tab, Tab]
    const cid = await b.page.evaluate(async () => {
      const bytes = new Uint8Array(3 << 20)
      for (let i = 0; i < bytes.length; i += 65_536) crypto.getRandomValues(bytes.subarray(i, i + 65_536))
      return (await (window as unknown as HookWindow).__tabtensorTest.node.blocks.publish(bytes, { name: 'reloaded.bin' })).toString()
    })
    await expect.poll(async () => await providersOf(c.page, cid), { timeout: 60_000, interval: 250 }).toEqual([ids[1]])
    // A reload starts a new node (a new peer id) on the same IndexedDB cache; nothing is fetched again.
    await b.page.reload()
    await waitOnline(b.page, 60_000)
    await hookReady(b.page)
    const reloaded = await tabPeerId(b.page)
    expect(reloaded).not.toBe(ids[1])
    ids[1] = reloaded
    // Most recent first, as before the reload (it also holds the bundle it fetched in the first test).
    expect((await b.page.evaluate(() => (window as unknown as HookWindow).__tabtensorTest.node.blocks.held().map(h => h.toString())))[0]).toBe(cid)
    await expect.poll(async () => await providersOf(c.page, cid), { timeout: 60_000, interval: 250 }).toContain(reloaded)
    await expect.poll(async () => await providersOf(a.page, cid), { timeout: 60_000, interval: 250 }).toContain(reloaded)
    await waitPeer(c.page, reloaded, 'direct', 60_000)
    const fetched = await c.page.evaluate(async c => (await (window as unknown as HookWindow).__tabtensorTest.node.blocks.fetch(c)).byPeer, cid)
    expect(fetched).toEqual({ [reloaded]: 3 << 20 })
    const served = await b.page.evaluate(() => (window as unknown as HookWindow).__tabtensorTest.node.blocks.stats().served.bytes)
    expect(served).toBeGreaterThanOrEqual(3 << 20)
    expect(tabs.flatMap(t => t.errors)).toEqual([])
  })
})
