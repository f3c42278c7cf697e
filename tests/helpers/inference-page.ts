/**
 * The inference test page (tests/browser/fixtures/inference-page): built with the app's own Vite
 * config, so its worker, its single ORT entry point and its /ort/ binaries are what the app
 * ships, and served by the real relay, which sends the cross-origin isolation headers.
 */
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import type { Page } from 'playwright-core'
import { build } from 'vite'

const ROOT = resolve(import.meta.dirname, '../..')

/** Builds the test page into a fresh folder and returns it. */
export async function buildInferencePage (): Promise<string> {
  const outDir = mkdtempSync(join(tmpdir(), 'tabtensor-inference-page-'))
  await build({
    configFile: resolve(ROOT, 'vite.config.ts'),
    root: resolve(ROOT, 'tests/browser/fixtures/inference-page'),
    logLevel: 'warn',
    build: { outDir, emptyOutDir: true }
  })
  return outDir
}

/** Opens the page at `url` and waits until `window.inference` is there. */
export async function openInferencePage (page: Page, url: string): Promise<void> {
  await page.goto(url)
  await page.waitForFunction(() => document.body.dataset.ready === 'true', undefined, { timeout: 60_000 })
}
