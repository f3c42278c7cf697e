/**
 * A peer record: the addresses a tab can be reached at, canonical CBOR `{addrs: [bytes]}` with
 * each address in its binary multiaddr form. Every address must be a relay address of the tab
 * (`…/p2p-circuit[/webrtc]/p2p/<tab>`) and all must name the same tab; on gossip that tab must
 * also be the message's signer, so nobody can announce addresses for another tab.
 */
import { multiaddr, type Multiaddr } from '@multiformats/multiaddr'
import { decode, encode, readBytes, readList, record } from '../../core/codec.ts'
import { isTabAddress, peerIdOf } from '../addresses.ts'
import { InvalidPeerRecordError } from './errors.ts'
import { MAX_PEER_RECORD_BYTES, MAX_RECORD_ADDRS } from './constants.ts'

export interface PeerRecord {
  peerId: string
  /** WebRTC addresses first. */
  addrs: Multiaddr[]
}

export function encodePeerRecord (addrs: readonly Multiaddr[]): Uint8Array {
  return encode(peerRecordValue(addrs))
}

/** The record as a CBOR value, for embedding in a peer-exchange answer. */
export function peerRecordValue (addrs: readonly Multiaddr[]): { addrs: Uint8Array[] } {
  return { addrs: addrs.map(ma => ma.bytes) }
}

export function decodePeerRecord (bytes: Uint8Array, signer?: string): PeerRecord {
  let value: unknown
  try {
    value = decode(bytes, MAX_PEER_RECORD_BYTES, 'peer record')
  } catch (err) {
    throw new InvalidPeerRecordError((err as Error).message)
  }
  return readPeerRecord(value, signer)
}

/** Checks a decoded record; `signer`, when given, is the peer id that must own every address. */
export function readPeerRecord (value: unknown, signer?: string): PeerRecord {
  let raw: unknown[]
  try {
    raw = readList(record(value, ['addrs'], 'peer record').addrs, 'addrs', MAX_RECORD_ADDRS)
  } catch (err) {
    throw new InvalidPeerRecordError((err as Error).message)
  }
  if (raw.length === 0) throw new InvalidPeerRecordError('A peer record lists no address.')
  const addrs = raw.map(bytes => {
    try {
      return multiaddr(readBytes(bytes, 'addrs'))
    } catch {
      throw new InvalidPeerRecordError('A peer record holds bytes that are not a multiaddr.')
    }
  })
  const peerId = peerIdOf(addrs[0]!)
  for (const ma of addrs) {
    if (!isTabAddress(ma)) throw new InvalidPeerRecordError(`${ma.toString()} is not a relay address of a tab.`)
    if (peerIdOf(ma) !== peerId) throw new InvalidPeerRecordError('A peer record names more than one peer.')
  }
  if (peerId === undefined || (signer !== undefined && peerId !== signer)) {
    throw new InvalidPeerRecordError('A peer record announces addresses of a peer other than its signer.')
  }
  return { peerId, addrs }
}
