// First: libp2p needs what Node 20 lacks (Promise.withResolvers, a global WebSocket).
import '../../relay/node-polyfills.ts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { toAddress } from '../../src/core/address.ts'
import { chainIdOf, type GenesisSpec } from '../../src/core/genesis.ts'
import { keypairFromLabel } from '../../src/core/keys.ts'
import { signTx } from '../../src/core/tx.ts'
import type { GossipMessage } from '../../src/net/gossip/index.ts'
import { createTabNode, type TabNode } from '../../src/net/index.ts'
import { startRelayProcess, type RelayProcess } from '../helpers/relay.ts'

const producer = keypairFromLabel('relay-gossip/producer')
const alice = keypairFromLabel('relay-gossip/alice')
const bob = keypairFromLabel('relay-gossip/bob')
const spec: GenesisSpec = {
  chain: 'relay-gossip', time: 1_700_000_000_000, producer: producer.publicKey,
  balances: [{ key: alice.publicKey, amount: 10n ** 12n }],
  subnets: [{ name: 'folding', owner: producer.publicKey, params: {} }],
  params: {}
}
const chainId = chainIdOf(spec)

async function until (what: string, done: () => boolean | Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise(r => setTimeout(r, 50))
  }
}

describe('gossip through the real relay', () => {
  let relay: RelayProcess
  let tab: TabNode
  beforeAll(async () => {
    relay = await startRelayProcess({ genesis: { spec, producer }, blockTimeMs: 300 })
    const { addrs } = await (await fetch(`${relay.url}/api/p2p`)).json() as { addrs: string[] }
    tab = await createTabNode({ hotkey: keypairFromLabel('relay-gossip/tab'), relayAddrs: addrs, chain: { chainId, producer: producer.publicKey } })
  })
  afterAll(async () => {
    await tab?.stop()
    await relay?.dispose()
  })

  it('delivers every new block header from the relay, signed by the producer, in order', async () => {
    const heights: number[] = []
    const unsubscribe = tab.gossip!.subscribe('headers', (m: GossipMessage<'headers'>) => { heights.push(m.value.header.height) })
    await until('three gossiped headers', () => heights.length >= 3)
    unsubscribe()
    expect(heights.slice(1).every((h, i) => h === heights[i]! + 1)).toBe(true)
    const stats = tab.stats().gossip!
    expect(stats.topics.headers!.in).toBeGreaterThanOrEqual(3)
    expect(stats.rejected).toBe(0)
  })

  it('takes a gossiped transaction into a block: acknowledged by inclusion, not by a reply', async () => {
    const tx = signTx({ kind: 'transfer', from: alice.publicKey, nonce: 0, to: bob.publicKey, amount: 12345n }, alice, chainId)
    await until('the relay in the tab\'s gossip peers', () => tab.libp2p.services.pubsub.getSubscribers(tab.gossip!.topic('tx')).length > 0)
    const { recipients } = await tab.gossip!.publish('tx', tx.bytes)
    expect(recipients).toBeGreaterThanOrEqual(1)
    await until('the transfer in a block', async () => {
      const account = await (await fetch(`${relay.url}/api/accounts/${toAddress(bob.publicKey)}`)).json() as { balance: string, height: number }
      return account.balance === '12345'
    })
    expect(tab.stats().gossip!.topics.tx!.out).toBe(1)
  })

  it('refuses to publish a payload that receivers would reject, so the tab is not scored down for it', async () => {
    const forged = signTx({ kind: 'transfer', from: alice.publicKey, nonce: 1, to: bob.publicKey, amount: 1n }, bob, chainId)
    await expect(tab.gossip!.publish('tx', forged.bytes)).rejects.toMatchObject({ code: 'BAD_PAYLOAD' })
    await expect(tab.gossip!.publish('headers', new Uint8Array(600))).rejects.toMatchObject({ code: 'TOO_LARGE' })
  })
})
