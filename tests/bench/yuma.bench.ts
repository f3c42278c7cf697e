/**
 * Epoch time for n = 256 (64 validators) and n = 4096 (256 validators, dense weights), in Node and
 * in a headless Chromium tab, against the floor measured in the same place: one pass reading every
 * weight of the same rows.
 */
import { loadavg } from 'node:os'
import { launchBrowser } from '../helpers/browser.ts'
import { bundleForPage } from '../helpers/bundle.ts'
import { benchEpoch } from '../browser/fixtures/yuma-page.ts'
import { figure, type Figure } from './figure.ts'

const SIZES: Array<[number, number, number]> = [[256, 64, 9], [4096, 256, 9]]
const GOAL = 'n = 4096 under 100 ms in Node and in a tab'

/** Each epoch's time with the load average: on a shared machine a median means little without them. */
function log (what: string, samples: number[]): void {
  console.log(`[bench yuma] ${what}: load average ${loadavg()[0]!.toFixed(1)}; epochs ${samples.map(ms => ms.toFixed(1)).join(', ')} ms`)
}

export async function yumaFigures (): Promise<Figure[]> {
  const figures: Figure[] = []
  for (const [n, validators, runs] of SIZES) {
    const { epochMs, floorMs, samples } = benchEpoch(n, validators, runs)
    log(`n=${n} Node`, samples)
    figures.push(figure(`Yuma epoch n=${n} (${validators} validators), Node`, epochMs, floorMs, 'ms', 'one pass reading every weight, Node', GOAL))
  }
  const browser = await launchBrowser()
  try {
    const page = await browser.context.newPage()
    await page.goto('about:blank')
    await page.addScriptTag({ content: await bundleForPage('tests/browser/fixtures/yuma-page.ts', 'yumaPage') })
    for (const [n, validators, runs] of SIZES) {
      const { epochMs, floorMs, samples } = await page.evaluate(([a, b, c]) =>
        (globalThis as unknown as { yumaPage: { benchEpoch: typeof benchEpoch } }).yumaPage.benchEpoch(a, b, c), [n, validators, runs] as const)
      log(`n=${n} tab`, samples)
      figures.push(figure(`Yuma epoch n=${n} (${validators} validators), Chromium tab`, epochMs, floorMs, 'ms', 'one pass reading every weight, same tab', GOAL))
    }
  } finally {
    await browser.close()
  }
  return figures
}
