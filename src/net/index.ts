/**
 * The tab's network layer: its libp2p node (`createTabNode`) and the pieces the relay shares with
 * it (peer discovery, relay links, address rules).
 */
export { createTabNode, type NetworkStats, type PeerView, type TabNode, type TabNodeInit, type TabServices } from './tab-node.ts'
export { connectionKind, WEBRTC_MULTIPLEXER, type ConnectionKind } from './addresses.ts'
export { InvalidIdentityError, InvalidRelayAddressError } from './errors.ts'
export type { GossipHub, GossipMessage, GossipStats, TopicKind } from './gossip/index.ts'
export { installTestHook } from './gossip/test-hook.ts'
