import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser, type LaunchedBrowser } from '../helpers/browser.ts'
import { bundleForPage } from '../helpers/bundle.ts'
import { epochOutputsHex } from './fixtures/yuma-page.ts'

const VECTORS = readFileSync(resolve(import.meta.dirname, '../../../shared/reference/yuma-vectors.json'), 'utf8')

describe('the Yuma epoch in Node and in Chromium', () => {
  let browser: LaunchedBrowser
  beforeAll(async () => { browser = await launchBrowser() })
  afterAll(async () => { await browser?.close() })

  it('gives identical bytes for every epoch of every vector', async () => {
    const script = await bundleForPage('tests/browser/fixtures/yuma-page.ts', 'yumaPage')
    const page = await browser.context.newPage()
    await page.goto('about:blank')
    await page.addScriptTag({ content: script })
    const inBrowser = await page.evaluate(json => (globalThis as unknown as { yumaPage: { epochOutputsHex: (j: string) => string } }).yumaPage.epochOutputsHex(json), VECTORS)
    const inNode = epochOutputsHex(VECTORS)
    expect(inNode.length).toBeGreaterThan(1000)
    expect(inBrowser).toBe(inNode)
  })
})
