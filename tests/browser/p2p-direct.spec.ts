import { mkdirSync, rmSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { assertLoopbackOnlyNetwork } from '../helpers/netns.ts'
import { buildPage, startRelayProcess, type RelayProcess } from '../helpers/relay.ts'
import { launchBrowser } from '../helpers/browser.ts'
import { closeTabs, connectedCandidatePairs, openTab, tabPeerId, tabTimings, waitOnline, waitPeer, type Tab } from '../helpers/tabs.ts'

describe('two tabs on the real relay', () => {
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

  it('reserve relay slots, find each other and connect directly over WebRTC, not through the limited relay', async () => {
    tabs.push(...await Promise.all([openTab(relay.url), openTab(relay.url)]))
    const [a, b] = tabs as [Tab, Tab]
    await Promise.all([waitOnline(a.page), waitOnline(b.page)])
    const [idA, idB] = await Promise.all([tabPeerId(a.page), tabPeerId(b.page)])
    expect(idA).not.toBe(idB)

    // "direct" on the page means a connection with no relay limits and WebRTC's own multiplexer.
    await Promise.all([waitPeer(a.page, idB, 'direct'), waitPeer(b.page, idA, 'direct')])
    await expect.poll(async () => await a.page.getByTestId('network-direct').innerText()).toBe('1')
    await expect.poll(async () => await b.page.getByTestId('network-direct').innerText()).toBe('1')

    // And WebRTC itself agrees: a connected peer connection on host candidates over loopback.
    for (const tab of [a, b]) {
      const pairs = await connectedCandidatePairs(tab.page)
      expect(pairs.length).toBeGreaterThanOrEqual(1)
      for (const pair of pairs) {
        expect(pair.local).toEqual({ candidateType: 'host', address: '127.0.0.1' })
        // A check that arrives before the remote's candidate was signalled makes it peer-reflexive,
        // and Chromium hides a peer-reflexive candidate's address.
        expect(['host', 'prflx']).toContain(pair.remote.candidateType)
        if (pair.remote.candidateType === 'host') expect(pair.remote.address).toBe('127.0.0.1')
      }
    }
    expect([...a.errors, ...b.errors]).toEqual([])
    for (const [name, tab] of [['a', a], ['b', b]] as const) {
      const t = await tabTimings(tab.page)
      console.log(`[p2p-direct] tab ${name}: relay WebSocket open at ${Math.round(t.webSocketOpen[0] ?? NaN)} ms, WebRTC connected at ${Math.round(t.peerConnected[0] ?? NaN)} ms after the page started loading`)
    }
  })

  it('draws the two tabs\' direct link on the demo screen, as both reported it to the relay', async () => {
    const [a, b] = tabs as [Tab, Tab]
    const [idA, idB] = [await tabPeerId(a.page), await tabPeerId(b.page)].sort() as [string, string]
    const browser = await launchBrowser({ contextOptions: { viewport: { width: 1600, height: 900 } } })
    try {
      const screen = await browser.context.newPage()
      await screen.goto(`${relay.url}/#/demo`)
      await screen.locator(`[data-testid="demo-link"][data-peers="${idA} ${idB}"]`).waitFor({ state: 'attached', timeout: 30_000 })
      const network = await (await fetch(`${relay.url}/api/network`)).json() as { links: string[][] }
      expect(network.links).toContainEqual([idA, idB])
      await expect(screen.getByTestId('demo-network-summary').innerText()).resolves.toMatch(/[1-9]\d* direct links? between tabs/)
      mkdirSync('test-results/p2p-direct', { recursive: true })
      await screen.screenshot({ path: 'test-results/p2p-direct/demo-links.png', fullPage: true })

      // When one tab leaves, its link goes from the screen too.
      await b.browser.close()
      await screen.locator(`[data-testid="demo-link"][data-peers="${idA} ${idB}"]`).waitFor({ state: 'detached', timeout: 60_000 })
    } finally {
      await browser.close()
    }
  })

  it('shows the network offline and keeps the rest of the page working when the relay has no /api/p2p', async () => {
    const browser = await launchBrowser()
    try {
      const page = await browser.context.newPage()
      const errors: string[] = []
      page.on('pageerror', err => { errors.push(err.message) })
      await page.route('**/api/p2p', route => route.fulfill({ status: 404, contentType: 'application/json', body: '{"error":"NOT_FOUND","message":"Nothing is at GET /api/p2p."}' }))
      await page.goto(relay.url)
      await page.locator('[data-testid="network"][data-status="offline"]').waitFor()
      expect(await page.getByTestId('network-status').innerText()).toBe('offline')
      await page.getByTestId('head-height').waitFor()
      expect(errors).toEqual([])
    } finally {
      await browser.close()
    }
  })
})
