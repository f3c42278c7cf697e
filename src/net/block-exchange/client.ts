/**
 * The asking side of `/tabtensor/blocks/1.0.0` over one libp2p connection: `have` asks which
 * blocks a peer holds, `want` streams blocks back in request order. Every frame read has a
 * deadline (`FRAME_TIMEOUT_MS`), so a peer that stalls mid-answer fails its request instead of
 * holding it; every failure is a `PeerMisbehaviourError` whose code says what went wrong. These
 * do not check blocks against their CIDs: the fetcher does, before anything reaches a store.
 */
import type { Connection } from '@libp2p/interface'
import { lpStream, type LengthPrefixedStream } from '@libp2p/utils'
import type { CID } from 'multiformats/cid'
import { BLOCKS_PROTOCOL, FRAME_TIMEOUT_MS, MAX_ANSWER_BYTES, MAX_WANT_BUFFER_BYTES } from './constants.ts'
import { codeOf, PeerMisbehaviourError } from './errors.ts'
import { decodeAnswer, decodeHave, encodeRequest, Status, type RequestKind } from './wire.ts'

/** How a provider is reached: a tab over a direct WebRTC connection, or a relay (the seed of last resort). */
export type ProviderKind = 'direct' | 'relay'

/** A peer that may hold blocks, as the fetcher sees it. */
export interface BlockSource {
  readonly peerId: string
  readonly kind: ProviderKind
  /** Which of `cids` the peer holds, in order. */
  have (cids: CID[], signal: AbortSignal): Promise<boolean[]>
  /** Each of `cids` in order: its bytes as sent (unchecked), or undefined when the peer does not hold it. */
  want (cids: CID[], signal: AbortSignal): AsyncGenerator<Uint8Array | undefined>
}

type Lp = LengthPrefixedStream

/** A `BlockSource` over `connection`, which must not be a limited (relayed) one. */
export function connectionSource (connection: Pick<Connection, 'newStream' | 'remotePeer'>, kind: ProviderKind, frameTimeoutMs = FRAME_TIMEOUT_MS): BlockSource {
  const peerId = connection.remotePeer.toString()

  async function open (kind: RequestKind, cids: CID[], signal: AbortSignal): Promise<{ lp: Lp, abort: (err: Error) => void, close: () => void }> {
    const stream = await withDeadline(async s => await connection.newStream(BLOCKS_PROTOCOL, { signal: s }), signal, frameTimeoutMs, peerId)
    const lp = lpStream(stream, { maxDataLength: MAX_ANSWER_BYTES, maxBufferSize: MAX_WANT_BUFFER_BYTES })
    try {
      await withDeadline(async s => { await lp.write(encodeRequest({ kind, cids }), { signal: s }) }, signal, frameTimeoutMs, peerId)
    } catch (err) {
      stream.abort(err as Error)
      throw err
    }
    return {
      lp,
      abort: err => { stream.abort(err) },
      close: () => { stream.close().catch(() => {}) }
    }
  }

  return {
    peerId,
    kind,
    async have (cids, signal) {
      const { lp, abort, close } = await open('have', cids, signal)
      try {
        const answer = decodeAnswer(await withDeadline(async s => await lp.read({ signal: s }), signal, frameTimeoutMs, peerId))
        if (answer.status === Status.BUSY) throw busy(peerId)
        if (answer.status !== Status.HAVE) throw new PeerMisbehaviourError('PROTOCOL_VIOLATION', `Peer ${peerId} answered a have request with status ${answer.status}.`)
        const held = decodeHave(answer.body, cids.length)
        close()
        return held
      } catch (err) {
        abort(err as Error)
        throw err
      }
    },
    async * want (cids, signal) {
      const { lp, abort, close } = await open('want', cids, signal)
      let done = false
      try {
        for (let i = 0; i < cids.length; i++) {
          const answer = decodeAnswer(await withDeadline(async s => await lp.read({ signal: s }), signal, frameTimeoutMs, peerId))
          if (answer.status === Status.BUSY && i === 0) throw busy(peerId)
          if (answer.status === Status.NOT_HELD) yield undefined
          else if (answer.status === Status.BLOCK) yield answer.body
          else throw new PeerMisbehaviourError('PROTOCOL_VIOLATION', `Peer ${peerId} answered a want request with status ${answer.status}.`)
        }
        done = true
        close()
      } finally {
        if (!done) abort(new Error('The block request was abandoned.'))
      }
    }
  }
}

function busy (peerId: string): PeerMisbehaviourError {
  return new PeerMisbehaviourError('PEER_BUSY', `Peer ${peerId} is at its limit for this tab; its blocks are asked of others for a while.`)
}

/**
 * Runs `op` with a signal that fires when `signal` does or after `timeoutMs`. A deadline becomes
 * PEER_STALLED, a libp2p stream error a PeerMisbehaviourError with its code; the caller's own
 * abort is passed on unchanged.
 */
async function withDeadline<T> (op: (signal: AbortSignal) => Promise<T>, signal: AbortSignal, timeoutMs: number, peerId: string): Promise<T> {
  const deadline = new AbortController()
  const timer = setTimeout(() => {
    deadline.abort(new PeerMisbehaviourError('PEER_STALLED', `Peer ${peerId} sent nothing for ${timeoutMs} ms in the middle of an answer.`))
  }, timeoutMs)
  try {
    return await op(AbortSignal.any([signal, deadline.signal]))
  } catch (err) {
    if (signal.aborted) throw signal.reason
    if (err instanceof PeerMisbehaviourError) throw err
    throw new PeerMisbehaviourError(codeOf(err), `Peer ${peerId} broke the block protocol (${(err as Error).message}).`, { cause: err })
  } finally {
    clearTimeout(timer)
  }
}
