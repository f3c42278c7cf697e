/**
 * The mining view's per-epoch charts drawn with uPlot: one small line chart per figure, their
 * cursors synced so hovering one epoch shows its score, rank and earnings together in the
 * legends. Loaded with a dynamic import only once there is an epoch to draw, because uPlot would
 * otherwise weigh on every first visit.
 *
 * A canvas cannot read CSS variables, so the theme's colours are read when the charts are built,
 * and the charts are built again when the colour scheme changes. The legend's text comes from the
 * exact figures (`EpochRow`), not from the floats drawn.
 */
import uPlot from 'uplot'
import 'uplot/dist/uPlot.min.css'
import type { EpochRow, EpochSeries } from '../../participant/epoch-charts.ts'

export type ChartKey = 'score' | 'rank' | 'earned'

export interface ChartTarget {
  key: ChartKey
  /** Name in the legend. */
  label: string
  element: HTMLElement
}

export interface EpochPlots {
  update (series: EpochSeries, rows: EpochRow[]): void
  destroy (): void
}

/** Plot height in CSS pixels, axes included; the legend adds a line below. */
const HEIGHT = 150
/** Only integers are marked on the axes: heights and ranks. */
const whole = (_: uPlot, splits: number[]): string[] => splits.map(v => Number.isInteger(v) ? String(v) : '')
/** The y axes' marks, with their unit. */
const Y_MARKS: Record<ChartKey, (u: uPlot, splits: number[]) => string[]> = {
  score: (_, splits) => splits.map(v => `${v} %`),
  rank: whole,
  earned: (_, splits) => splits.map(v => `${v} TT`)
}

function colours (element: HTMLElement): { line: string, text: string, grid: string } {
  const style = getComputedStyle(element)
  const read = (name: string, fallback: string): string => style.getPropertyValue(name).trim() || fallback
  return { line: read('--accent', '#4b45d6'), text: read('--muted', '#5d6473'), grid: read('--border', '#dde1e8') }
}

function yRange (key: ChartKey, series: EpochSeries): uPlot.Scale.Range {
  if (key === 'score') return [0, 100]
  if (key === 'rank') return () => [0.5, Math.max(...series.miners, ...series.rank) + 0.5]
  return () => [0, (Math.max(...series.earned, 0) || 1) * 1.15]
}

export function plotEpochs (targets: ChartTarget[], first: EpochSeries, firstRows: EpochRow[]): EpochPlots {
  let series = first
  let rows = firstRows
  let plots: uPlot[] = []
  const sync = `epochs-${Math.random().toString(36).slice(2)}`
  // Away from the cursor the legends show the latest epoch.
  const shownRow = (idx: number | null): EpochRow | undefined => rows[idx ?? rows.length - 1]

  function build (): void {
    plots.forEach(p => { p.destroy() })
    plots = targets.map(({ key, label, element }) => {
      const c = colours(element)
      const axis = { stroke: c.text, grid: { stroke: c.grid, width: 1 }, ticks: { stroke: c.grid, width: 1 } }
      const options: uPlot.Options = {
        width: Math.max(element.clientWidth, 200),
        height: HEIGHT,
        scales: { x: { time: false }, y: { range: yRange(key, series), ...(key === 'rank' && { dir: -1 }) } },
        axes: [
          { ...axis, size: 32, values: whole },
          { ...axis, size: 64, values: Y_MARKS[key], ...(key === 'rank' && { splits: (_u, _i, min, max) => integers(min, max) }) }
        ],
        series: [
          { label: 'Epoch at block', value: (_u, _v, _s, idx) => String(shownRow(idx)?.height ?? '—') },
          {
            label,
            stroke: c.line,
            width: 2,
            points: { show: true, size: 7, fill: c.line, stroke: c.line },
            value: (_u, _v, _s, idx) => shownRow(idx)?.[key] ?? '—'
          }
        ],
        cursor: { sync: { key: sync }, drag: { x: false, y: false } },
        legend: { show: true, live: true }
      }
      return new uPlot(options, [series.heights, series[key]], element)
    })
  }

  const resize = new ResizeObserver(() => {
    plots.forEach((p, i) => { p.setSize({ width: Math.max(targets[i]!.element.clientWidth, 200), height: HEIGHT }) })
  })
  targets.forEach(t => { resize.observe(t.element) })
  const scheme = matchMedia('(prefers-color-scheme: dark)')
  scheme.addEventListener('change', build)
  build()

  return {
    update (next, nextRows) {
      series = next
      rows = nextRows
      build()
    },
    destroy () {
      scheme.removeEventListener('change', build)
      resize.disconnect()
      plots.forEach(p => { p.destroy() })
      plots = []
    }
  }
}

function integers (min: number, max: number): number[] {
  const out: number[] = []
  for (let v = Math.ceil(min); v <= Math.floor(max); v++) out.push(v)
  return out
}
