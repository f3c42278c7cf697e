/**
 * Driving a tab's block exchange from a browser test, through the page's test hook
 * (`window.__tabtensorTest.node`, opened with `openTab(url, { testHooks: true })`). Bundles are
 * made inside the page from a seed, with the generator of `bytes.ts`, so megabytes never cross
 * the test driver.
 */
import type { Page } from 'playwright-core'
import type { FetchResult } from '../../src/net/block-exchange/index.ts'
import type { TabNode } from '../../src/net/index.ts'

type HookWindow = Window & { __tabtensorTest: { node: TabNode } }

/** Waits until the page's node has started and its test hook is there. */
export async function waitForNode (page: Page, timeout = 30_000): Promise<void> {
  await page.waitForFunction(() => (window as unknown as Partial<HookWindow>).__tabtensorTest?.node !== undefined, undefined, { timeout })
}

/** Makes `size` pseudo-random bytes from `seed` in the page and publishes them as a bundle there; returns its CID. */
export async function publishInPage (page: Page, size: number, seed: number, name: string, chunkSize?: number): Promise<string> {
  return await page.evaluate(async ({ size, seed, name, chunkSize }) => {
    const bytes = new Uint8Array(size)
    let x = seed | 0 || 1
    for (let i = 0; i < size; i++) {
      x ^= x << 13; x ^= x >>> 17; x ^= x << 5
      bytes[i] = x & 0xff
    }
    const { node } = (window as unknown as HookWindow).__tabtensorTest
    return (await node.blocks.publish(bytes, { name, chunkSize })).toString()
  }, { size, seed, name, chunkSize })
}

/** Fetches bundle `cid` into the page's cache; returns the fetch's result (without the manifest) and how long it took. */
export async function fetchInPage (page: Page, cid: string): Promise<Omit<FetchResult, 'manifest'> & { ms: number }> {
  return await page.evaluate(async cid => {
    const { node } = (window as unknown as HookWindow).__tabtensorTest
    const started = performance.now()
    const { manifest: _, ...result } = await node.blocks.fetch(cid)
    return { ...result, ms: performance.now() - started }
  }, cid)
}

/** Starts fetching bundle `cid` in the page without waiting for it; `bytesDoneInPage` reads its progress. */
export async function startFetchInPage (page: Page, cid: string): Promise<void> {
  await page.evaluate(cid => {
    const scope = window as unknown as HookWindow & { __fetchDone?: number }
    scope.__fetchDone = 0
    scope.__tabtensorTest.node.blocks.fetch(cid, { onProgress: p => { scope.__fetchDone = p.bytesDone } }).catch(() => {})
  }, cid)
}

/** Bytes of the fetch started by `startFetchInPage` that are in the cache so far. */
export async function bytesDoneInPage (page: Page): Promise<number> {
  return await page.evaluate(() => (window as unknown as { __fetchDone?: number }).__fetchDone ?? 0)
}

/** The SHA-256 (hex) of the bundle's bytes as the page reads them back from its cache, every chunk checked again. */
export async function readDigestInPage (page: Page, cid: string): Promise<string> {
  return await page.evaluate(async cid => {
    const { node } = (window as unknown as HookWindow).__tabtensorTest
    const bytes = await node.blocks.read(cid)
    return [...new Uint8Array(await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>))].map(b => b.toString(16).padStart(2, '0')).join('')
  }, cid)
}

/** The page's block-exchange counters. */
export async function blockStatsInPage (page: Page): Promise<{ servedBytes: number, fetchedBytes: number, rejected: Record<string, number> }> {
  return await page.evaluate(() => {
    const stats = (window as unknown as HookWindow).__tabtensorTest.node.blocks.stats()
    return { servedBytes: stats.served.bytes, fetchedBytes: stats.fetched.bytes, rejected: stats.rejected as Record<string, number> }
  })
}

/** Makes the page's node serve every block with one byte flipped: a corrupt peer, on purpose. */
export async function corruptServedBlocksInPage (page: Page): Promise<void> {
  await page.evaluate(() => { (window as unknown as HookWindow).__tabtensorTest.node.blocks.server.testHooks.corruptServedBlocks = true })
}
