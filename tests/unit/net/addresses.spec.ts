import { multiaddr } from '@multiformats/multiaddr'
import { describe, expect, it } from 'vitest'
import { announceableAddrs, connectionKind, isTabAddress, peerIdOf, WEBRTC_MULTIPLEXER } from '../../../src/net/addresses.ts'

const RELAY = '12D3KooWKVAFUR8uNTUctoRxcHmPxHWav5eyTUCn9fvpADk5EAnH'
const TAB = '12D3KooWDLR1YBTi6n6gFbFPswECXeMMBWQhcyJbZYmrtB5p2fQa'
const OTHER = '12D3KooWJPSM76uJYRaYpfmgVmgk4jUKbsByAFRmXvFThrMwFLxG'
const relay = `/ip4/127.0.0.1/tcp/8080/ws/p2p/${RELAY}`
const webrtc = multiaddr(`${relay}/p2p-circuit/webrtc/p2p/${TAB}`)
const relayed = multiaddr(`${relay}/p2p-circuit/p2p/${TAB}`)

describe('tab addresses', () => {
  it('tells a direct WebRTC connection by its missing limits and its multiplexer, not by its address', () => {
    // A direct connection's remote address still holds the /p2p-circuit signalling path.
    expect(connectionKind({ limits: undefined, multiplexer: WEBRTC_MULTIPLEXER, remoteAddr: webrtc })).toBe('direct')
    expect(connectionKind({ limits: {}, multiplexer: '/yamux/1.0.0', remoteAddr: relayed })).toBe('relayed')
    expect(connectionKind({ limits: { bytes: 1n }, multiplexer: WEBRTC_MULTIPLEXER, remoteAddr: webrtc })).toBe('relayed')
    expect(connectionKind({ limits: undefined, multiplexer: '/yamux/1.0.0', remoteAddr: multiaddr(relay) })).toBe('other')
  })

  it('reads the peer id an address ends with', () => {
    expect(peerIdOf(webrtc)).toBe(TAB)
    expect(peerIdOf(multiaddr(relay))).toBe(RELAY)
    expect(peerIdOf(multiaddr(`${relay}/p2p-circuit`))).toBeUndefined()
  })

  it('announces only its own relay addresses, WebRTC first', () => {
    const own = [relayed, multiaddr(relay), webrtc, multiaddr(`${relay}/p2p-circuit/webrtc/p2p/${OTHER}`), multiaddr('/ip4/127.0.0.1/tcp/1/ws')]
    expect(announceableAddrs(own, TAB).map(String)).toEqual([webrtc.toString(), relayed.toString()])
    expect(isTabAddress(multiaddr(relay))).toBe(false)
  })
})
