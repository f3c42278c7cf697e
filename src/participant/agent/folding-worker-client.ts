/** The page's side of the folding worker: one worker per miner, units run one at a time. */
import type { FoldingUnit, FoldingUnitResult, RunFoldingUnit } from './folding-solver.ts'

export interface FoldingWorker {
  run: RunFoldingUnit
  terminate: () => void
}

export function startFoldingWorker (): FoldingWorker {
  const worker = new Worker(new URL('./folding-worker.ts', import.meta.url), { type: 'module', name: 'tabtensor-folding' })
  const waiting = new Map<number, { resolve: (r: FoldingUnitResult) => void, reject: (e: Error) => void }>()
  let next = 0
  worker.onmessage = (event: MessageEvent<{ id: number, result?: FoldingUnitResult, error?: string }>) => {
    const w = waiting.get(event.data.id)
    if (w === undefined) return
    waiting.delete(event.data.id)
    if (event.data.result !== undefined) w.resolve(event.data.result)
    else w.reject(new Error(event.data.error ?? 'The folding worker failed.'))
  }
  worker.onerror = event => {
    for (const w of waiting.values()) w.reject(new Error(`The folding worker stopped: ${event.message}`))
    waiting.clear()
  }
  return {
    run: async (unit: FoldingUnit) => await new Promise<FoldingUnitResult>((resolve, reject) => {
      const id = next++
      waiting.set(id, { resolve, reject })
      worker.postMessage({ id, unit })
    }),
    terminate: () => {
      worker.terminate()
      for (const w of waiting.values()) w.reject(new Error('The folding worker was stopped.'))
      waiting.clear()
    }
  }
}
