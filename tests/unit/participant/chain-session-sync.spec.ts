import { describe, expect, it } from 'vitest'
import { ChainSession, SYNC_SHOWN_FROM } from '../../../src/participant/chain-session.svelte.ts'
import type { RelayClient } from '../../../src/participant/relay-client.ts'

describe('the chain session\'s sync progress', () => {
  it('shows how far the light client is while it catches up from far behind, and nothing once it is at the head', async () => {
    let verified = -1
    const seen: Array<{ done: number, target: number } | null> = []
    const relay = { getHealth: async () => ({ ok: true, height: 999, headHash: 'ab'.repeat(32), chainId: 'c0' }) } as unknown as RelayClient
    const session: ChainSession = new ChainSession({
      relay,
      verifiedHeight: () => verified,
      verifyHead: async () => {
        seen.push(session.syncing)
        for (const height of [200, 600, 999]) {
          verified = height
          await new Promise(resolve => setTimeout(resolve, 300))
          seen.push(session.syncing)
        }
        return true
      }
    })
    await session.refresh()
    expect(seen[0]).toEqual({ done: 0, target: 1000 })
    expect(seen.some(s => s !== null && s.done > 0 && s.done < 1000)).toBe(true)
    expect(session.syncing).toBeNull()
    expect(session.verified).toBe(true)
  })

  it('does not show following the tip, a few blocks behind, as a sync', async () => {
    const relay = { getHealth: async () => ({ ok: true, height: 500, headHash: 'ab'.repeat(32), chainId: 'c0' }) } as unknown as RelayClient
    let during: unknown = 'unset'
    const session: ChainSession = new ChainSession({
      relay, verifiedHeight: () => 500 - SYNC_SHOWN_FROM + 2, verifyHead: async () => { during = session.syncing; return true }
    })
    await session.refresh()
    expect(during).toBeNull()
  })
})
