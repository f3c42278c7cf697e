/**
 * Runs `refresh` now and every `ms` while a view is on screen; the returned function stops it.
 * A refresh still running when the next tick comes is not started twice.
 */
export function poll (refresh: () => Promise<void>, ms: number): () => void {
  let busy = false
  const tick = (): void => {
    if (busy) return
    busy = true
    void refresh().finally(() => { busy = false })
  }
  tick()
  const timer = setInterval(tick, ms)
  return () => { clearInterval(timer) }
}

/** How often a view on screen re-reads the ledger, in milliseconds (about one block). */
export const VIEW_POLL_MS = 5_000
