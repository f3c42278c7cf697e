/**
 * Tabs of the real page for peer-to-peer tests: each in its own headless Chromium (its own
 * profile, so no storage is shared), with what WebRTC needs in a loopback-only namespace. The
 * test instruments `RTCPeerConnection` before the page loads, so it can check the WebRTC side
 * itself (a connected peer connection on a loopback host candidate) besides what the page shows.
 */
import type { Page } from 'playwright-core'
import { TEST_HOOKS_FLAG } from '../../src/net/gossip/test-hook.ts'
import { launchBrowser, type LaunchedBrowser } from './browser.ts'

export interface Tab {
  page: Page
  browser: LaunchedBrowser
  /** Errors the page threw; a test expects none. */
  errors: string[]
}

/** Milliseconds since the page started loading at which its WebSockets opened and its RTCPeerConnections connected. */
export interface TabTimings {
  webSocketOpen: number[]
  peerConnected: number[]
}

export interface SelectedCandidatePair {
  local: { candidateType: string, address: string }
  remote: { candidateType: string, address: string }
}

export interface OpenTabOptions {
  /** Asks the page for its test hook (`window.__tabtensorTest`, see src/net/gossip/test-hook.ts). */
  testHooks?: boolean
  /** Runs on the page before it loads (to route or block requests, say). */
  beforeLoad?: (page: Page) => Promise<void>
}

export async function openTab (url: string, options: OpenTabOptions = {}): Promise<Tab> {
  const browser = await launchBrowser({ webrtc: true })
  const page = await browser.context.newPage()
  const errors: string[] = []
  page.on('pageerror', err => { errors.push(err.message) })
  if (options.testHooks === true) await page.addInitScript(flag => { (window as unknown as Record<string, unknown>)[flag] = true }, TEST_HOOKS_FLAG)
  await page.addInitScript(() => {
    const all: RTCPeerConnection[] = []
    const timings: TabTimings = { webSocketOpen: [], peerConnected: [] }
    Object.defineProperty(window, '__testPeerConnections', { value: all })
    Object.defineProperty(window, '__testTimings', { value: timings })
    const NativePeerConnection = window.RTCPeerConnection
    window.RTCPeerConnection = class extends NativePeerConnection {
      constructor (config?: RTCConfiguration) {
        super(config)
        all.push(this)
        this.addEventListener('connectionstatechange', () => {
          if (this.connectionState === 'connected') timings.peerConnected.push(performance.now())
        })
      }
    }
    const NativeWebSocket = window.WebSocket
    window.WebSocket = class extends NativeWebSocket {
      constructor (url: string | URL, protocols?: string | string[]) {
        super(url, protocols)
        this.addEventListener('open', () => { timings.webSocketOpen.push(performance.now()) })
      }
    }
  })
  await options.beforeLoad?.(page)
  await page.goto(url)
  return { page, browser, errors }
}

/** Waits until the page shows the tab connected to its relay and reachable through it. */
export async function waitOnline (page: Page, timeout = 30_000): Promise<void> {
  await page.locator('[data-testid="network"][data-status="online"][data-reachable="true"]').waitFor({ timeout })
}

export async function tabPeerId (page: Page): Promise<string> {
  const id = await page.getByTestId('network-peer-id').getAttribute('data-peer-id')
  if (id === null) throw new Error('the page shows no peer id')
  return id
}

/** Waits until the page lists `peerId` as a peer of the given kind. */
export async function waitPeer (page: Page, peerId: string, kind: 'direct' | 'relayed', timeout = 30_000): Promise<void> {
  await page.locator(`[data-testid="network-peer"][data-peer-id="${peerId}"][data-kind="${kind}"]`).waitFor({ state: 'attached', timeout })
}

/** The candidate pairs of the page's connected RTCPeerConnections, from their own stats. */
export async function connectedCandidatePairs (page: Page): Promise<SelectedCandidatePair[]> {
  return await page.evaluate(async () => {
    const all = (window as unknown as { __testPeerConnections: RTCPeerConnection[] }).__testPeerConnections
    const pairs: SelectedCandidatePair[] = []
    for (const pc of all.filter(pc => pc.connectionState === 'connected')) {
      const stats = new Map<string, Record<string, unknown>>()
      ;(await pc.getStats()).forEach((s: Record<string, unknown>) => stats.set(s.id as string, s))
      const transport = [...stats.values()].find(s => s.type === 'transport')
      const pair = stats.get(transport?.selectedCandidatePairId as string)
      if (pair === undefined) continue
      const side = (id: unknown): { candidateType: string, address: string } => {
        const c = stats.get(id as string) ?? {}
        return { candidateType: String(c.candidateType), address: String(c.address) }
      }
      pairs.push({ local: side(pair.localCandidateId), remote: side(pair.remoteCandidateId) })
    }
    return pairs
  })
}

export async function tabTimings (page: Page): Promise<TabTimings> {
  return await page.evaluate(() => (window as unknown as { __testTimings: TabTimings }).__testTimings)
}

export async function closeTabs (tabs: readonly Tab[]): Promise<void> {
  await Promise.all(tabs.map(async t => { await t.browser.close() }))
}
