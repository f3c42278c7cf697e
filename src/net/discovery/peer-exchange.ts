/**
 * Peer exchange: a tab that has just reached its relay opens one stream, and the relay answers
 * with one length-prefixed message, canonical CBOR `{peers: [peer record, …]}`, a random sample of
 * the announcements it has heard, then closes. The tab checks every record as it would a gossip
 * announcement (minus the signature, which the relay does not keep): a lying relay can only hand
 * out addresses that fail to connect, as it could by refusing to relay the signalling anyway.
 */
import type { AbortOptions, Connection, Stream } from '@libp2p/interface'
import { lpStream } from '@libp2p/utils'
import { decode, encode, readList, record } from '../../core/codec.ts'
import { InvalidPeerRecordError } from './errors.ts'
import { MAX_EXCHANGED_PEERS, MAX_PEER_EXCHANGE_BYTES, PEER_EXCHANGE_PROTOCOL } from './constants.ts'
import { peerRecordValue, readPeerRecord, type PeerRecord } from './record.ts'

export function encodePeerExchange (peers: readonly PeerRecord[]): Uint8Array {
  return encode({ peers: peers.slice(0, MAX_EXCHANGED_PEERS).map(p => peerRecordValue(p.addrs)) })
}

/** The valid records of an answer; invalid ones are dropped, a malformed answer throws. */
export function decodePeerExchange (bytes: Uint8Array): PeerRecord[] {
  let list: unknown[]
  try {
    list = readList(record(decode(bytes, MAX_PEER_EXCHANGE_BYTES, 'peer exchange'), ['peers'], 'peer exchange').peers, 'peers', MAX_EXCHANGED_PEERS)
  } catch (err) {
    throw new InvalidPeerRecordError((err as Error).message)
  }
  const peers: PeerRecord[] = []
  for (const value of list) {
    try {
      peers.push(readPeerRecord(value))
    } catch {}
  }
  return peers
}

/** Answers one peer-exchange stream with `answer()`. */
export async function answerPeerExchange (stream: Stream, answer: () => readonly PeerRecord[], options: AbortOptions): Promise<void> {
  const lp = lpStream(stream, { maxDataLength: MAX_PEER_EXCHANGE_BYTES })
  await lp.write(encodePeerExchange(answer()), options)
  await stream.close(options)
}

/** Asks the peer at the far end of `connection` for the peers it knows. */
export async function requestPeerExchange (connection: Pick<Connection, 'newStream'>, options: Required<AbortOptions>): Promise<PeerRecord[]> {
  const stream = await connection.newStream(PEER_EXCHANGE_PROTOCOL, options)
  try {
    const lp = lpStream(stream, { maxDataLength: MAX_PEER_EXCHANGE_BYTES })
    const bytes = await lp.read(options)
    await stream.close(options)
    return decodePeerExchange(bytes.subarray())
  } catch (err) {
    stream.abort(err as Error)
    throw err
  }
}
