// First: libp2p needs Promise.withResolvers, which Node 20 lacks.
import '../../../../relay/node-polyfills.ts'
import { lpStream } from '@libp2p/utils'
import { describe, expect, it } from 'vitest'
import { encode } from '../../../../src/core/codec.ts'
import { buildBundle } from '../../../../src/net/block-exchange/bundle.ts'
import { connectionSource } from '../../../../src/net/block-exchange/client.ts'
import { MAX_ANSWER_BYTES, MAX_REQUEST_BYTES } from '../../../../src/net/block-exchange/constants.ts'
import { PeerMisbehaviourError, SessionEndedError } from '../../../../src/net/block-exchange/errors.ts'
import { MemoryBlockStore } from '../../../../src/net/block-exchange/store.ts'
import { answerFrame, encodeRequest, Status } from '../../../../src/net/block-exchange/wire.ts'
import { pseudoRandomBytes } from '../../../helpers/bytes.ts'
import { blockFrame, countingConnection, fakeConnection, frame, scriptedPeer, servingPeer } from './fake-peer.ts'

const bundle = await buildBundle(pseudoRandomBytes(100_000), { name: 'b', chunkSize: 40_000 })
const [c0, c1, c2] = bundle.chunks as [typeof bundle.chunks[0], typeof bundle.chunks[0], typeof bundle.chunks[0]]

async function storeWith (...blocks: typeof bundle.chunks): Promise<MemoryBlockStore> {
  const store = new MemoryBlockStore()
  for (const b of blocks) await store.put(b.cid, b.bytes)
  return store
}

async function collect (gen: AsyncGenerator<Uint8Array | undefined>): Promise<Array<Uint8Array | undefined>> {
  const out: Array<Uint8Array | undefined> = []
  for await (const x of gen) out.push(x)
  return out
}

async function failure (promise: Promise<unknown>): Promise<PeerMisbehaviourError> {
  try {
    await promise
  } catch (err) {
    expect(err).toBeInstanceOf(PeerMisbehaviourError)
    return err as PeerMisbehaviourError
  }
  throw new Error('expected a PeerMisbehaviourError')
}

const signal = (): AbortSignal => new AbortController().signal

describe('the block protocol', () => {
  it('answers have with what the server holds, and want with blocks in order or "not held"', async () => {
    const peer = servingPeer(await storeWith(c0, c2))
    const source = connectionSource(fakeConnection('server', peer.handler), 'direct')
    expect(await source.have([c0.cid, c1.cid, c2.cid], signal())).toEqual([true, false, true])
    expect(await collect(source.want([c2.cid, c1.cid, c0.cid], signal()))).toEqual([c2.bytes, undefined, c0.bytes])
    expect(peer.traffic.snapshot().served).toEqual({ bytes: c0.bytes.length + c2.bytes.length, blocks: 2, byPeer: { asker: c0.bytes.length + c2.bytes.length } })
  })

  it('aborts a request of garbage bytes and counts it as a protocol violation', async () => {
    const peer = servingPeer(await storeWith(c0))
    const stream = await fakeConnection('server', peer.handler).newStream('/x')
    const lp = lpStream(stream)
    await lp.write(Uint8Array.of(0xde, 0xad, 0xbe, 0xef))
    await expect(lp.read()).rejects.toThrow()
    expect(peer.traffic.snapshot().rejected).toEqual({ PROTOCOL_VIOLATION: 1 })
  })

  it('aborts a request frame over the cap without reading it', async () => {
    const peer = servingPeer(await storeWith(c0))
    const stream = await fakeConnection('server', peer.handler).newStream('/x')
    stream.send(frame(new Uint8Array(MAX_REQUEST_BYTES + 1)))
    await expect(lpStream(stream).read()).rejects.toThrow()
    expect(peer.traffic.snapshot().rejected).toEqual({ FRAME_TOO_LARGE: 1 })
  })

  it('answers "busy" to a peer flooding it with requests, and serves the others', async () => {
    const store = await storeWith(c0)
    const flooder = servingPeer(store, { asker: 'flooder', rate: { perSecond: 1, burst: 3 } })
    const source = connectionSource(fakeConnection('server', flooder.handler), 'direct')
    const answers = await Promise.allSettled(Array.from({ length: 10 }, async () => await source.have([c0.cid], signal())))
    expect(answers.filter(a => a.status === 'fulfilled')).toHaveLength(3)
    for (const a of answers.filter(a => a.status === 'rejected')) expect((a.reason as PeerMisbehaviourError).code).toBe('PEER_BUSY')
    expect(flooder.traffic.snapshot().rejected).toEqual({ PEER_BUSY: 7 })
    // Another asker of the same server has its own allowance.
    const polite = connectionSource(fakeConnection('server', async stream => { await flooder.server.serve(stream, 'polite') }), 'direct')
    expect(await polite.have([c0.cid], signal())).toEqual([true])
  })

  it('rejects an answer of garbage, an unknown status or a short have bitfield as a protocol violation', async () => {
    for (const frames of [[Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0x0f)], [frame(Uint8Array.of(9))], [frame(answerFrame(Status.HAVE))]]) {
      const source = connectionSource(fakeConnection('liar', scriptedPeer(frames, 'close')), 'direct', 500)
      const err = await failure(source.have([c0.cid], signal()))
      expect(['PROTOCOL_VIOLATION', 'FRAME_TOO_LARGE']).toContain(err.code)
    }
  })

  it('rejects an answer frame over the cap before reading its body', async () => {
    const prefix = frame(new Uint8Array(0)).subarray(0, 0)
    const oversized = Uint8Array.of(...encodeVarint(MAX_ANSWER_BYTES + 1), ...prefix, Status.BLOCK)
    const source = connectionSource(fakeConnection('liar', scriptedPeer([oversized], 'stall')), 'direct', 2000)
    expect((await failure(collect(source.want([c0.cid], signal())))).code).toBe('FRAME_TOO_LARGE')
  })

  it('gives up on a peer that stalls in the middle of an answer', async () => {
    const source = connectionSource(fakeConnection('staller', scriptedPeer([blockFrame(c0.bytes)], 'stall')), 'direct', 200)
    const got: Array<Uint8Array | undefined> = []
    const err = await failure((async () => { for await (const b of source.want([c0.cid, c1.cid], signal())) got.push(b) })())
    expect(err.code).toBe('PEER_STALLED')
    expect(err.message).toMatch(/sent nothing for 200 ms/)
    expect(got).toEqual([c0.bytes])
  })

  it('calls an answer that ends early a protocol violation', async () => {
    const source = connectionSource(fakeConnection('quitter', scriptedPeer([blockFrame(c0.bytes)], 'close')), 'direct', 2000)
    expect((await failure(collect(source.want([c0.cid, c1.cid], signal())))).code).toBe('PROTOCOL_VIOLATION')
  })

  it('passes the caller\'s abort on unchanged', async () => {
    const controller = new AbortController()
    const source = connectionSource(fakeConnection('staller', scriptedPeer([], 'stall')), 'direct', 5000)
    const pending = source.have([c0.cid], controller.signal)
    controller.abort(new Error('page closed'))
    await expect(pending).rejects.toThrow('page closed')
  })

  it('sends every request on one stream, ahead of the answers, and reads the answers in order', async () => {
    const peer = servingPeer(await storeWith(c0, c1, c2))
    const opened = countingConnection('server', peer.handler)
    const source = connectionSource(opened.connection, 'direct')
    const [held, first, second, third] = await Promise.all([
      source.have([c0.cid, c1.cid, c2.cid], signal()),
      collect(source.want([c0.cid, c1.cid], signal())),
      collect(source.want([c2.cid], signal())),
      collect(source.want([c1.cid, c0.cid, c2.cid], signal()))
    ])
    expect(held).toEqual([true, true, true])
    expect(first).toEqual([c0.bytes, c1.bytes])
    expect(second).toEqual([c2.bytes])
    expect(third).toEqual([c1.bytes, c0.bytes, c2.bytes])
    expect(opened.streams()).toBe(1)
    expect(peer.traffic.snapshot().served.blocks).toBe(6)
  })

  it('lets go of its stream on close, and opens another for a later request; the server then ends the session', async () => {
    const peer = servingPeer(await storeWith(c0))
    const opened = countingConnection('server', peer.handler)
    const source = connectionSource(opened.connection, 'direct')
    expect(await source.have([c0.cid], signal())).toEqual([true])
    source.close()
    await opened.served(0)
    expect(await collect(source.want([c0.cid], signal()))).toEqual([c0.bytes])
    expect(opened.streams()).toBe(2)
    expect(peer.traffic.snapshot().rejected).toEqual({})
  })

  it('still answers an asker of the first version, one request per stream', async () => {
    const peer = servingPeer(await storeWith(c0))
    const stream = await fakeConnection('server', peer.handler).newStream('/x')
    const lp = lpStream(stream)
    await lp.write(encodeRequest({ kind: 'want', cids: [c0.cid, c1.cid] }))
    expect((await lp.read()).subarray()).toEqual(answerFrame(Status.BLOCK, c0.bytes))
    expect((await lp.read()).subarray()).toEqual(answerFrame(Status.NOT_HELD))
    await stream.close()
    expect(peer.traffic.snapshot().rejected).toEqual({})
  })

  it('ends the session when a request is abandoned mid-answer, failing the others on it without blaming the peer', async () => {
    const peer = servingPeer(await storeWith(c0, c1, c2))
    const source = connectionSource(fakeConnection('server', peer.handler), 'direct')
    const first = source.want([c0.cid, c1.cid], signal())
    const firstBlock = first.next()
    const second = collect(source.want([c2.cid], signal()))
    expect((await firstBlock).value).toEqual(c0.bytes)
    await first.return(undefined)
    const err = await second.catch((e: unknown) => e)
    expect(err).toBeInstanceOf(SessionEndedError)
    expect((err as SessionEndedError).code).toBe('SESSION_ENDED')
    expect(await collect(source.want([c2.cid], signal()))).toEqual([c2.bytes])
  })

  it('sends requests the server can decode', () => {
    expect(encodeRequest({ kind: 'want', cids: [c0.cid] })).toEqual(encode({ kind: 'want', cids: [c0.cid] }))
  })
})

function encodeVarint (n: number): number[] {
  const out: number[] = []
  while (n >= 0x80) { out.push((n & 0x7f) | 0x80); n = Math.floor(n / 128) }
  out.push(n)
  return out
}
