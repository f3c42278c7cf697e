/** A benchmark figure: our number, the baseline measured in the same run, and their ratio. */
export interface Figure {
  name: string
  value: number
  unit: string
  baseline: number
  /** value / baseline. */
  ratio: number
  /** What the baseline is, in a few words. */
  against: string
  /** The goal, in words, where it names one. */
  goal?: string
}

export function figure (name: string, value: number, baseline: number, unit: string, against: string, goal?: string): Figure {
  return { name, value: round(value), unit, baseline: round(baseline), ratio: round(value / baseline, 3), against, goal }
}

function round (x: number, digits = 1): number {
  const f = 10 ** digits
  return Math.round(x * f) / f
}

/** Runs `fn` `repeat` times and returns the median of its results. */
export async function median (repeat: number, fn: () => Promise<number> | number): Promise<number> {
  const results: number[] = []
  for (let i = 0; i < repeat; i++) results.push(await fn())
  results.sort((a, b) => a - b)
  return results[Math.floor(results.length / 2)]!
}
