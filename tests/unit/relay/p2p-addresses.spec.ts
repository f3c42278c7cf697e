import { describe, expect, it } from 'vitest'
import { originMultiaddr } from '../../../relay/p2p/addresses.ts'

describe('the relay\'s address at the page\'s origin', () => {
  it('is /ws for an http page and /tls/ws behind https, at the host and port the browser used', () => {
    expect(originMultiaddr({ host: '127.0.0.1:8080', secure: false })).toBe('/ip4/127.0.0.1/tcp/8080/ws')
    expect(originMultiaddr({ host: 'localhost:8080', secure: false })).toBe('/dns/localhost/tcp/8080/ws')
    expect(originMultiaddr({ host: 'Relay.Example.org', secure: true })).toBe('/dns/relay.example.org/tcp/443/tls/ws')
    expect(originMultiaddr({ host: 'relay.example.org', secure: false })).toBe('/dns/relay.example.org/tcp/80/ws')
    expect(originMultiaddr({ host: '[::1]:9000', secure: false })).toBe('/ip6/::1/tcp/9000/ws')
  })

  it('has no address for a Host header that is not a host', () => {
    for (const host of ['', 'a b', 'host:99999', 'host:0', '[zz]:1', 'evil.com/path', 'x:y:z']) {
      expect(originMultiaddr({ host, secure: false })).toBeUndefined()
    }
  })
})
