// First: libp2p needs what Node 20 lacks (Promise.withResolvers, a global WebSocket).
import '../../relay/node-polyfills.ts'
import { afterAll, describe, expect, it } from 'vitest'
import { toAddress } from '../../src/core/address.ts'
import { keypairFromLabel } from '../../src/core/keys.ts'
import { createTabNode } from '../../src/net/index.ts'
import { LINKS_PROTOCOL, sendLinkReport } from '../../src/net/links/index.ts'
import { startRelayProcess, type RelayProcess } from '../helpers/relay.ts'

const relays: RelayProcess[] = []
afterAll(async () => { for (const r of relays) await r.dispose() })

interface NetworkJson { relay: { peerId: string }, peers: Array<{ peerId: string, hotkey: string | null, reserved: boolean, roles: unknown[] }>, links: Array<[string, string]> }

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

  it('lists a direct link between two tabs only once both report it, and forgets a tab\'s report when it leaves', async () => {
    const r = relays[0] ?? await startRelayProcess({ blockTimeMs: 1000 })
    const { addrs, peerId: relayId } = await (await fetch(`${r.url}/api/p2p`)).json() as { addrs: string[], peerId: string }
    const network = async (): Promise<NetworkJson> => await (await fetch(`${r.url}/api/network`)).json() as NetworkJson
    const [a, b] = await Promise.all(['a', 'b'].map(async l => await createTabNode({ hotkey: keypairFromLabel(`network-api/link-${l}`), relayAddrs: addrs })))
    const [idA, idB] = [a!.libp2p.peerId.toString(), b!.libp2p.peerId.toString()]
    // Node tabs have no WebRTC peers: the reports are sent by hand over each tab's relay connection.
    const report = async (tab: typeof a, direct: string[]): Promise<void> => {
      const conn = tab!.libp2p.getConnections().find(c => c.remotePeer.toString() === relayId)!
      await sendLinkReport(conn, direct)
    }
    try {
      await until('both tabs listed', async () => (await network()).peers.filter(p => p.reserved).length >= 2 ? true : undefined)
      // Past each tab's own first report (its empty set, sent at its next tick after connecting).
      await new Promise(resolve => setTimeout(resolve, 3000))
      await report(a, [idB])
      await new Promise(resolve => setTimeout(resolve, 500))
      expect((await network()).links).toEqual([])
      await report(b, [idA])
      await until('the link', async () => (await network()).links.length === 1 ? true : undefined, 10_000)
      expect((await network()).links).toEqual([[idA, idB].sort()])

      // A malformed report is refused (the stream is reset) and changes nothing.
      const conn = a!.libp2p.getConnections().find(c => c.remotePeer.toString() === relayId)!
      const stream = await conn.newStream(LINKS_PROTOCOL)
      stream.send(new Uint8Array([5, 0xff, 0xff, 0xff, 0xff, 0xff]))
      await stream.close().catch(() => {})
      await new Promise(resolve => setTimeout(resolve, 500))
      expect((await network()).links).toEqual([[idA, idB].sort()])

      await b!.stop()
      await until('the link gone', async () => (await network()).links.length === 0 ? true : undefined, 30_000)
    } finally {
      await a!.stop()
      if (b!.libp2p.status === 'started') await b!.stop()
    }
  })

  it('says a relay on loopback cannot be joined from the room, and gives the page\'s origin', async () => {
    const r = relays[0] ?? await startRelayProcess()
    const join = await (await fetch(`${r.url}/api/join`)).json()
    expect(join).toEqual({ urls: [`${r.url}/`], lan: false })
  })
})
