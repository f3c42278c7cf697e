/**
 * The folding miner's dedicated worker: advances a task's search by one unit per message, so the
 * page stays responsive while it searches. Message in: `{id, unit}`; out: `{id, result}` or
 * `{id, error}`.
 */
import type { FoldingUnit } from './folding-solver.ts'
import { FoldingRuns } from './folding-runs.ts'

const runs = new FoldingRuns()

interface Request { id: number, unit: FoldingUnit }

self.onmessage = (event: MessageEvent<Request>) => {
  const { id, unit } = event.data
  try {
    self.postMessage({ id, result: runs.advance(unit) })
  } catch (err) {
    self.postMessage({ id, error: (err as Error).message })
  }
}
