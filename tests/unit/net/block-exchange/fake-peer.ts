/**
 * Neighbours in memory for block-exchange unit tests: a "connection" whose streams are one end of
 * an in-memory stream pair (@libp2p/utils), the other end handed to a handler that plays the
 * peer — an honest BlockServer, or one that misbehaves in a named way.
 */
import type { Connection, PeerId, Stream } from '@libp2p/interface'
import { lpStream, streamPair } from '@libp2p/utils'
import { MAX_REQUEST_BYTES } from '../../../../src/net/block-exchange/constants.ts'
import { BlockServer } from '../../../../src/net/block-exchange/server.ts'
import { TrafficCounter } from '../../../../src/net/block-exchange/stats.ts'
import type { BlockStore } from '../../../../src/net/block-exchange/store.ts'
import { answerFrame, Status } from '../../../../src/net/block-exchange/wire.ts'

export type Handler = (stream: Stream) => void | Promise<void>
export type FakeConnection = Pick<Connection, 'newStream' | 'remotePeer'>

export function fakeConnection (peerId: string, handler: Handler): FakeConnection {
  return {
    remotePeer: { toString: () => peerId } as PeerId,
    newStream: (async () => {
      const [outbound, inbound] = await streamPair({ delay: 0 })
      void Promise.resolve(handler(inbound)).catch(err => { inbound.abort(err as Error) })
      return outbound
    }) as unknown as Connection['newStream']
  }
}

/** A fake connection that counts the streams opened on it; `served(i)` settles when the handler of stream i returns. */
export function countingConnection (peerId: string, handler: Handler): { connection: FakeConnection, streams: () => number, served: (i: number) => Promise<void> } {
  const handled: Array<Promise<void>> = []
  const connection = fakeConnection(peerId, stream => {
    const done = Promise.resolve(handler(stream))
    handled.push(done)
    return done
  })
  return { connection, streams: () => handled.length, served: async i => { await handled[i] } }
}

/** A peer that serves `store` honestly (or, with `corrupt`, with one byte of every block flipped). */
export function servingPeer (store: BlockStore, options: { asker?: string, corrupt?: boolean, rate?: { perSecond: number, burst: number } } = {}): { handler: Handler, server: BlockServer, traffic: TrafficCounter } {
  const traffic = new TrafficCounter()
  const server = new BlockServer({ store, traffic, rate: options.rate })
  server.testHooks.corruptServedBlocks = options.corrupt === true
  return { handler: async stream => { await server.serve(stream, options.asker ?? 'asker') }, server, traffic }
}

/** Reads the request, then answers with `frames` (raw bytes written as they are) and goes silent or closes. */
export function scriptedPeer (frames: Uint8Array[], then: 'close' | 'stall'): Handler {
  return async stream => {
    const lp = lpStream(stream, { maxDataLength: MAX_REQUEST_BYTES })
    await lp.read()
    const bytes = lp.unwrap()
    for (const frame of frames) bytes.send(frame)
    if (then === 'close') await bytes.close()
  }
}

/** A length-prefixed frame. */
export function frame (body: Uint8Array): Uint8Array {
  const out = new Uint8Array(varintLength(body.length) + body.length)
  let n = body.length
  let i = 0
  while (n >= 0x80) { out[i++] = (n & 0x7f) | 0x80; n = Math.floor(n / 128) }
  out[i++] = n
  out.set(body, i)
  return out
}

function varintLength (n: number): number {
  let len = 1
  while (n >= 0x80) { n = Math.floor(n / 128); len++ }
  return len
}

export const blockFrame = (bytes: Uint8Array): Uint8Array => frame(answerFrame(Status.BLOCK, bytes))
