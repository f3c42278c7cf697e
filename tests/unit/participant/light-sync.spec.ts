// First: libp2p needs Promise.withResolvers, which Node 20 lacks.
import '../../../relay/node-polyfills.ts'
import { describe, expect, it } from 'vitest'
import { chainSource } from '../../../relay/p2p/ledger-sync.ts'
import { lightClientSource } from '../../../src/net/ledger-sync/source.ts'
import { LedgerSyncError, serveLedgerSync, type LedgerSource } from '../../../src/net/ledger-sync/index.ts'
import { fakeConnection } from '../net/block-exchange/fake-peer.ts'
import { toAddress } from '../../../src/core/address.ts'
import { Chain } from '../../../src/core/chain.ts'
import type { GenesisSpec } from '../../../src/core/genesis.ts'
import { keypairFromLabel } from '../../../src/core/keys.ts'
import { signTx } from '../../../src/core/tx.ts'
import { createLightSync, type LedgerPeer } from '../../../src/participant/light-sync.ts'
import { LightClient } from '../../../src/core/light-client.ts'
import { fetchAccount, syncHeaders, verifyFetchedAccount } from '../../../src/net/ledger-sync/index.ts'
import { accountView } from '../../../relay/views.ts'
import { relayOf } from '../../helpers/chain-relay.ts'
import { genesisToJson } from '../../../src/core/genesis.ts'

const producer = keypairFromLabel('light-sync/producer')
const alice = keypairFromLabel('light-sync/alice')
const bob = keypairFromLabel('light-sync/bob')
const spec: GenesisSpec = {
  chain: 'light-sync', time: 1, producer: producer.publicKey,
  balances: [{ key: alice.publicKey, amount: 10n ** 12n }], subnets: [], params: {}
}

function chainWithBlocks (blocks: number, amount = 1000n): Chain {
  const chain = new Chain(spec)
  for (let i = 0; i < blocks; i++) {
    chain.submit(signTx({ kind: 'transfer', from: alice.publicKey, nonce: i, to: bob.publicKey, amount }, alice, chain.chainId).bytes)
    chain.produceBlock(producer, 1000 + i)
  }
  return chain
}

function peerServing (peerId: string, kind: LedgerPeer['kind'], source: LedgerSource): LedgerPeer {
  return { peerId, kind, connection: fakeConnection(peerId, async stream => { await serveLedgerSync(stream, source) }) }
}

/** A relay client whose header and account reads over HTTP are counted. */
function countedRelay (chain: Chain): ReturnType<typeof relayOf> & { http: string[] } {
  const relay = relayOf(chain)
  const http: string[] = []
  return {
    ...relay,
    http,
    getHeaders: async (from: number, limit: number) => { http.push(`headers ${from}`); return await relay.getHeaders(from, limit) },
    getAccount: async (address: string) => { http.push('account'); return await relay.getAccount(address) }
  }
}

describe('light sync', () => {
  it('verifies the head and an account after following every header from genesis', async () => {
    const chain = chainWithBlocks(5)
    const relay = relayOf(chain)
    const light = createLightSync(relay)
    expect(await light.verifyHead(await relay.getHealth())).toBe(true)
    expect(light.height).toBe(5)
    const account = await relay.getAccount(toAddress(bob.publicKey))
    expect(account.balance).toBe(5000n)
    expect(await light.verifyAccount(account)).toBe(true)
  })

  it('proves a never-used account holds nothing', async () => {
    const chain = chainWithBlocks(2)
    const light = createLightSync(relayOf(chain))
    const fresh = keypairFromLabel('light-sync/fresh')
    const relay = relayOf(chain)
    const view = accountView(chain, fresh.publicKey) as Record<string, unknown>
    const account = { address: toAddress(fresh.publicKey), balance: 0n, nonce: 0, pendingNonce: 0, height: chain.height, stateRoot: view.stateRoot as string, proof: view.proof }
    expect(await createLightSync(relay).verifyAccount(account)).toBe(true)
    expect(await light.verifyAccount({ ...account, balance: 1n })).toBe(false)
  })

  it('does not vouch for a balance the proof does not show', async () => {
    const chain = chainWithBlocks(3)
    const relay = relayOf(chain, { balance: 9_999_999n })
    expect(await createLightSync(relay).verifyAccount(await relay.getAccount(toAddress(bob.publicKey)))).toBe(false)
  })

  it('does not vouch for a head hash it did not verify', async () => {
    const chain = chainWithBlocks(3)
    const relay = relayOf(chain, { headHash: 'ff'.repeat(32) })
    expect(await createLightSync(relay).verifyHead(await relay.getHealth())).toBe(false)
  })

  it('refuses a genesis that does not hash to the claimed chain id', async () => {
    const chain = chainWithBlocks(1)
    const relay = { ...relayOf(chain), getGenesis: async () => ({ chainId: '00'.repeat(32), genesis: genesisToJson(chain.spec) }) }
    await expect(createLightSync(relay).verifyHead(await relay.getHealth())).rejects.toThrow(/genesis/)
  })

  it('takes headers over libp2p when a peer is online, and HTTP only for what the peer lacked', async () => {
    const chain = chainWithBlocks(4)
    const behind = chainWithBlocks(4)
    const http: number[] = []
    const relay = relayOf(chain)
    const counted = { ...relay, getHeaders: async (from: number, limit: number) => { http.push(from); return await relay.getHeaders(from, limit) } }
    // The peer's chain stops at height 2: the rest comes over HTTP.
    const source = { ...chainSource(behind), get height () { return 2 } }
    const light = createLightSync(counted, { peers: () => [peerServing('relay', 'relay', source)] })
    expect(await light.verifyHead(await relay.getHealth())).toBe(true)
    expect(http).toEqual([3])
    expect(light.stats()).toEqual({ headers: { gossip: 0, tab: 0, relay: 2, http: 2 }, lastTab: null })
  })

  it('falls back to HTTP when the peer lies, and says so', async () => {
    const chain = chainWithBlocks(3)
    const relay = relayOf(chain)
    const honest = chainSource(chain)
    const lying = { get height () { return honest.height }, header: (h: number) => ({ ...honest.header(h)!, sig: new Uint8Array(64) }) }
    const errors: unknown[] = []
    const light = createLightSync(relay, {
      peers: () => [peerServing('liar', 'tab', { ...honest, header: lying.header, get height () { return lying.height } })],
      onPeerError: err => errors.push(err)
    })
    expect(await light.verifyHead(await relay.getHealth())).toBe(true)
    expect(errors).toHaveLength(1)
    expect(errors[0]).toBeInstanceOf(LedgerSyncError)
    expect((errors[0] as LedgerSyncError).code).toBe('BAD_HEADER')
  })

  it('follows headers from a peer tab before the relay, and serves what it verified to the next tab', async () => {
    const chain = chainWithBlocks(6)
    const relay = countedRelay(chain)
    // Tab A verified up to 4 and serves that; the relay's connection has the rest.
    const a = new LightClient(chain.spec)
    const upTo4 = { ...chainSource(chain), get height () { return 4 } }
    await syncHeaders(fakeConnection('relay', async stream => { await serveLedgerSync(stream, upTo4) }), a)
    const b = createLightSync(relay, { peers: () => [peerServing('tab-a', 'tab', lightClientSource(a)), peerServing('relay', 'relay', chainSource(chain))] })
    expect(await b.verifyHead(await relay.getHealth())).toBe(true)
    expect(b.stats()).toEqual({ headers: { gossip: 0, tab: 4, relay: 2, http: 0 }, lastTab: 'tab-a' })
    expect(relay.http).toEqual([])

    // B now serves a third tab everything it verified, from its own light client.
    const c = createLightSync(relay, { peers: () => [peerServing('tab-b', 'tab', b.source)] })
    expect(await c.verifyHead(await relay.getHealth())).toBe(true)
    expect(c.stats().headers).toEqual({ gossip: 0, tab: 6, relay: 0, http: 0 })
  })

  it('reads an account over libp2p, proven by the light client, asking the relay before tabs', async () => {
    const chain = chainWithBlocks(3)
    const relay = countedRelay(chain)
    const asked: string[] = []
    const peer = (peerId: string, kind: LedgerPeer['kind']): LedgerPeer => {
      const p = peerServing(peerId, kind, chainSource(chain))
      return { ...p, connection: { newStream: async (...args) => { asked.push(peerId); return await p.connection.newStream(...args) } } }
    }
    const light = createLightSync(relay, { peers: () => [peer('tab', 'tab'), peer('relay', 'relay')] })
    const account = await light.readAccount(toAddress(bob.publicKey))
    expect(account).toMatchObject({ address: toAddress(bob.publicKey), balance: 3000n, nonce: 0, height: 3 })
    expect(asked[0]).toBe('relay')
    expect(relay.http).toEqual([])
    expect(await light.verifyAccount(account!)).toBe(true)
    // What it proved at its head, it serves.
    const other = new LightClient(chain.spec)
    const served = fakeConnection('b', async stream => { await serveLedgerSync(stream, light.source) })
    expect(await verifyFetchedAccount(served, other, bob.publicKey, await fetchAccount(served, bob.publicKey))).toEqual({ balance: 3000n, nonce: 0 })
    expect(other.height).toBe(3)
  })

  it('gives no account over libp2p without peers, and skips a peer whose proof lies or is older than the verified head', async () => {
    const chain = chainWithBlocks(4)
    const relay = countedRelay(chain)
    expect(await createLightSync(relay).readAccount(toAddress(bob.publicKey))).toBeUndefined()

    const forged = chainWithBlocks(4, 1n)
    const errors: unknown[] = []
    const behind = { ...chainSource(chain), get height () { return 2 }, prove: (key: string) => chain.state.prove(key) }
    let peers: LedgerPeer[] = []
    const light = createLightSync(relay, { peers: () => peers, onPeerError: err => errors.push(err) })
    expect(await light.verifyHead(await relay.getHealth())).toBe(true)
    // A producer that signs two chains makes both verify: the liar serves the other one's state.
    peers = [peerServing('liar', 'relay', chainSource(forged)), peerServing('behind', 'tab', behind)]
    expect(await light.readAccount(toAddress(bob.publicKey))).toBeUndefined()
    expect(errors.map(e => (e as LedgerSyncError).code)).toEqual(['BAD_HEADER'])
    expect((errors[0] as LedgerSyncError).misbehaved).toBe(true)
  })

  it('takes the next header heard on gossip at once, and leaves any other for the next sync', async () => {
    const chain = chainWithBlocks(2)
    const relay = countedRelay(chain)
    const light = createLightSync(relay)
    // Before the first sync there is no light client to offer to.
    await light.offer(chain.header(1)!)
    expect(light.height).toBe(-1)
    expect(await light.verifyHead(await relay.getHealth())).toBe(true)
    for (let i = 2; i < 5; i++) {
      chain.submit(signTx({ kind: 'transfer', from: alice.publicKey, nonce: i, to: bob.publicKey, amount: 1n }, alice, chain.chainId).bytes)
      chain.produceBlock(producer, 1000 + i)
    }
    await light.offer(chain.header(4)!)
    await light.offer(chain.header(3)!)
    await light.offer({ ...chain.header(4)!, sig: new Uint8Array(64) })
    expect(light.height).toBe(3)
    await light.offer(chain.header(4)!)
    expect(light.stats().headers).toMatchObject({ gossip: 2, http: 2 })
    relay.http.length = 0
    expect(await light.verifyHead(await relay.getHealth())).toBe(true)
    expect(relay.http).toEqual(['headers 5'])
  })
})
