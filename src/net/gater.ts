/**
 * The tab's connection gater. A browser's libp2p refuses to dial insecure `ws://` and private or
 * loopback addresses, which is right on the internet. On a local network (a relay at 127.0.0.1,
 * `localhost` or a LAN address) those are the only addresses there are, so the gater is relaxed
 * then, and only then; otherwise libp2p's default applies.
 */
import type { ConnectionGater } from '@libp2p/interface'
import { isPrivate } from '@libp2p/utils'
import type { Multiaddr } from '@multiformats/multiaddr'

/** Whether the relays are on a local network: every address private, loopback or `localhost`. */
export function isLocalNetwork (relayAddrs: readonly Multiaddr[]): boolean {
  return relayAddrs.length > 0 && relayAddrs.every(ma => isPrivate(ma))
}

/** The gater for a tab whose relays are `relayAddrs`: relaxed on a local network, libp2p's default elsewhere. */
export function tabConnectionGater (relayAddrs: readonly Multiaddr[]): ConnectionGater {
  return isLocalNetwork(relayAddrs) ? { denyDialMultiaddr: () => false } : {}
}
