import type { NetworkInterfaceInfo } from 'node:os'
import { describe, expect, it } from 'vitest'
import { joinAddresses } from '../../../relay/join.ts'

const iface = (address: string, family: 'IPv4' | 'IPv6', internal = false): NetworkInterfaceInfo =>
  ({ address, family, internal, netmask: '', mac: '00:00:00:00:00:00', cidr: null, ...(family === 'IPv6' ? { scopeid: 0 } : {}) }) as NetworkInterfaceInfo

const interfaces = {
  lo: [iface('127.0.0.1', 'IPv4', true), iface('::1', 'IPv6', true)],
  wlan0: [iface('192.168.1.23', 'IPv4'), iface('fe80::1', 'IPv6'), iface('2001:db8::7', 'IPv6')]
}
const base = { port: 8080, interfaces, requestOrigin: 'http://localhost:8080', behindProxy: false }

describe('the join address', () => {
  it('is the page\'s own origin, not reachable by others, when the relay listens on loopback', () => {
    expect(joinAddresses({ ...base, listenHost: 'localhost' })).toEqual({ urls: ['http://localhost:8080/'], lan: false })
    expect(joinAddresses({ ...base, listenHost: '127.0.0.1' }).lan).toBe(false)
  })

  it('is each LAN IPv4 address of the machine when the relay listens on every interface', () => {
    expect(joinAddresses({ ...base, listenHost: '0.0.0.0' })).toEqual({ urls: ['http://192.168.1.23:8080/'], lan: true })
  })

  it('falls back to global IPv6 addresses, never link-local ones, when there is no IPv4 address', () => {
    const v6only = { eth0: [iface('fe80::1', 'IPv6'), iface('2001:db8::7', 'IPv6')] }
    expect(joinAddresses({ ...base, interfaces: v6only, listenHost: '::' })).toEqual({ urls: ['http://[2001:db8::7]:8080/'], lan: true })
  })

  it('keeps the scheme the page used, so a relay serving https itself gives https addresses', () => {
    expect(joinAddresses({ ...base, listenHost: '0.0.0.0', requestOrigin: 'https://192.168.1.23:8080' })).toEqual({ urls: ['https://192.168.1.23:8080/'], lan: true })
    expect(joinAddresses({ ...base, listenHost: '10.0.0.5', requestOrigin: 'https://10.0.0.5:8080' })).toEqual({ urls: ['https://10.0.0.5:8080/'], lan: true })
  })

  it('is the one address the relay is bound to', () => {
    expect(joinAddresses({ ...base, listenHost: '10.0.0.5' })).toEqual({ urls: ['http://10.0.0.5:8080/'], lan: true })
  })

  it('is the origin the browser used behind a TLS proxy', () => {
    expect(joinAddresses({ ...base, listenHost: '127.0.0.1', behindProxy: true, requestOrigin: 'https://tabtensor.example' }))
      .toEqual({ urls: ['https://tabtensor.example/'], lan: true })
  })

  it('says so when the machine has no network but loopback', () => {
    expect(joinAddresses({ ...base, interfaces: { lo: interfaces.lo }, listenHost: '0.0.0.0' })).toEqual({ urls: ['http://localhost:8080/'], lan: false })
  })
})
