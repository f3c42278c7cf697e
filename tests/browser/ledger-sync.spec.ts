/**
 * Two tabs of the real page on the real relay: once they are directly connected, tab B follows
 * the chain from tab A over ledger sync (headers A's light client verified, served from A),
 * checks every one with its own light client and shows the head verified, as it does with
 * headers from the relay. B cannot reach the relay's HTTP headers (as when that API is down or
 * overloaded), so everything it verifies came over libp2p, and tab A, which has followed the
 * chain for a while, is the first peer it asks.
 */
import { mkdirSync, rmSync } from 'node:fs'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { assertLoopbackOnlyNetwork } from '../helpers/netns.ts'
import { buildPage, startRelayProcess, type RelayProcess } from '../helpers/relay.ts'
import { closeTabs, openTab, tabPeerId, waitOnline, waitPeer, type Tab } from '../helpers/tabs.ts'

/** What the page's network card says about ledger sync. */
interface LedgerCounts { fromGossip: number, fromTabs: number, fromRelay: number, overHttp: number, served: number, lastTab: string | null }

async function ledgerCounts (page: Page): Promise<LedgerCounts> {
  const card = page.getByTestId('network-ledger')
  const count = async (name: string): Promise<number> => Number(await card.getAttribute(name))
  return {
    fromGossip: await count('data-from-gossip'),
    fromTabs: await count('data-from-tabs'),
    fromRelay: await count('data-from-relay'),
    overHttp: await count('data-over-http'),
    served: await count('data-served'),
    lastTab: await card.getAttribute('data-last-tab')
  }
}

describe('ledger sync between two tabs', () => {
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

  it('a tab follows the chain from a peer tab it is directly connected to, verifying every header', async () => {
    const a = await openTab(relay.url)
    tabs.push(a)
    await waitOnline(a.page)
    await a.page.getByTestId('verified').waitFor({ timeout: 30_000 })
    const b = await openTab(relay.url, { beforeLoad: async page => { await page.route(/\/api\/headers\?/, async route => { await route.abort() }) } })
    tabs.push(b)
    await waitOnline(b.page)
    const [idA, idB] = await Promise.all([tabPeerId(a.page), tabPeerId(b.page)])
    await Promise.all([waitPeer(a.page, idB, 'direct'), waitPeer(b.page, idA, 'direct')])

    // B's light client verified the relay's head from headers the peer tab A served first.
    await expect.poll(async () => (await ledgerCounts(b.page)).lastTab, { timeout: 60_000, interval: 500 }).toBe(idA)
    await expect.poll(async () => (await ledgerCounts(a.page)).served, { timeout: 10_000, interval: 500 }).toBeGreaterThan(0)
    const [countsA, countsB] = await Promise.all([ledgerCounts(a.page), ledgerCounts(b.page)])
    expect(countsB.fromTabs).toBeGreaterThan(0)
    expect(countsB.overHttp).toBe(0)
    // A, online for a while, follows the tip from the headers it hears on gossip.
    await expect.poll(async () => (await ledgerCounts(a.page)).fromGossip, { timeout: 30_000, interval: 500 }).toBeGreaterThan(0)
    console.log(`[ledger-sync] tab A: ${(await ledgerCounts(a.page)).fromGossip} headers from gossip; tab B: ${countsB.fromTabs} headers from tab A, ${countsB.fromRelay} from the relay over libp2p, ${countsB.overHttp} over HTTP; tab A served ${countsA.served}`)

    // B shows a head it verified itself, the relay's current one (the light client vouches for nothing else).
    await expect.poll(async () => {
      const height = Number(await b.page.getByTestId('head-height').getAttribute('data-height'))
      const hash = await b.page.getByTestId('head-hash').getAttribute('title')
      const relayHeader = await (await fetch(`${relay.url}/api/headers?from=${height}&limit=1`)).json() as { headers: Array<{ hash: string }> }
      return await b.page.getByTestId('verified').count() === 1 && relayHeader.headers[0]?.hash === hash
    }, { timeout: 30_000, interval: 500 }).toBe(true)
    expect([...a.errors, ...b.errors]).toEqual([])
    mkdirSync('test-results', { recursive: true })
    await b.page.getByTestId('network').screenshot({ path: 'test-results/ledger-sync-network.png' })
  })
})
