// First: libp2p needs what Node 20 lacks (Promise.withResolvers, a global WebSocket).
import '../../relay/node-polyfills.ts'
import { lpStream } from '@libp2p/utils'
import { multiaddr } from '@multiformats/multiaddr'
import { afterAll, describe, expect, it } from 'vitest'
import { headerHash } from '../../src/core/block.ts'
import { toHex } from '../../src/core/hash.ts'
import type { GenesisSpec } from '../../src/core/genesis.ts'
import { keypairFromLabel } from '../../src/core/keys.ts'
import { LightClient } from '../../src/core/light-client.ts'
import {
  LEDGER_SYNC_PROTOCOL, MAX_SYNC_ANSWER_BYTES, MAX_SYNC_REQUEST_BYTES, decodeAnswer, fetchAccount, peerOf, syncHeaders, verifyFetchedAccount
} from '../../src/net/ledger-sync/index.ts'
import { createTabNode, type TabNode } from '../../src/net/index.ts'
import { startRelayProcess, type RelayProcess } from '../helpers/relay.ts'

const producer = keypairFromLabel('ledger-sync-e2e/producer')
const alice = keypairFromLabel('ledger-sync-e2e/alice')
const spec: GenesisSpec = {
  chain: 'ledger-sync-e2e', time: 1, producer: producer.publicKey,
  balances: [{ key: alice.publicKey, amount: 123_456_789n }], subnets: [], params: {}
}

let relay: RelayProcess | undefined
let tab: TabNode | undefined
afterAll(async () => {
  await tab?.stop()
  await relay?.dispose()
})

/** Sends raw `bytes` as one length-prefixed frame and returns the answer frame, or the error the stream failed with. */
async function raw (node: TabNode, addr: string, body: Uint8Array): Promise<Uint8Array | Error> {
  const stream = await node.libp2p.dialProtocol(multiaddr(addr), LEDGER_SYNC_PROTOCOL)
  try {
    const lp = lpStream(stream, { maxDataLength: MAX_SYNC_ANSWER_BYTES })
    await lp.write(body)
    return (await lp.read({ signal: AbortSignal.timeout(5000) })).subarray()
  } catch (err) {
    return err as Error
  }
}

describe('ledger sync with the real relay', () => {
  it('gives a Node tab headers it verifies and an account proof it checks; garbage gets an error, oversize a reset', async () => {
    relay = await startRelayProcess({ blockTimeMs: 200, genesis: { spec, producer } })
    const { addrs } = await (await fetch(`${relay.url}/api/p2p`)).json() as { addrs: string[] }
    tab = await createTabNode({ hotkey: keypairFromLabel('ledger-sync-e2e/tab'), relayAddrs: addrs })
    const peer = peerOf(tab.libp2p, multiaddr(addrs[0]!))
    const deadline = Date.now() + 30_000
    while ((await (await fetch(`${relay.url}/api/health`)).json() as { height: number }).height < 5) {
      if (Date.now() > deadline) throw new Error('the relay made no blocks')
      await new Promise(r => setTimeout(r, 100))
    }

    const lc = new LightClient(spec)
    const height = await syncHeaders(peer, lc)
    expect(height).toBeGreaterThanOrEqual(5)
    const http = await (await fetch(`${relay.url}/api/headers?from=${height}&limit=1`)).json() as { headers: Array<{ hash: string, encoded: string }> }
    expect(toHex(headerHash(lc.headerAt(height)!.header))).toBe(http.headers[0]!.hash)

    const fetched = await fetchAccount(peer, alice.publicKey)
    expect(fetched.height).toBeGreaterThanOrEqual(height)
    expect(await verifyFetchedAccount(peer, lc, alice.publicKey, fetched)).toEqual({ balance: 123_456_789n, nonce: 0 })

    const garbage = await raw(tab, addrs[0]!, new Uint8Array([0xde, 0xad]))
    expect(garbage).toBeInstanceOf(Uint8Array)
    expect(decodeAnswer(garbage as Uint8Array)).toMatchObject({ error: 'MALFORMED' })
    expect(await raw(tab, addrs[0]!, new Uint8Array(MAX_SYNC_REQUEST_BYTES * 8))).toBeInstanceOf(Error)

    // Still healthy, over HTTP and over libp2p.
    expect((await fetch(`${relay.url}/api/health`)).ok).toBe(true)
    expect(await syncHeaders(peer, lc)).toBeGreaterThanOrEqual(fetched.height)
  }, 90_000)
})
