/**
 * The folding miner's dedicated worker: runs one unit of the subnet's solver per message, so the
 * page stays responsive while it searches. Message in: `{id, unit}`; out: `{id, result}` or
 * `{id, error}`.
 */
import { solveSync } from '../../subnets/folding/solver.ts'
import type { FoldingUnit, FoldingUnitResult } from './folding-solver.ts'

interface Request { id: number, unit: FoldingUnit }

self.onmessage = (event: MessageEvent<Request>) => {
  const { id, unit } = event.data
  try {
    const r = solveSync({ dims: unit.dims, sequence: unit.sequence }, {
      maxMillis: unit.maxMillis, maxSteps: unit.maxSteps, seed: unit.seed, moveSet: unit.moveSet
    })
    const result: FoldingUnitResult = { moves: r.moves, energy: r.energy, steps: r.steps }
    self.postMessage({ id, result })
  } catch (err) {
    self.postMessage({ id, error: (err as Error).message })
  }
}
