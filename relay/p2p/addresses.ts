/**
 * Which multiaddrs reach the relay from a page: the page's own origin with `/ws` (an http page)
 * or `/tls/ws` (https, where a TLS proxy in front of the relay forwards WebSocket upgrades), then
 * the relay's peer id. The host is the one the browser used (the request's Host header, or the
 * proxy's X-Forwarded-Host when the relay trusts its proxy), so the address works from wherever
 * the page was opened.
 */
import { isIPv4, isIPv6 } from 'node:net'

export interface PageOrigin {
  /** `host[:port]` as the browser sent it. */
  host: string
  secure: boolean
}

/** The `/ws` or `/tls/ws` multiaddr (without peer id) of the relay at the page's origin, or undefined for a host that is not one. */
export function originMultiaddr ({ host, secure }: PageOrigin): string | undefined {
  const match = /^(\[[0-9a-f:.]+\]|[^:[\]/]+)(?::(\d{1,5}))?$/i.exec(host)
  if (match === null) return undefined
  const name = match[1]!.replace(/^\[|\]$/g, '')
  const port = match[2] === undefined ? (secure ? 443 : 80) : Number(match[2])
  if (port < 1 || port > 65535) return undefined
  const ip = isIPv4(name) ? `/ip4/${name}` : isIPv6(name) ? `/ip6/${name}` : /^[a-z0-9.-]+$/i.test(name) ? `/dns/${name.toLowerCase()}` : undefined
  if (ip === undefined) return undefined
  return `${ip}/tcp/${port}${secure ? '/tls/ws' : '/ws'}`
}
