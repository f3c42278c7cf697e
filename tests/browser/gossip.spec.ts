/**
 * Six tabs of the real page, each in its own Chromium, on the real relay: gossip reaches every
 * tab, a tab that publishes forged envelopes is rejected and scored down while honest messages
 * keep flowing, and every tab hears the relay's new block headers. Tabs are driven through the
 * page's test hook (src/net/gossip/test-hook.ts).
 */
import { peerIdFromString } from '@libp2p/peer-id'
import { rmSync } from 'node:fs'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { encode } from '../../src/core/codec.ts'
import { toHex, utf8ToBytes } from '../../src/core/hash.ts'
import { GRAYLIST_THRESHOLD } from '../../src/net/gossip/constants.ts'
import type { GossipTestHook } from '../../src/net/gossip/test-hook.ts'
import { topicName } from '../../src/net/gossip/topics.ts'
import { assertLoopbackOnlyNetwork } from '../helpers/netns.ts'
import { buildPage, startRelayProcess, type RelayProcess } from '../helpers/relay.ts'
import { closeTabs, openTab, tabPeerId, waitOnline, type Tab } from '../helpers/tabs.ts'

const TABS = 6
const RESULTS = { kind: 'results', netuid: 1 } as const
/** Forged envelopes the bad tab publishes: enough to pass the graylist threshold. */
const FORGED = 8

/** What a tab heard on the results topic: sender (hex key) and text. */
interface Heard { from: string, text: string }

type HookWindow = Window & { __tabtensorTest: GossipTestHook, __heard: Heard[], __heights: number[] }

async function hookReady (page: Page): Promise<void> {
  await page.waitForFunction(() => (window as unknown as Partial<HookWindow>).__tabtensorTest !== undefined, undefined, { timeout: 60_000 })
}

/** Subscribes the page to the results topic, collecting what it hears in `window.__heard`. */
async function listen (page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as HookWindow
    w.__heard = []
    w.__tabtensorTest.node.gossip!.subscribe({ kind: 'results', netuid: 1 }, m => {
      w.__heard.push({ from: Array.from(m.from, b => b.toString(16).padStart(2, '0')).join(''), text: new TextDecoder().decode(m.payload) })
    })
  })
}

async function heard (page: Page): Promise<Heard[]> {
  return await page.evaluate(() => (window as unknown as HookWindow).__heard)
}

async function say (page: Page, text: string): Promise<number> {
  return await page.evaluate(async t => (await (window as unknown as HookWindow).__tabtensorTest.node.gossip!.publish({ kind: 'results', netuid: 1 }, new TextEncoder().encode(t))).recipients, text)
}

/** How many of the page's peers are subscribed to the results topic. */
async function subscribers (page: Page, topic: string): Promise<number> {
  return await page.evaluate(t => (window as unknown as HookWindow).__tabtensorTest.node.libp2p.services.pubsub.getSubscribers(t).length, topic)
}

async function until (what: string, done: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise(r => setTimeout(r, 100))
  }
}

/** An envelope that looks right in every way but its signature: 64 random bytes. */
function forgedEnvelope (fromPeerId: string, topic: string, seq: number, text: string): number[] {
  const from = peerIdFromString(fromPeerId).publicKey!.raw
  const body = { topic, from, seq, time: Date.now(), payload: utf8ToBytes(text) }
  return [...encode({ body, sig: crypto.getRandomValues(new Uint8Array(64)) })]
}

describe('gossip among six tabs on the real relay', () => {
  let relay: RelayProcess
  let staticDir: string
  let topic: string
  const tabs: Tab[] = []
  const ids: string[] = []
  const keys: string[] = []

  beforeAll(async () => {
    assertLoopbackOnlyNetwork()
    staticDir = buildPage()
    relay = await startRelayProcess({ staticDir, blockTimeMs: 1000 })
    const { chainId } = await (await fetch(`${relay.url}/api/genesis`)).json() as { chainId: string }
    topic = topicName(Uint8Array.from(Buffer.from(chainId, 'hex')), RESULTS)
    const started = Date.now()
    // Two at a time: six Chromium starting at once on two cores starve each other.
    for (let i = 0; i < TABS; i += 2) tabs.push(...await Promise.all([openTab(relay.url, { testHooks: true }), openTab(relay.url, { testHooks: true })]))
    await Promise.all(tabs.map(async t => { await waitOnline(t.page, 60_000) }))
    await Promise.all(tabs.map(async t => { await hookReady(t.page) }))
    for (const t of tabs) {
      const id = await tabPeerId(t.page)
      ids.push(id)
      keys.push(toHex(peerIdFromString(id).publicKey!.raw))
    }
    await Promise.all(tabs.map(async t => { await listen(t.page) }))
    // Every tab sees the relay and at least one other tab on the topic before anything is said.
    await Promise.all(tabs.map(async t => { await until('subscribers', async () => await subscribers(t.page, topic) >= 2) }))
    console.log(`[gossip] ${TABS} tabs online and subscribed ${Date.now() - started} ms after the first was opened`)
  }, 240_000)

  afterAll(async () => {
    await closeTabs(tabs)
    await relay?.dispose()
    if (staticDir !== undefined) rmSync(staticDir, { recursive: true, force: true })
  })

  it('delivers what any tab publishes to every other tab', async () => {
    for (const [i, t] of tabs.entries()) await say(t.page, `hello from tab ${i}`)
    for (const [i, t] of tabs.entries()) {
      const expected = tabs.map((_, j) => `hello from tab ${j}`).filter((_, j) => j !== i).sort()
      await expect.poll(async () => (await heard(t.page)).map(h => h.text).sort(), { timeout: 30_000 }).toEqual(expected)
    }
    // Each message came from the key of the tab that said it.
    const first = await heard(tabs[1]!.page)
    expect(first.find(h => h.text === 'hello from tab 0')?.from).toBe(keys[0])
    expect(tabs.flatMap(t => t.errors)).toEqual([])
  })

  // Gossip is best effort: under load a header can come late or not at all (the light client
  // fills gaps by ledger sync), so this asserts delivery of recent, distinct headers, not order.
  it('hands every tab the relay\'s new block headers over gossip, each a distinct recent block', async () => {
    for (const t of tabs) {
      await t.page.evaluate(() => {
        const w = window as unknown as HookWindow
        w.__heights = []
        w.__tabtensorTest.node.gossip!.subscribe('headers', m => { w.__heights.push(m.value.header.height) })
      })
    }
    const heights = await Promise.all(tabs.map(async t => {
      await expect.poll(async () => (await t.page.evaluate(() => (window as unknown as HookWindow).__heights)).length, { timeout: 15_000 }).toBeGreaterThanOrEqual(3)
      return await t.page.evaluate(() => (window as unknown as HookWindow).__heights)
    }))
    const head = (await (await fetch(`${relay.url}/api/health`)).json() as { height: number }).height
    for (const h of heights) {
      expect(new Set(h).size).toBe(h.length)
      expect(Math.max(...h)).toBeLessThanOrEqual(head)
      expect(Math.max(...h)).toBeGreaterThan(head - 20)
    }
  })

  it('rejects a tab that publishes forged envelopes and scores it down, while honest messages keep flowing', async () => {
    const bad = TABS - 1
    const honest = tabs.slice(0, bad)
    for (const t of tabs) await t.page.evaluate(() => { (window as unknown as HookWindow).__heard = [] })

    for (let n = 0; n < FORGED; n++) {
      const bytes = forgedEnvelope(ids[bad]!, topic, Date.now() + n, `forged ${n}`)
      await tabs[bad]!.page.evaluate(async ([b, kind]) => await (window as unknown as HookWindow).__tabtensorTest.publishRaw(kind, new Uint8Array(b)), [bytes, RESULTS] as const)
      // Honest traffic interleaved with the forgeries.
      await say(honest[n % honest.length]!.page, `honest ${n}`)
    }

    // Every honest tab hears every honest message it did not send itself ...
    for (const [i, t] of honest.entries()) {
      const expected = Array.from({ length: FORGED }, (_, n) => n).filter(n => n % honest.length !== i).map(n => `honest ${n}`).sort()
      await expect.poll(async () => (await heard(t.page)).map(h => h.text).sort(), { timeout: 30_000 }).toEqual(expected)
    }
    // ... and nothing from the forger.
    for (const t of honest) expect((await heard(t.page)).filter(h => h.from === keys[bad])).toEqual([])

    // The honest tabs the forger reached rejected its messages for their signature, and score it
    // below the graylist threshold (gossipsub refreshes a cached score once per heartbeat, hence the wait).
    const view = async (t: Tab): Promise<{ score: number, badSignatures: number }> => await t.page.evaluate(id => {
      const hook = (window as unknown as HookWindow).__tabtensorTest
      return { score: hook.score(id), badSignatures: hook.node.stats().gossip!.reasons.BAD_SIGNATURE ?? 0 }
    }, ids[bad]!)
    await until('every reached tab to graylist the forger', async () =>
      (await Promise.all(honest.map(view))).every(v => v.badSignatures === 0 || v.score < GRAYLIST_THRESHOLD), 10_000)
    const views = await Promise.all(honest.map(view))
    console.log(`[gossip] honest tabs' view of the forger: ${views.map(v => `score ${v.score.toFixed(1)} after ${v.badSignatures} rejections`).join('; ')}`)
    const reached = views.filter(v => v.badSignatures > 0)
    expect(reached.length).toBeGreaterThanOrEqual(1)
    for (const v of reached) expect(v.score).toBeLessThan(0)

    // The page says so too.
    const shown = honest[views.indexOf(reached[0]!)]!.page
    await expect.poll(async () => Number(await shown.getByTestId('network-gossip').getAttribute('data-rejected')), { timeout: 5_000 }).toBeGreaterThan(0)

    // After the forger is graylisted, honest tabs still reach each other.
    await say(honest[0]!.page, 'still flowing')
    for (const t of honest.slice(1)) await expect.poll(async () => (await heard(t.page)).some(h => h.text === 'still flowing'), { timeout: 30_000 }).toBe(true)

    // And the forger is cut off: its peers and the relay, which rejected its forgeries too, no longer
    // send it anything, so it stops hearing the new headers that honest tabs keep receiving.
    const headersIn = async (t: Tab): Promise<number> => await t.page.evaluate(() => (window as unknown as HookWindow).__tabtensorTest.node.stats().gossip!.topics.headers?.in ?? 0)
    await new Promise(r => setTimeout(r, 3_000))
    const before = await Promise.all([headersIn(tabs[bad]!), headersIn(honest[0]!)])
    await new Promise(r => setTimeout(r, 5_000))
    const after = await Promise.all([headersIn(tabs[bad]!), headersIn(honest[0]!)])
    console.log(`[gossip] headers heard in 5 s after the forgeries: forger ${after[0] - before[0]}, an honest tab ${after[1] - before[1]}`)
    expect(after[0] - before[0]).toBe(0)
    expect(after[1] - before[1]).toBeGreaterThanOrEqual(3)
    expect(tabs.flatMap(t => t.errors)).toEqual([])
  })
})
