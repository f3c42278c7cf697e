/**
 * What a tab's addresses and connections are. A tab has no address of its own: other tabs reach
 * it through a relay, at `<relay>/p2p-circuit/webrtc/p2p/<tab>` to set up a direct WebRTC
 * connection (the relay carries only the signalling) or at `<relay>/p2p-circuit/p2p/<tab>` for a
 * relayed one, which the relay limits in time and bytes.
 *
 * A direct WebRTC connection's remote address still contains `/p2p-circuit` (the signalling
 * path), so a connection is told direct by having no limits and WebRTC's own multiplexer.
 */
import type { Connection } from '@libp2p/interface'
import { multiaddr, type Multiaddr } from '@multiformats/multiaddr'
import { Circuit, WebRTC } from '@multiformats/multiaddr-matcher'

/** The stream multiplexer of a direct WebRTC connection (data channels), as `Connection.multiplexer` names it. */
export const WEBRTC_MULTIPLEXER = '/webrtc'

/** How a tab is connected to a peer: over WebRTC, or through a relay with limits. */
export type ConnectionKind = 'direct' | 'relayed' | 'other'

export function connectionKind (conn: Pick<Connection, 'limits' | 'multiplexer' | 'remoteAddr'>): ConnectionKind {
  if (conn.limits == null && conn.multiplexer === WEBRTC_MULTIPLEXER) return 'direct'
  if (conn.limits != null || Circuit.exactMatch(conn.remoteAddr)) return 'relayed'
  return 'other'
}

/** The peer id an address ends with (`…/p2p/<id>`), if it ends with one. */
export function peerIdOf (ma: Multiaddr): string | undefined {
  const last = ma.getComponents().at(-1)
  return last?.name === 'p2p' ? last.value : undefined
}

/** Whether `ma` is a way to reach a tab through a relay: WebRTC signalling or a relayed connection. */
export function isTabAddress (ma: Multiaddr): boolean {
  return WebRTC.exactMatch(ma) || Circuit.exactMatch(ma)
}

/** Of a tab's own listening addresses, the ones other tabs can dial, WebRTC first. */
export function announceableAddrs (addrs: readonly Multiaddr[], self: string): Multiaddr[] {
  const usable = addrs.filter(ma => isTabAddress(ma) && peerIdOf(ma) === self)
  return [...usable.filter(ma => WebRTC.exactMatch(ma)), ...usable.filter(ma => !WebRTC.exactMatch(ma))]
}

/** Parses relay addresses; each must name the relay's peer id (`…/p2p/<id>`). */
export function parseRelayAddrs (addrs: readonly string[]): Multiaddr[] {
  return addrs.map(a => multiaddr(a))
}
