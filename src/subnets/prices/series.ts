/**
 * The replay series as the subnet's bundle carries it: a compact canonical encoding (DAG-CBOR) of
 * each currency's daily prices, so the file, and so its CID, is the same wherever it is built.
 * Days are whole days since 1970-01-01, the first one as it is and the others as the gap to the
 * one before (1 for consecutive days, 3 over a weekend), so most take one byte; prices stay
 * float64, exactly the numbers the history holds.
 */
import { decode, encode, readList, readString, readUint, record } from '../../core/codec.ts'
import { LedgerError } from '../../core/errors.ts'
import { SubnetInputError } from '../subnet.ts'
import { MAX_ASSET_LENGTH } from './constants.ts'
import type { PriceSeries } from './history.ts'

/** Largest encoded series file we decode, in bytes (four currencies × 25 years of days fit in ~300 KB). */
export const MAX_SERIES_BYTES = 4 * 1024 * 1024
/** Most days one currency's series may hold. */
const MAX_DAYS = 100_000
/** Most currencies one file may hold. */
const MAX_ASSETS = 64
/** Version of the layout, in the file. */
const SERIES_VERSION = 1
const DAY_MS = 86_400_000

const dayNumber = (iso: string): number => Date.parse(`${iso}T00:00:00Z`) / DAY_MS
const isoDay = (n: number): string => new Date(n * DAY_MS).toISOString().slice(0, 10)

export function encodeSeries (series: readonly PriceSeries[]): Uint8Array {
  return encode({
    version: SERIES_VERSION,
    assets: series.map(s => {
      const days = s.days.map(dayNumber)
      return { asset: s.asset, first: days[0] ?? 0, gaps: days.slice(1).map((d, i) => d - days[i]!), prices: s.prices }
    })
  })
}

export function decodeSeries (bytes: Uint8Array): PriceSeries[] {
  try {
    const f = record(decode(bytes, MAX_SERIES_BYTES, 'price series'), ['assets', 'version'], 'price series')
    if (readUint(f.version, 'version', SERIES_VERSION) !== SERIES_VERSION) throw new SubnetInputError('BAD_FIELD', `Only version ${SERIES_VERSION} price series can be read.`)
    return readList(f.assets, 'assets', MAX_ASSETS).map((a, k) => {
      const r = record(a, ['asset', 'first', 'gaps', 'prices'], `assets[${k}]`)
      const prices = readList(r.prices, 'prices', MAX_DAYS).map((p, i) => {
        if (typeof p !== 'number' || !(p > 0) || !Number.isFinite(p)) throw new SubnetInputError('BAD_FIELD', `assets[${k}].prices[${i}] must be a positive price.`)
        return p
      })
      const gaps = readList(r.gaps, 'gaps', MAX_DAYS).map((g, i) => readUint(g, `gaps[${i}]`, MAX_DAYS))
      if (prices.length !== gaps.length + 1) throw new SubnetInputError('BAD_FIELD', `assets[${k}] needs one price per day.`)
      let day = readUint(r.first, 'first', 1_000_000)
      const days = [isoDay(day)]
      for (const g of gaps) days.push(isoDay(day += g))
      return { asset: readString(r.asset, 'asset', MAX_ASSET_LENGTH), days, prices }
    })
  } catch (err) {
    if (err instanceof LedgerError) throw new SubnetInputError(err.code, err.message)
    throw err
  }
}
