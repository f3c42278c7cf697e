/**
 * The task protocol on libp2p streams (`/tabtensor/task/1.0.0`): the validator opens a stream to
 * the miner, writes one length-prefixed SignedTask frame; the miner answers with one SignedResult
 * frame, or an error frame `{error, message}` when it refuses (busy, wrong subnet, bad task), and
 * the stream closes. Frames over their cap reset the stream. Only direct connections carry it:
 * a relayed connection is limited in time and bytes and is the relay's to spend on signalling.
 *
 * Peer ids are hotkeys (src/net/identity.ts), so a validator finds a miner's peer id from the
 * metagraph alone and dials it through the relay's WebRTC signalling.
 */
import { publicKeyFromRaw } from '@libp2p/crypto/keys'
import type { AbortOptions, Connection, PeerId, Stream } from '@libp2p/interface'
import { peerIdFromPublicKey } from '@libp2p/peer-id'
import { lpStream } from '@libp2p/utils'
import { multiaddr, type Multiaddr } from '@multiformats/multiaddr'
import { decode, encode, readString, record } from '../../core/codec.ts'
import { MAX_RESULT_FRAME_BYTES, MAX_TASK_FRAME_BYTES, TASK_PROTOCOL } from './constants.ts'
import { AgentError, type AgentErrorCode } from './errors.ts'
import { decodeTask, type SignedTask } from './wire.ts'

/** The parts of a libp2p node the task protocol uses. */
export interface TaskNode {
  handle (protocol: string, handler: (stream: Stream, connection: Connection) => void, options?: { runOnLimitedConnection?: boolean }): Promise<void>
  unhandle (protocol: string): Promise<void>
  dialProtocol (peer: PeerId | Multiaddr | Multiaddr[], protocols: string, options?: AbortOptions): Promise<Stream>
}

/** Longest error message sent or read, in characters. */
const MAX_ERROR_MESSAGE = 512

/** The libp2p peer id of a hotkey. */
export function peerIdOfHotkey (hotkey: Uint8Array): PeerId {
  return peerIdFromPublicKey(publicKeyFromRaw(hotkey))
}

/** Where to dial a tab for a direct connection: through each relay's WebRTC signalling. */
export function tabDialAddrs (relayAddrs: readonly string[], peer: PeerId): Multiaddr[] {
  return relayAddrs.map(a => multiaddr(`${a}/p2p-circuit/webrtc/p2p/${peer.toString()}`))
}

function errorFrame (code: AgentErrorCode, message: string): Uint8Array {
  return encode({ error: code, message: message.slice(0, MAX_ERROR_MESSAGE) })
}

/** The refusal an error frame carries, or undefined when `bytes` is not an error frame. */
export function readErrorFrame (bytes: Uint8Array): { code: string, message: string } | undefined {
  try {
    const f = record(decode(bytes, MAX_RESULT_FRAME_BYTES), ['error', 'message'], 'error frame')
    return { code: readString(f.error, 'error', 32), message: readString(f.message, 'message', MAX_ERROR_MESSAGE) }
  } catch {
    return undefined
  }
}

/**
 * Serves the task protocol: each stream's task goes to `answer`, whose SignedResult bytes are sent
 * back; an `AgentError` it throws goes back as an error frame. Never throws.
 */
export async function serveTasks (node: TaskNode, answer: (task: SignedTask, peer: PeerId) => Promise<Uint8Array>): Promise<() => Promise<void>> {
  await node.handle(TASK_PROTOCOL, (stream, connection) => {
    void (async () => {
      const lp = lpStream(stream, { maxDataLength: MAX_TASK_FRAME_BYTES, maxBufferSize: MAX_TASK_FRAME_BYTES + 16 })
      let bytes: Uint8Array
      try {
        bytes = (await lp.read()).subarray()
      } catch (err) {
        stream.abort(err as Error)
        return
      }
      let reply: Uint8Array
      try {
        reply = await answer(decodeTask(bytes), connection.remotePeer)
      } catch (err) {
        reply = err instanceof AgentError ? errorFrame(err.code, err.message) : errorFrame('MALFORMED', 'The miner failed on this task.')
      }
      try {
        await lp.write(reply)
        await stream.close()
      } catch (err) {
        stream.abort(err as Error)
      }
    })()
  }, { runOnLimitedConnection: false })
  return async () => { await node.unhandle(TASK_PROTOCOL) }
}

/**
 * Opens a task stream to `target` (dialled if not yet connected). Throws LATE when the dial took
 * longer than `timeoutMs`, UNREACHABLE when it failed. Validators open streams before they make a
 * round's tasks, so a task's deadline measures the miner's answer, not the dial.
 */
export async function openTaskStream (node: TaskNode, target: PeerId | Multiaddr | Multiaddr[], timeoutMs: number): Promise<Stream> {
  const signal = AbortSignal.timeout(timeoutMs)
  try {
    return await node.dialProtocol(target, TASK_PROTOCOL, { signal })
  } catch (err) {
    throw new AgentError(signal.aborted ? 'LATE' : 'UNREACHABLE', `The miner could not be reached: ${(err as Error).message}`, { cause: err })
  }
}

/**
 * Sends `task` on an open task stream and returns the answer's bytes, unchecked. Throws LATE when
 * no answer came within `timeoutMs`, UNREACHABLE when the stream failed.
 */
export async function exchangeTask (stream: Stream, task: SignedTask, timeoutMs: number): Promise<Uint8Array> {
  const signal = AbortSignal.timeout(timeoutMs)
  try {
    const lp = lpStream(stream, { maxDataLength: MAX_RESULT_FRAME_BYTES, maxBufferSize: MAX_RESULT_FRAME_BYTES + 16 })
    await lp.write(task.bytes, { signal })
    const bytes = (await lp.read({ signal })).subarray()
    await stream.close({ signal }).catch(() => {})
    return bytes
  } catch (err) {
    stream.abort(err as Error)
    if (signal.aborted) throw new AgentError('LATE', `No result came within ${Math.round(timeoutMs / 1000)} s.`, { cause: err })
    throw new AgentError('UNREACHABLE', `The miner's stream failed: ${(err as Error).message}`, { cause: err })
  }
}
