/**
 * Sorting a subnet's metagraph by any column. Ties keep uid order, so a table re-sorted by a
 * column with many equal values (a fresh subnet's zero incentives) does not shuffle its rows.
 */
import type { NeuronView } from './explorer-client.ts'

export type NeuronColumn = 'uid' | 'hotkey' | 'stake' | 'incentive' | 'dividends' | 'emission' | 'validatorTrust' | 'registeredAt' | 'active'
export type SortDirection = 'ascending' | 'descending'

export interface NeuronSort { column: NeuronColumn, direction: SortDirection }

export const NEURON_COLUMNS: readonly NeuronColumn[] = ['uid', 'hotkey', 'stake', 'incentive', 'dividends', 'emission', 'validatorTrust', 'registeredAt', 'active']

function compare (a: NeuronView, b: NeuronView, column: NeuronColumn): number {
  const x = a[column]
  const y = b[column]
  if (typeof x === 'string' && typeof y === 'string') return x < y ? -1 : x > y ? 1 : 0
  if (typeof x === 'boolean') return Number(x) - Number(y)
  return x < y ? -1 : x > y ? 1 : 0
}

export function sortNeurons (neurons: readonly NeuronView[], { column, direction }: NeuronSort): NeuronView[] {
  const sign = direction === 'ascending' ? 1 : -1
  return [...neurons].sort((a, b) => sign * compare(a, b, column) || a.uid - b.uid)
}

/** Clicking a column: the same one flips direction; a new one starts with the largest first (uid and hotkey smallest first). */
export function nextSort (current: NeuronSort, column: NeuronColumn): NeuronSort {
  if (current.column === column) return { column, direction: current.direction === 'ascending' ? 'descending' : 'ascending' }
  return { column, direction: column === 'uid' || column === 'hotkey' ? 'ascending' : 'descending' }
}

/** A u16 proportion (of 65535) as a share with three decimals, e.g. "0.500". */
export function formatShare (value: number): string {
  return (value / 65535).toFixed(3)
}
