/**
 * The serving side of `/tabtensor/blocks/1.0.0`: one request per stream, answered from a
 * `BlockStore`. A request that is garbage, over the frame cap or late aborts the stream (and is
 * counted); a peer over its request rate is answered `BUSY`; libp2p itself resets block streams
 * past `MAX_INBOUND_STREAMS_PER_PEER` per connection. A stalled reader cannot hold a server:
 * every write has a deadline.
 */
import type { Stream } from '@libp2p/interface'
import { lpStream } from '@libp2p/utils'
import { FRAME_TIMEOUT_MS, MAX_REQUEST_BYTES, REQUEST_BURST_PER_PEER, REQUEST_TIMEOUT_MS, REQUESTS_PER_SECOND_PER_PEER } from './constants.ts'
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

  /** Answers the one request on `stream` from `peerId`; never throws (a bad stream is aborted). */
  async serve (stream: Stream, peerId: string): Promise<void> {
    // The asker sends one request and nothing else: anything past a request's worth overflows.
    const lp = lpStream(stream, { maxDataLength: MAX_REQUEST_BYTES, maxBufferSize: MAX_REQUEST_BYTES + 16 })
    let request: BlockRequest
    try {
      request = decodeRequest((await lp.read({ signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) })).subarray())
    } catch (err) {
      this.#traffic.countRejected(codeOf(err))
      stream.abort(err as Error)
      return
    }
    try {
      if (!this.#limit.take(peerId)) {
        this.#traffic.countRejected('PEER_BUSY')
        await lp.write(answerFrame(Status.BUSY), { signal: AbortSignal.timeout(FRAME_TIMEOUT_MS) })
      } else if (request.kind === 'have') {
        await lp.write(answerFrame(Status.HAVE, encodeHave(await this.#store.hasMany(request.cids))), { signal: AbortSignal.timeout(FRAME_TIMEOUT_MS) })
      } else {
        // Every read starts at once, so that the store's latency overlaps the writes.
        const reads = request.cids.map(async cid => await this.#store.get(cid))
        for (const read of reads) read.catch(() => {})
        for (const read of reads) {
          const block = await read
          if (block === undefined) {
            await lp.write(answerFrame(Status.NOT_HELD), { signal: AbortSignal.timeout(FRAME_TIMEOUT_MS) })
            continue
          }
          // Counted as handed to the stream: the asker may have it before this write's promise settles.
          this.#traffic.countServed(peerId, block.length)
          await lp.write(answerFrame(Status.BLOCK, this.testHooks.corruptServedBlocks ? corrupt(block) : block), { signal: AbortSignal.timeout(FRAME_TIMEOUT_MS) })
        }
      }
      await stream.close({ signal: AbortSignal.timeout(FRAME_TIMEOUT_MS) })
    } catch (err) {
      stream.abort(err as Error)
    }
  }
}

function corrupt (block: Uint8Array): Uint8Array {
  const copy = block.slice()
  if (copy.length > 0) copy[0]! ^= 0xff
  return copy
}
