/**
 * The address a phone in the room opens to join: what the demo screen puts in its QR code.
 *
 * A relay bound to loopback (the default) is reachable from this machine only, so the answer is
 * the origin the asking page used and `lan: false`. Bound to every interface (`--host 0.0.0.0`),
 * it is each non-internal IPv4 address of the machine (IPv6 ones only when there is none: phones
 * type and scan IPv4 more reliably), from `node:os`. Bound to one address, it is that address.
 * Behind a TLS proxy (`--behind-proxy`) the origin the browser used is the public one. The
 * scheme is the one the asking page used, so a relay serving https itself (`--tls-cert`) gives
 * https addresses.
 */
import type { NetworkInterfaceInfo } from 'node:os'

export interface JoinInput {
  /** The interface the HTTP server listens on, as configured (`--host`). */
  listenHost: string
  port: number
  /** `os.networkInterfaces()`. */
  interfaces: NodeJS.Dict<NetworkInterfaceInfo[]>
  /** `http(s)://host:port` as the asking browser reached the relay. */
  requestOrigin: string
  behindProxy: boolean
}

export interface JoinAddresses {
  /** Addresses to join at, best first; the first goes in the QR code. */
  urls: string[]
  /** Whether other devices on the local network can reach these addresses. */
  lan: boolean
}

const WILDCARDS = new Set(['0.0.0.0', '::', '[::]', ''])
const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|::1|\[::1\])$/i

function urlOf (scheme: string, host: string, port: number): string {
  return `${scheme}//${host.includes(':') ? `[${host}]` : host}:${port}/`
}

export function joinAddresses ({ listenHost, port, interfaces, requestOrigin, behindProxy }: JoinInput): JoinAddresses {
  const origin = `${requestOrigin.replace(/\/+$/, '')}/`
  if (behindProxy) return { urls: [origin], lan: !LOOPBACK.test(new URL(origin).hostname) }
  if (LOOPBACK.test(listenHost)) return { urls: [origin], lan: false }
  const scheme = new URL(origin).protocol
  if (!WILDCARDS.has(listenHost)) return { urls: [urlOf(scheme, listenHost, port)], lan: true }
  const external = Object.values(interfaces).flatMap(list => list ?? []).filter(i => !i.internal)
  const v4 = external.filter(i => i.family === 'IPv4').map(i => i.address)
  // Link-local IPv6 (fe80::/10) needs a zone id a browser cannot take in a URL.
  const v6 = external.filter(i => i.family === 'IPv6' && !/^fe[89ab]/i.test(i.address)).map(i => i.address)
  const hosts = v4.length > 0 ? v4 : v6
  if (hosts.length === 0) return { urls: [origin], lan: false }
  return { urls: [...new Set(hosts)].map(host => urlOf(scheme, host, port)), lan: true }
}
