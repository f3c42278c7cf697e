// First: libp2p needs what Node 20 lacks (Promise.withResolvers, a global WebSocket).
import '../../relay/node-polyfills.ts'
import { multiaddr } from '@multiformats/multiaddr'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { chainIdOf, type GenesisSpec } from '../../src/core/genesis.ts'
import { keypairFromLabel } from '../../src/core/keys.ts'
import { LightClient } from '../../src/core/light-client.ts'
import { signTx } from '../../src/core/tx.ts'
import { createTabNode, type TabNode } from '../../src/net/index.ts'
import { peerOf, syncHeaders } from '../../src/net/ledger-sync/index.ts'
import { pseudoRandomBytes } from '../helpers/bytes.ts'
import { startRelayProcess, type RelayProcess } from '../helpers/relay.ts'

const producer = keypairFromLabel('relay-metrics/producer')
const alice = keypairFromLabel('relay-metrics/alice')
const bob = keypairFromLabel('relay-metrics/bob')
const spec: GenesisSpec = {
  chain: 'relay-metrics', time: 1_700_000_000_000, producer: producer.publicKey,
  balances: [{ key: alice.publicKey, amount: 10n ** 12n }], subnets: [], params: {}
}
const chainId = chainIdOf(spec)

async function until (what: string, done: () => boolean | Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise(r => setTimeout(r, 100))
  }
}

describe('the relay\'s Prometheus metrics of its peer-to-peer side', () => {
  let relay: RelayProcess
  let tab: TabNode
  let addrs: string[]
  beforeAll(async () => {
    relay = await startRelayProcess({ genesis: { spec, producer }, blockTimeMs: 300 })
    addrs = (await (await fetch(`${relay.url}/api/p2p`)).json() as { addrs: string[] }).addrs
    tab = await createTabNode({ hotkey: keypairFromLabel('relay-metrics/tab'), relayAddrs: addrs, chain: { chainId, producer: producer.publicKey } })
  })
  afterAll(async () => {
    await tab?.stop()
    await relay?.dispose()
  })

  /** The value of the sample `name{labels}` on /metrics, 0 when absent. */
  async function sample (name: string, labels = ''): Promise<number> {
    const text = await (await fetch(`${relay.url}/metrics`)).text()
    const line = text.split('\n').find(l => l.startsWith(labels === '' ? `${name} ` : `${name}{${labels}} `))
    return line === undefined ? 0 : Number(line.split(' ').at(-1))
  }

  it('counts gossip accepted and rejected per topic and reason, and the peers it scored down', async () => {
    await until('the relay in the tab\'s gossip peers', () => tab.libp2p.services.pubsub.getSubscribers(tab.gossip!.topic('tx')).length > 0)
    expect(await sample('tabtensor_gossip_peers_scored_below', 'threshold="zero"')).toBe(0)
    const tx = signTx({ kind: 'transfer', from: alice.publicKey, nonce: 0, to: bob.publicKey, amount: 5n }, alice, chainId)
    await tab.gossip!.publish('tx', tx.bytes)
    await until('the transaction counted as accepted', async () => await sample('tabtensor_gossip_messages_total', 'topic="tx",result="accepted",reason=""') === 1)

    // Garbage on the transactions topic, published as is (no envelope): each is rejected and costs the tab.
    for (let i = 0; i < 4; i++) await tab.libp2p.services.pubsub.publish(tab.gossip!.topic('tx'), Uint8Array.of(0xde, 0xad, i))
    await until('the garbage counted as rejected', async () => await sample('tabtensor_gossip_messages_total', 'topic="tx",result="rejected",reason="MALFORMED"') >= 1)
    await until('the tab scored down', async () => await sample('tabtensor_gossip_peers_scored_below', 'threshold="zero"') === 1)
    // Headers the relay publishes itself are not received, so not counted.
    expect(await sample('tabtensor_gossip_messages_total', 'topic="headers",result="accepted",reason=""')).toBe(0)
  })

  it('counts the block-exchange bytes and blocks it served, and the ledger-sync headers', async () => {
    const bytes = pseudoRandomBytes(300_000, 9)
    const published = await fetch(`${relay.url}/api/bundles?name=m.bin&chunkSize=100000`, { method: 'POST', headers: { 'content-type': 'application/octet-stream' }, body: Buffer.from(bytes) })
    const { cid } = await published.json() as { cid: string }
    expect(await sample('tabtensor_blocks_served_bytes_total')).toBe(0)
    await tab.blocks.fetch(cid)
    const fetched = tab.stats().blocks!.fetchedBytes
    expect(await sample('tabtensor_blocks_served_bytes_total')).toBe(fetched)
    expect(await sample('tabtensor_blocks_served_total')).toBe(4)

    const height = await syncHeaders(peerOf(tab.libp2p, multiaddr(addrs[0]!)), new LightClient(spec))
    // Counted once the relay's side of each stream has closed, which may be after the tab read the answer.
    await until('the headers counted', async () => await sample('tabtensor_ledger_sync_served_total', 'kind="headers"') === height)
    // Read twice, the counters do not grow by themselves.
    expect(await sample('tabtensor_blocks_served_bytes_total')).toBe(fetched)
  })
})
