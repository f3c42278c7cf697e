// First: libp2p needs what Node 20 lacks (Promise.withResolvers, a global WebSocket).
import '../../relay/node-polyfills.ts'
import { afterAll, describe, expect, it } from 'vitest'
import { toAddress } from '../../src/core/address.ts'
import { keypairFromLabel } from '../../src/core/keys.ts'
import { createTabNode } from '../../src/net/index.ts'
import { startRelayProcess, type RelayProcess } from '../helpers/relay.ts'

const relays: RelayProcess[] = []
afterAll(async () => { for (const r of relays) await r.dispose() })

interface NetworkJson { relay: { peerId: string }, peers: Array<{ peerId: string, hotkey: string | null, reserved: boolean, roles: unknown[] }> }

async function until<T> (what: string, get: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await get()
    if (value !== undefined) return value
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise(r => setTimeout(r, 200))
  }
}

describe('the relay\'s network view', () => {
  it('lists a connected tab by its hotkey, with its relay slot, and drops it when it leaves', async () => {
    const r = await startRelayProcess({ blockTimeMs: 1000 })
    relays.push(r)
    const hotkey = keypairFromLabel('network-api/tab')
    const { addrs } = await (await fetch(`${r.url}/api/p2p`)).json() as { addrs: string[] }
    const tab = await createTabNode({ hotkey, relayAddrs: addrs })
    const network = async (): Promise<NetworkJson> => await (await fetch(`${r.url}/api/network`)).json() as NetworkJson
    try {
      const listed = await until('the tab in /api/network', async () => {
        const view = await network()
        return view.peers.find(p => p.hotkey === toAddress(hotkey.publicKey) && p.reserved)
      })
      expect(listed).toMatchObject({ peerId: tab.libp2p.peerId.toString(), roles: [] })
    } finally {
      await tab.stop()
    }
    await until('the tab gone from /api/network', async () => (await network()).peers.length === 0 ? true : undefined)
  })

  it('says a relay on loopback cannot be joined from the room, and gives the page\'s origin', async () => {
    const r = relays[0] ?? await startRelayProcess()
    const join = await (await fetch(`${r.url}/api/join`)).json()
    expect(join).toEqual({ urls: [`${r.url}/`], lan: false })
  })
})
