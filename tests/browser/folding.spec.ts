import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { HP_BENCHMARKS_2D } from '../../src/subnets/folding/benchmarks.ts'
import { newFoldingTask } from '../../src/subnets/folding/task.ts'
import { utf8ToBytes } from '../../src/core/hash.ts'
import { launchBrowser, type LaunchedBrowser } from '../helpers/browser.ts'
import { bundleForPage } from '../helpers/bundle.ts'
import { fold, type PageSolve } from './fixtures/folding-page.ts'

type Fold = typeof fold

function foldInPage (page: Page, ...args: Parameters<Fold>): Promise<PageSolve> {
  return page.evaluate(a => (globalThis as unknown as { foldingPage: { fold: Fold } }).foldingPage.fold(...a), args)
}

describe('the folding solver in Chromium', () => {
  let browser: LaunchedBrowser
  let page: Page
  beforeAll(async () => {
    browser = await launchBrowser()
    page = await browser.context.newPage()
    await page.goto('about:blank')
    await page.addScriptTag({ content: await bundleForPage('tests/browser/fixtures/folding-page.ts', 'foldingPage') })
  })
  afterAll(async () => { await browser?.close() })

  it('reaches −9 on S1-1 in a tab', async () => {
    const s11 = HP_BENCHMARKS_2D[0]!
    const result = await foldInPage(page, 2, s11.sequence, 5_000_000, 0, 1, s11.bestKnownEnergy)
    expect(result.energy).toBe(-9)
    expect(result.verifiedEnergy).toBe(-9)
  })

  it('finds the same fold as Node for the same seed and step budget, in 2D and 3D', async () => {
    const task3d = newFoldingTask(utf8ToBytes('browser 3d'), { dims: 3, minLength: 40, maxLength: 40 })
    for (const [dims, sequence] of [[2, HP_BENCHMARKS_2D[3]!.sequence], [3, task3d.sequence]] as const) {
      const inTab = await foldInPage(page, dims, sequence, 300_000, 0, 9)
      const inNode = fold(dims, sequence, 300_000, 0, 9)
      expect(inTab.moves).toBe(inNode.moves)
      expect(inTab.energy).toBe(inNode.energy)
      expect(inTab.verifiedEnergy).toBe(inTab.energy)
    }
  })
})
