/**
 * The serving side of `/tabtensor/blocks/1.1.0` (and of 1.0.0, its one-request-per-stream special
 * case): the requests on a stream answered one after another, in order, from a `BlockStore`, until
 * the asker closes its end or sends nothing for `SESSION_IDLE_TIMEOUT_MS`. A request that is
 * garbage, over the frame cap or late aborts the stream (and is counted), as do requests sent more
 * than `MAX_PIPELINED_REQUESTS` ahead; a peer over its request rate is answered `BUSY`; libp2p
 * itself resets block streams past `MAX_INBOUND_STREAMS_PER_PEER` per connection. A stalled reader
 * cannot hold a server: every write has a deadline.
 */
import type { Stream } from '@libp2p/interface'
import { lpStream, type LengthPrefixedStream } from '@libp2p/utils'
import { FRAME_TIMEOUT_MS, MAX_PIPELINED_REQUESTS, MAX_REQUEST_BYTES, REQUEST_BURST_PER_PEER, REQUEST_TIMEOUT_MS, REQUESTS_PER_SECOND_PER_PEER, SESSION_IDLE_TIMEOUT_MS } from './constants.ts'
import { codeOf } from './errors.ts'
import { PeerRateLimit } from '../rate-limit.ts'
import type { TrafficCounter } from './stats.ts'
import type { BlockStore } from './store.ts'
import { answerFrame, decodeRequest, encodeHave, Status, type BlockRequest } from './wire.ts'

/** Switches that make a node misbehave on purpose, so that tests can watch the other side cope. Never set outside tests. */
export interface BlockServerTestHooks {
  /** Flip one byte of every block this node serves (a peer serving corrupt data). */
  corruptServedBlocks: boolean
}

export interface BlockServerInit {
  store: BlockStore
  traffic: TrafficCounter
  rate?: { perSecond: number, burst: number }
  now?: () => number
}

export class BlockServer {
  readonly testHooks: BlockServerTestHooks = { corruptServedBlocks: false }
  readonly #store: BlockStore
  readonly #traffic: TrafficCounter
  readonly #limit: PeerRateLimit

  constructor (init: BlockServerInit) {
    this.#store = init.store
    this.#traffic = init.traffic
    this.#limit = new PeerRateLimit(init.rate?.perSecond ?? REQUESTS_PER_SECOND_PER_PEER, init.rate?.burst ?? REQUEST_BURST_PER_PEER, init.now)
  }

  /** Answers the requests on `stream` from `peerId` until the asker is done; never throws (a bad stream is aborted). */
  async serve (stream: Stream, peerId: string): Promise<void> {
    // Requests sent ahead wait here while one is answered: anything past that many overflows.
    const lp = lpStream(stream, { maxDataLength: MAX_REQUEST_BYTES, maxBufferSize: MAX_PIPELINED_REQUESTS * (MAX_REQUEST_BYTES + 16) })
    for (let first = true; ; first = false) {
      let request: BlockRequest
      try {
        request = decodeRequest((await lp.read({ signal: AbortSignal.timeout(first ? REQUEST_TIMEOUT_MS : SESSION_IDLE_TIMEOUT_MS) })).subarray())
      } catch (err) {
        if (!first && askerDone(stream, err)) {
          await stream.close({ signal: AbortSignal.timeout(FRAME_TIMEOUT_MS) }).catch(() => {})
          return
        }
        this.#traffic.countRejected(codeOf(err))
        stream.abort(err as Error)
        return
      }
      try {
        await this.#answer(lp, request, peerId)
      } catch (err) {
        stream.abort(err as Error)
        return
      }
    }
  }

  async #answer (lp: LengthPrefixedStream, request: BlockRequest, peerId: string): Promise<void> {
    const write = async (frame: Uint8Array): Promise<void> => { await lp.write(frame, { signal: AbortSignal.timeout(FRAME_TIMEOUT_MS) }) }
    if (!this.#limit.take(peerId)) {
      this.#traffic.countRejected('PEER_BUSY')
      await write(answerFrame(Status.BUSY))
    } else if (request.kind === 'have') {
      await write(answerFrame(Status.HAVE, encodeHave(await this.#store.hasMany(request.cids))))
    } else {
      // Every read starts at once, so that the store's latency overlaps. The answers go out as one
      // write, so the stream cuts them into full data channel messages: frame by frame, every
      // block's last few bytes went as a message of their own (a fifth of the messages).
      const blocks = await Promise.all(request.cids.map(async cid => await this.#store.get(cid)))
      const frames = blocks.map(block => {
        if (block === undefined) return answerFrame(Status.NOT_HELD)
        this.#traffic.countServed(peerId, block.length)
        return answerFrame(Status.BLOCK, this.testHooks.corruptServedBlocks ? corrupt(block) : block)
      })
      // The deadline a write of each frame had.
      await lp.writeV(frames, { signal: AbortSignal.timeout(FRAME_TIMEOUT_MS * frames.length) })
    }
  }
}

/** Whether a failed read between requests only means the asker is done: it closed its end, or has gone quiet. */
function askerDone (stream: Stream, err: unknown): boolean {
  const name = (err as Error | undefined)?.name
  return name === 'TimeoutError' || (name === 'UnexpectedEOFError' && stream.remoteWriteStatus !== 'writable')
}

function corrupt (block: Uint8Array): Uint8Array {
  const copy = block.slice()
  if (copy.length > 0) copy[0]! ^= 0xff
  return copy
}
