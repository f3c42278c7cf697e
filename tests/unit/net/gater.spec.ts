import { multiaddr } from '@multiformats/multiaddr'
import { describe, expect, it } from 'vitest'
import { isLocalNetwork, tabConnectionGater } from '../../../src/net/gater.ts'

const RELAY = '12D3KooWKVAFUR8uNTUctoRxcHmPxHWav5eyTUCn9fvpADk5EAnH'
const at = (host: string): ReturnType<typeof multiaddr> => multiaddr(`${host}/tcp/8080/ws/p2p/${RELAY}`)

describe('the tab connection gater', () => {
  it('calls loopback, private and localhost relays a local network', () => {
    for (const host of ['/ip4/127.0.0.1', '/ip4/192.168.1.20', '/ip4/10.0.0.7', '/ip6/::1', '/dns/localhost']) {
      expect(isLocalNetwork([at(host)])).toBe(true)
    }
  })

  it('does not call a public relay, a mix or no relay at all a local network', () => {
    expect(isLocalNetwork([at('/dns/relay.example.org')])).toBe(false)
    expect(isLocalNetwork([at('/ip4/8.8.8.8')])).toBe(false)
    expect(isLocalNetwork([at('/ip4/127.0.0.1'), at('/ip4/8.8.8.8')])).toBe(false)
    expect(isLocalNetwork([])).toBe(false)
  })

  it('lets a tab on a local network dial insecure WebSockets and loopback addresses', () => {
    const gater = tabConnectionGater([at('/ip4/127.0.0.1')])
    expect(gater.denyDialMultiaddr?.(at('/ip4/127.0.0.1'))).toBe(false)
    expect(gater.denyDialMultiaddr?.(multiaddr(`/ip4/127.0.0.1/tcp/8080/ws/p2p/${RELAY}/p2p-circuit/webrtc`))).toBe(false)
  })

  it('leaves libp2p\'s default in place for a relay on the internet', () => {
    expect(tabConnectionGater([at('/dns/relay.example.org')]).denyDialMultiaddr).toBeUndefined()
  })
})
