// First: libp2p needs Promise.withResolvers, which Node 20 lacks.
import '../../../relay/node-polyfills.ts'
import { describe, expect, it } from 'vitest'
import { chainSource } from '../../../relay/p2p/ledger-sync.ts'
import { LedgerSyncError, serveLedgerSync } from '../../../src/net/ledger-sync/index.ts'
import { fakeConnection } from '../net/block-exchange/fake-peer.ts'
import { toAddress } from '../../../src/core/address.ts'
import { Chain } from '../../../src/core/chain.ts'
import type { GenesisSpec } from '../../../src/core/genesis.ts'
import { keypairFromLabel } from '../../../src/core/keys.ts'
import { signTx } from '../../../src/core/tx.ts'
import { createLightSync } from '../../../src/participant/light-sync.ts'
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

function chainWithBlocks (blocks: number): Chain {
  const chain = new Chain(spec)
  for (let i = 0; i < blocks; i++) {
    chain.submit(signTx({ kind: 'transfer', from: alice.publicKey, nonce: i, to: bob.publicKey, amount: 1000n }, alice, chain.chainId).bytes)
    chain.produceBlock(producer, 1000 + i)
  }
  return chain
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
    const light = createLightSync(counted, { peer: () => fakeConnection('relay', async stream => { await serveLedgerSync(stream, source) }) })
    expect(await light.verifyHead(await relay.getHealth())).toBe(true)
    expect(http).toEqual([3])
  })

  it('falls back to HTTP when the peer lies, and says so', async () => {
    const chain = chainWithBlocks(3)
    const relay = relayOf(chain)
    const honest = chainSource(chain)
    const lying = { get height () { return honest.height }, header: (h: number) => ({ ...honest.header(h)!, sig: new Uint8Array(64) }) }
    const errors: unknown[] = []
    const light = createLightSync(relay, {
      peer: () => fakeConnection('liar', async stream => { await serveLedgerSync(stream, lying) }),
      onPeerError: err => errors.push(err)
    })
    expect(await light.verifyHead(await relay.getHealth())).toBe(true)
    expect(errors).toHaveLength(1)
    expect(errors[0]).toBeInstanceOf(LedgerSyncError)
    expect((errors[0] as LedgerSyncError).code).toBe('BAD_HEADER')
  })
})
