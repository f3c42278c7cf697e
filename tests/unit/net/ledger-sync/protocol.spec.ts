// First: libp2p needs Promise.withResolvers, which Node 20 lacks.
import '../../../../relay/node-polyfills.ts'
import type { Connection, Stream } from '@libp2p/interface'
import { lpStream } from '@libp2p/utils'
import { describe, expect, it, vi } from 'vitest'
import { chainSource } from '../../../../relay/p2p/ledger-sync.ts'
import { encodeSignedHeader } from '../../../../src/core/block.ts'
import { Chain } from '../../../../src/core/chain.ts'
import { encode } from '../../../../src/core/codec.ts'
import type { GenesisSpec } from '../../../../src/core/genesis.ts'
import { keypairFromLabel } from '../../../../src/core/keys.ts'
import { LightClient, decodeStateProof } from '../../../../src/core/light-client.ts'
import type { StateProof } from '../../../../src/core/state.ts'
import { signTx } from '../../../../src/core/tx.ts'
import {
  HeldProofs, LEDGER_SYNC_PROTOCOL, LEDGER_SYNC_REQUEST_BURST_PER_PEER, LedgerSyncError, handleLedgerSync, MAX_HELD_PROOFS, MAX_SYNC_ANSWER_BYTES, MAX_SYNC_HEADERS, MAX_SYNC_REQUEST_BYTES, decodeAnswer, decodeRequest, encodeRequest,
  fetchAccount, fetchHeaders, lightClientSource, serveLedgerSync, syncHeaders, verifyFetchedAccount, type LedgerSource
} from '../../../../src/net/ledger-sync/index.ts'
import { fakeConnection, frame, type Handler } from '../block-exchange/fake-peer.ts'

const producer = keypairFromLabel('ledger-sync/producer')
const alice = keypairFromLabel('ledger-sync/alice')
const bob = keypairFromLabel('ledger-sync/bob')
const spec: GenesisSpec = {
  chain: 'ledger-sync', time: 1, producer: producer.publicKey,
  balances: [{ key: alice.publicKey, amount: 10n ** 12n }], subnets: [], params: {}
}

function chainWithBlocks (blocks: number, transfers = 3): Chain {
  const chain = new Chain(spec)
  for (let i = 0; i < blocks; i++) {
    if (i < transfers) chain.submit(signTx({ kind: 'transfer', from: alice.publicKey, nonce: i, to: bob.publicKey, amount: 1000n }, alice, chain.chainId).bytes)
    chain.produceBlock(producer, 1000 + i)
  }
  return chain
}

const serving = (source: LedgerSource): Handler => async stream => { await serveLedgerSync(stream, source) }

/** Writes `request` (raw bytes, framed) and returns the raw answer frame, or the error the stream failed with. */
async function rawExchange (handler: Handler, body: Uint8Array): Promise<Uint8Array | Error> {
  const stream: Stream = await fakeConnection('server', handler).newStream(LEDGER_SYNC_PROTOCOL)
  try {
    stream.send(frame(body))
    const lp = lpStream(stream, { maxDataLength: MAX_SYNC_ANSWER_BYTES })
    return (await lp.read({ signal: AbortSignal.timeout(2000) })).subarray()
  } catch (err) {
    return err as Error
  }
}

async function failure (promise: Promise<unknown>): Promise<LedgerSyncError> {
  try {
    await promise
  } catch (err) {
    expect(err).toBeInstanceOf(LedgerSyncError)
    return err as LedgerSyncError
  }
  throw new Error('expected a LedgerSyncError')
}

describe('ledger sync: framing', () => {
  it('round-trips requests canonically and refuses anything else', () => {
    expect(decodeRequest(encodeRequest({ op: 'headers', from: 3, limit: 10 }))).toEqual({ op: 'headers', from: 3, limit: 10 })
    expect(decodeRequest(encodeRequest({ op: 'account', key: bob.publicKey }))).toEqual({ op: 'account', key: bob.publicKey })
    for (const bad of [
      encode({ op: 'blocks', from: 1 }),
      encode({ op: 'headers', from: -1, limit: 1 }),
      encode({ op: 'headers', from: 1, limit: 1, extra: 1 }),
      encode({ op: 'account', key: new Uint8Array(31) }),
      new Uint8Array([0xff, 0x00]),
      new Uint8Array(MAX_SYNC_REQUEST_BYTES + 1)
    ]) expect(() => decodeRequest(bad)).toThrow(LedgerSyncError)
  })

  it('answers a garbage request with an error frame and an oversized one with a reset', async () => {
    const source = chainSource(chainWithBlocks(1))
    const garbage = await rawExchange(serving(source), new Uint8Array([1, 2, 3]))
    expect(garbage).toBeInstanceOf(Uint8Array)
    expect(decodeAnswer(garbage as Uint8Array)).toMatchObject({ error: 'MALFORMED' })
    const huge = await rawExchange(serving(source), new Uint8Array(MAX_SYNC_REQUEST_BYTES * 4))
    expect(huge).toBeInstanceOf(Error)
  })
})

describe('ledger sync: client against an in-memory peer', () => {
  it('follows the chain in batches capped at MAX_SYNC_HEADERS and verifies an account proof', async () => {
    const chain = chainWithBlocks(MAX_SYNC_HEADERS + 20)
    const peer = fakeConnection('relay', serving(chainSource(chain)))
    expect((await fetchHeaders(peer, 1, 10_000)).headers).toHaveLength(MAX_SYNC_HEADERS)
    const lc = new LightClient(spec)
    expect(await syncHeaders(peer, lc)).toBe(chain.height)
    const fetched = await fetchAccount(peer, bob.publicKey)
    expect(fetched.height).toBe(chain.height)
    expect(await verifyFetchedAccount(peer, lc, bob.publicKey, fetched)).toEqual({ balance: 3000n, nonce: 0 })
  })

  it('syncs a lagging light client up to a proof\'s height before checking it', async () => {
    const chain = chainWithBlocks(5)
    const peer = fakeConnection('relay', serving(chainSource(chain)))
    const lc = new LightClient(spec)
    expect((await verifyFetchedAccount(peer, lc, alice.publicKey, await fetchAccount(peer, alice.publicKey))).nonce).toBe(3)
    expect(lc.height).toBe(5)
  })

  it('refuses a peer that sends a header with a bad signature, keeping what it verified before', async () => {
    const chain = chainWithBlocks(6)
    const honest = chainSource(chain)
    const lying: LedgerSource = {
      ...honest,
      get height () { return honest.height },
      header: h => {
        const signed = honest.header(h)!
        if (h !== 4) return signed
        const sig = signed.sig.slice()
        sig[0]! ^= 1
        return { header: signed.header, sig }
      }
    }
    const lc = new LightClient(spec)
    const err = await failure(syncHeaders(fakeConnection('liar', serving(lying)), lc))
    expect(err.code).toBe('BAD_HEADER')
    expect(err.misbehaved).toBe(true)
    expect(lc.height).toBe(3)
  })

  it('refuses a forged account proof', async () => {
    const chain = chainWithBlocks(3)
    const other = chainWithBlocks(3, 1)
    const peer = fakeConnection('relay', serving(chainSource(chain)))
    const lc = new LightClient(spec)
    await syncHeaders(peer, lc)
    const forged = await fetchAccount(fakeConnection('other', serving(chainSource(other))), bob.publicKey)
    expect((await failure(verifyFetchedAccount(peer, lc, bob.publicKey, forged))).code).toBe('BAD_HEADER')
  })

  it('calls out answers that break the protocol: too many headers, undecodable ones, garbage', async () => {
    const chain = chainWithBlocks(3)
    const headers = [1, 2, 3].map(h => encodeSignedHeader(chain.header(h)!))
    const scripted = (answer: Uint8Array): Handler => async stream => {
      const lp = lpStream(stream, { maxDataLength: MAX_SYNC_REQUEST_BYTES })
      await lp.read()
      await lp.write(answer)
      await stream.close()
    }
    const tooMany = await failure(fetchHeaders(fakeConnection('p', scripted(encode({ height: 3, headers }))), 1, 2))
    expect(tooMany.code).toBe('MALFORMED')
    const undecodable = await failure(fetchHeaders(fakeConnection('p', scripted(encode({ height: 3, headers: [new Uint8Array([1])] }))), 1, 2))
    expect(undecodable.code).toBe('MALFORMED')
    expect((await failure(fetchHeaders(fakeConnection('p', scripted(new Uint8Array([0xff]))), 1, 2))).code).toBe('MALFORMED')
    const refused = await failure(fetchAccount(fakeConnection('tab', serving({ height: 3, header: h => chain.header(h), prove: () => undefined })), bob.publicKey))
    expect(refused.code).toBe('REMOTE')
    expect(refused.misbehaved).toBe(false)
  })

  it('lets a tab serve the headers its light client verified to another tab', async () => {
    const chain = chainWithBlocks(5)
    const first = new LightClient(spec)
    await syncHeaders(fakeConnection('relay', serving(chainSource(chain))), first)
    const second = new LightClient(spec)
    const tab = fakeConnection('tab', serving(lightClientSource(first)))
    expect(await syncHeaders(tab, second)).toBe(5)
    expect(second.head).toEqual(chain.head)
    const refused = await failure(fetchAccount(tab, bob.publicKey))
    expect(refused.code).toBe('REMOTE')
    expect(refused.message).toMatch(/NOT_HELD/)
  })

  it('lets a tab serve an account proof it verified at its head, and only while that is its head', async () => {
    const chain = chainWithBlocks(5)
    const relay = fakeConnection('relay', serving(chainSource(chain)))
    const first = new LightClient(spec)
    await syncHeaders(relay, first)
    const fetched = await fetchAccount(relay, bob.publicKey)
    const held = new HeldProofs()
    held.add(fetched.height, decodeStateProof(fetched.proof))
    const stats = { headers: 0, proofs: 0, refused: 0 }
    const tab = fakeConnection('tab', async stream => { await serveLedgerSync(stream, lightClientSource(first, held), { stats }) })
    const second = new LightClient(spec)
    expect(await verifyFetchedAccount(tab, second, bob.publicKey, await fetchAccount(tab, bob.publicKey))).toEqual({ balance: 3000n, nonce: 0 })
    expect(stats).toEqual({ headers: 5, proofs: 1, refused: 0 })
    expect((await failure(fetchAccount(tab, alice.publicKey))).message).toMatch(/NOT_HELD/)

    chain.produceBlock(producer, 2000)
    await syncHeaders(relay, first)
    expect((await failure(fetchAccount(tab, bob.publicKey))).message).toMatch(/NOT_HELD/)
    expect(stats.refused).toBe(2)
  })

  it('keeps at most MAX_HELD_PROOFS proofs, forgetting the oldest', () => {
    const held = new HeldProofs()
    const proof = (i: number): StateProof => ({ key: `k${i}`, value: null, left: null, right: null })
    for (let i = 0; i <= MAX_HELD_PROOFS; i++) held.add(7, proof(i))
    expect(held.at('k0', 7)).toBeUndefined()
    expect(held.at('k1', 7)).toEqual(proof(1))
    expect(held.at(`k${MAX_HELD_PROOFS}`, 7)).toEqual(proof(MAX_HELD_PROOFS))
    expect(held.at('k1', 8)).toBeUndefined()
  })

  it('answers a peer over its request rate BUSY, which is not held against it', async () => {
    const source = chainSource(chainWithBlocks(2))
    let handler: ((stream: Stream, connection: Pick<Connection, 'remotePeer'>) => void) | undefined
    const stats = await handleLedgerSync({ handle: async (_protocol, h) => { handler = h } }, source)
    const peer = fakeConnection('flooder', stream => { handler!(stream, { remotePeer: { toString: () => 'flooder' } } as unknown as Pick<Connection, 'remotePeer'>) })
    const answers = await Promise.all(Array.from({ length: LEDGER_SYNC_REQUEST_BURST_PER_PEER + 50 }, async () => {
      try {
        return (await fetchHeaders(peer, 1, 1)).headers.length
      } catch (err) {
        return err as LedgerSyncError
      }
    }))
    const busy = answers.filter(a => a instanceof LedgerSyncError)
    expect(busy.length).toBeGreaterThan(0)
    expect(busy.every(e => e.code === 'REMOTE' && !e.misbehaved && /BUSY/.test(e.message))).toBe(true)
    expect(answers.length - busy.length).toBeGreaterThanOrEqual(LEDGER_SYNC_REQUEST_BURST_PER_PEER)
    await vi.waitFor(() => { expect(stats.refused).toBe(busy.length) })
  })
})
