import { multiaddr } from '@multiformats/multiaddr'
import { describe, expect, it } from 'vitest'
import { encode } from '../../../../src/core/codec.ts'
import { MAX_PEER_RECORD_BYTES, MAX_RECORD_ADDRS } from '../../../../src/net/discovery/constants.ts'
import { InvalidPeerRecordError } from '../../../../src/net/discovery/errors.ts'
import { decodePeerExchange, encodePeerExchange } from '../../../../src/net/discovery/peer-exchange.ts'
import { decodePeerRecord, encodePeerRecord } from '../../../../src/net/discovery/record.ts'

const RELAY = '12D3KooWKVAFUR8uNTUctoRxcHmPxHWav5eyTUCn9fvpADk5EAnH'
const TAB = '12D3KooWDLR1YBTi6n6gFbFPswECXeMMBWQhcyJbZYmrtB5p2fQa'
const OTHER = '12D3KooWJPSM76uJYRaYpfmgVmgk4jUKbsByAFRmXvFThrMwFLxG'
const relay = `/ip4/127.0.0.1/tcp/8080/ws/p2p/${RELAY}`
const addrsOf = (peer: string) => [multiaddr(`${relay}/p2p-circuit/webrtc/p2p/${peer}`), multiaddr(`${relay}/p2p-circuit/p2p/${peer}`)]

describe('peer records', () => {
  it('round-trips a tab\'s relay addresses', () => {
    const record = decodePeerRecord(encodePeerRecord(addrsOf(TAB)), TAB)
    expect(record.peerId).toBe(TAB)
    expect(record.addrs.map(String)).toEqual(addrsOf(TAB).map(String))
  })

  it('refuses a record signed by another peer than the one it names', () => {
    expect(() => decodePeerRecord(encodePeerRecord(addrsOf(TAB)), OTHER)).toThrow(InvalidPeerRecordError)
  })

  it('refuses records that mix peers, list no address, or list addresses that are not a tab\'s', () => {
    expect(() => decodePeerRecord(encodePeerRecord([...addrsOf(TAB), ...addrsOf(OTHER)]))).toThrow(/more than one peer/)
    expect(() => decodePeerRecord(encodePeerRecord([]))).toThrow(/no address/)
    expect(() => decodePeerRecord(encodePeerRecord([multiaddr(relay)]))).toThrow(/not a relay address of a tab/)
    expect(() => decodePeerRecord(encodePeerRecord([multiaddr(`${relay}/p2p-circuit`)]))).toThrow(InvalidPeerRecordError)
  })

  it('refuses garbage, oversized, non-canonical and over-long input', () => {
    expect(() => decodePeerRecord(new Uint8Array([0xff, 0x00, 0x13]))).toThrow(InvalidPeerRecordError)
    expect(() => decodePeerRecord(new Uint8Array(MAX_PEER_RECORD_BYTES + 1))).toThrow(/limit/)
    expect(() => decodePeerRecord(encode({ addrs: [new Uint8Array([1, 2, 3])] }))).toThrow(/not a multiaddr/)
    expect(() => decodePeerRecord(encode({ addrs: addrsOf(TAB).map(a => a.bytes), extra: 1 }))).toThrow(/unknown field/)
    const many = Array.from({ length: MAX_RECORD_ADDRS + 1 }, () => addrsOf(TAB)[0]!)
    expect(() => decodePeerRecord(encodePeerRecord(many))).toThrow(InvalidPeerRecordError)
  })
})

describe('peer exchange answers', () => {
  it('round-trip, keeping the valid records and dropping the invalid ones', () => {
    const bytes = encode({ peers: [{ addrs: addrsOf(TAB).map(a => a.bytes) }, { addrs: [] }, { addrs: addrsOf(OTHER).map(a => a.bytes) }] })
    expect(decodePeerExchange(bytes).map(r => r.peerId)).toEqual([TAB, OTHER])
    const again = decodePeerExchange(encodePeerExchange([{ peerId: TAB, addrs: addrsOf(TAB) }]))
    expect(again[0]!.addrs.map(String)).toEqual(addrsOf(TAB).map(String))
  })

  it('refuses an answer that is not a map of peers', () => {
    expect(() => decodePeerExchange(encode([1, 2]))).toThrow(InvalidPeerRecordError)
    expect(() => decodePeerExchange(encode({ peers: 'none' }))).toThrow(InvalidPeerRecordError)
  })
})
