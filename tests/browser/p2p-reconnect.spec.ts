import { rmSync } from 'node:fs'
import { dirname } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { assertLoopbackOnlyNetwork } from '../helpers/netns.ts'
import { buildPage, startRelayProcess, type RelayProcess } from '../helpers/relay.ts'
import { closeTabs, openTab, tabPeerId, waitOnline, waitPeer, type Tab } from '../helpers/tabs.ts'

describe('tabs when the relay restarts', () => {
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
    if (relay !== undefined) rmSync(dirname(relay.dataDir), { recursive: true, force: true })
    if (staticDir !== undefined) rmSync(staticDir, { recursive: true, force: true })
  })

  it('reconnect without a reload, hold relay slots again, and a newcomer reaches them directly', async () => {
    tabs.push(...await Promise.all([openTab(relay.url), openTab(relay.url)]))
    const [a, b] = tabs as [Tab, Tab]
    await Promise.all([waitOnline(a.page), waitOnline(b.page)])
    const [idA, idB] = await Promise.all([tabPeerId(a.page), tabPeerId(b.page)])
    await Promise.all([waitPeer(a.page, idB, 'direct'), waitPeer(b.page, idA, 'direct')])
    const loadedAt = await Promise.all([a, b].map(async t => await t.page.evaluate(() => performance.timeOrigin)))

    // SIGTERM, then the same port and data folder: the same relay peer id, so the same addresses.
    const { port, dataDir } = relay
    await relay.kill('SIGTERM')
    const killed = Date.now()
    for (const tab of [a, b]) await tab.page.locator('[data-testid="network"][data-status="connecting"]').waitFor({ timeout: 15_000 })
    relay = await startRelayProcess({ staticDir, blockTimeMs: 1000, port, dataDir })
    const restarted = Date.now()
    await Promise.all([waitOnline(a.page, 60_000), waitOnline(b.page, 60_000)])
    const back = Date.now()

    // No reload: the very same documents, and the same identities.
    expect(await Promise.all([a, b].map(async t => await t.page.evaluate(() => performance.timeOrigin)))).toEqual(loadedAt)
    expect([await tabPeerId(a.page), await tabPeerId(b.page)]).toEqual([idA, idB])

    // The network healed: a tab that joins now finds both through the restarted relay and
    // connects to each directly, which needs their fresh reservations and announcements.
    const c = await openTab(relay.url)
    tabs.push(c)
    await waitOnline(c.page)
    const idC = await tabPeerId(c.page)
    await Promise.all([waitPeer(c.page, idA, 'direct'), waitPeer(c.page, idB, 'direct'), waitPeer(a.page, idC, 'direct'), waitPeer(b.page, idC, 'direct')])
    const healed = Date.now()
    expect(tabs.flatMap(t => t.errors)).toEqual([])
    console.log(`[p2p-reconnect] relay restarted ${restarted - killed} ms after SIGTERM; tabs back online ${back - restarted} ms later; a newcomer had both as direct peers ${healed - back} ms after that`)
  })
})
