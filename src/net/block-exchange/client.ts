/**
 * The asking side of `/tabtensor/blocks/1.1.0` over one libp2p connection: `have` asks which
 * blocks a peer holds, `want` streams blocks back in request order.
 *
 * A source keeps one stream (a session) to its peer and sends every request on it, up to
 * `MAX_PIPELINED_REQUESTS` ahead of the answers, which come back in request order. Over WebRTC a
 * libp2p stream is a data channel of its own, opened with a round trip of protocol negotiation and
 * closed with another: a stream per request paid those on every request, and the answers of
 * parallel streams, sent round-robin, all ended at once and left the link idle while the next
 * requests went out. On one session the next answer follows the last without a gap, as on a bare
 * data channel. `close()` ends the session once its answers are in; a later request opens another.
 *
 * Every frame read has a deadline (`FRAME_TIMEOUT_MS`), so a peer that stalls mid-answer fails its
 * requests instead of holding them; every failure is a `PeerMisbehaviourError` whose code says what
 * went wrong, and the first failure on a session fails every request on it. A request abandoned in
 * the middle of its answer ends the session too (the rest of its answer cannot be told from the
 * next one): the others fail with `SessionEndedError`, which blames nobody, since whoever abandoned
 * it knows why. These do not check blocks against their CIDs: the fetcher does, before anything
 * reaches a store.
 */
import type { Connection, Stream } from '@libp2p/interface'
import { lpStream, type LengthPrefixedStream } from '@libp2p/utils'
import type { CID } from 'multiformats/cid'
import { BLOCKS_PROTOCOL, FRAME_TIMEOUT_MS, MAX_ANSWER_BYTES, MAX_PIPELINED_REQUESTS, MAX_WANT_BUFFER_BYTES } from './constants.ts'
import { codeOf, PeerMisbehaviourError, SessionEndedError } from './errors.ts'
import { decodeAnswer, decodeHave, encodeRequest, Status, type Answer, type RequestKind } from './wire.ts'

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
  /** Lets go of the stream to the peer once the answers asked for are in; a later request opens another. */
  close (): void
}

/** One stream to the peer and the requests on it. */
interface Session {
  lp: Promise<LengthPrefixedStream>
  stream?: Stream
  /** Settles when the last request queued so far is written. */
  written: Promise<void>
  /** One promise per request whose answer is not read yet, oldest first; each settles when its answer is read. */
  pending: Array<Promise<void>>
  /** The first failure, which every later request on the session meets too. */
  failure?: Error
  /** Whether to close the stream when nothing is pending. */
  closing: boolean
}

/** A request sent on a session, from the asker's side. */
interface Request {
  /** The session's stream, once the request is written and every earlier answer read. */
  turn: Promise<LengthPrefixedStream>
  /** The next frame of the answer; a failure ends the session. */
  read: (lp: LengthPrefixedStream) => Promise<Answer>
  /** Ends the session for an answer that breaks the protocol; returns the error to throw. */
  violation: (message: string) => Error
  /** Ends the session with `err`; returns the error to throw. */
  fail: (err: Error) => Error
  /** Marks the answer read in full: the next request's turn. */
  done: () => void
  /** Lets go of the request: one not done by now ends its session. */
  end: () => void
}

/** A `BlockSource` over `connection`, which must not be a limited (relayed) one. */
export function connectionSource (connection: Pick<Connection, 'newStream' | 'remotePeer'>, kind: ProviderKind, frameTimeoutMs = FRAME_TIMEOUT_MS): BlockSource {
  const peerId = connection.remotePeer.toString()
  let current: Session | undefined

  function open (signal: AbortSignal): Session {
    const session: Session = { lp: Promise.resolve() as never, written: Promise.resolve(), pending: [], closing: false }
    session.lp = (async () => {
      const stream = await guard(session, signal, async s => await connection.newStream(BLOCKS_PROTOCOL, { signal: s }))
      session.stream = stream
      if (session.failure !== undefined) stream.abort(session.failure)
      // The answers to every request sent ahead may wait here while the oldest is read.
      return lpStream(stream, { maxDataLength: MAX_ANSWER_BYTES, maxBufferSize: MAX_PIPELINED_REQUESTS * MAX_WANT_BUFFER_BYTES })
    })()
    session.lp.catch(() => {})
    return session
  }

  /** Ends `session` with `err`; every request on it fails with the first such error, which this returns. */
  function fail (session: Session, err: Error): Error {
    session.failure ??= err
    if (current === session) current = undefined
    session.stream?.abort(session.failure)
    return session.failure
  }

  /**
   * Runs `op` on `session` under a frame deadline. A deadline becomes PEER_STALLED, a libp2p
   * stream error a PeerMisbehaviourError with its code, and either ends the session; the caller's
   * own abort is passed on unchanged.
   */
  async function guard<T> (session: Session, signal: AbortSignal, op: (signal: AbortSignal) => Promise<T>): Promise<T> {
    if (session.failure !== undefined) throw session.failure
    const deadline = new AbortController()
    const timer = setTimeout(() => {
      deadline.abort(new PeerMisbehaviourError('PEER_STALLED', `Peer ${peerId} sent nothing for ${frameTimeoutMs} ms in the middle of an answer.`))
    }, frameTimeoutMs)
    try {
      return await op(AbortSignal.any([signal, deadline.signal]))
    } catch (err) {
      if (signal.aborted) throw signal.reason
      if (session.failure !== undefined) throw session.failure
      throw fail(session, err instanceof PeerMisbehaviourError ? err : new PeerMisbehaviourError(codeOf(err), `Peer ${peerId} broke the block protocol (${(err as Error).message}).`, { cause: err }))
    } finally {
      clearTimeout(timer)
    }
  }

  /**
   * Sends a request on the current session (opening one if needed); its `turn` comes when every
   * earlier answer is read, since answers come in the order requests were sent.
   */
  function send (kind: RequestKind, cids: CID[], signal: AbortSignal): Request {
    const encoded = encodeRequest({ kind, cids })
    const session = current ??= open(signal)
    const earlier = session.pending.at(-1)
    // The asker buffers whatever is sent, so at most MAX_PIPELINED_REQUESTS answers are outstanding.
    const room = session.pending.at(-MAX_PIPELINED_REQUESTS)
    let answered!: () => void
    const mine = new Promise<void>(resolve => { answered = resolve })
    session.pending.push(mine)
    const before = session.written
    const written = (async () => {
      const lp = await session.lp
      await before
      await room
      await guard(session, signal, async s => { await lp.write(encoded, { signal: s }) })
      return lp
    })()
    session.written = written.then(() => {}, () => {})
    const turn = (async () => {
      const lp = await written
      await earlier
      if (session.failure !== undefined) throw session.failure
      return lp
    })()
    turn.catch(() => {})
    let finished = false
    const done = (): void => {
      if (finished) return
      finished = true
      session.pending.splice(session.pending.indexOf(mine), 1)
      answered()
      if (session.closing && session.pending.length === 0) session.stream?.close().catch(() => {})
    }
    return {
      turn,
      read: async lp => {
        const frame = await guard(session, signal, async s => await lp.read({ signal: s }))
        try {
          return decodeAnswer(frame)
        } catch (err) {
          throw fail(session, err as Error)
        }
      },
      violation: message => fail(session, new PeerMisbehaviourError('PROTOCOL_VIOLATION', `Peer ${peerId} ${message}`)),
      fail: err => fail(session, err),
      done,
      end: () => {
        if (!finished) fail(session, new SessionEndedError(`A block request to peer ${peerId} was abandoned in the middle of its answer.`))
        done()
      }
    }
  }

  return {
    peerId,
    kind,
    async have (cids, signal) {
      const request = send('have', cids, signal)
      try {
        const answer = await request.read(await request.turn)
        request.done()
        if (answer.status === Status.BUSY) throw busy(peerId)
        if (answer.status !== Status.HAVE) throw request.violation(`answered a have request with status ${answer.status}.`)
        try {
          return decodeHave(answer.body, cids.length)
        } catch (err) {
          throw request.fail(err as Error)
        }
      } finally {
        request.end()
      }
    },
    async * want (cids, signal) {
      const request = send('want', cids, signal)
      try {
        const lp = await request.turn
        for (let i = 0; i < cids.length; i++) {
          const answer = await request.read(lp)
          if (answer.status === Status.BUSY && i === 0) {
            request.done()
            throw busy(peerId)
          }
          if (answer.status !== Status.NOT_HELD && answer.status !== Status.BLOCK) throw request.violation(`answered a want request with status ${answer.status}.`)
          // Read in full: the next answer may be read while the caller checks this block.
          if (i === cids.length - 1) request.done()
          yield answer.status === Status.BLOCK ? answer.body : undefined
        }
      } finally {
        request.end()
      }
    },
    close () {
      const session = current
      if (session === undefined) return
      current = undefined
      session.closing = true
      if (session.pending.length === 0) session.lp.then(() => { session.stream?.close().catch(() => {}) }, () => {})
    }
  }
}

function busy (peerId: string): PeerMisbehaviourError {
  return new PeerMisbehaviourError('PEER_BUSY', `Peer ${peerId} is at its limit for this tab; its blocks are asked of others for a while.`)
}
