/**
 * A hook for browser tests, and only for them: it exists only when the page was opened with
 * `window.__tabtensorTestHooks = true` set before any of its scripts ran (a test's init script
 * does that; nothing in the app does). It hands the test the tab's node, and lets it publish raw
 * bytes on a topic — not wrapped, signed or checked — to play a tab that misbehaves. It grants
 * nothing the page's own code could not do; it only saves a test from reaching into the bundle.
 */
import type { TabNode } from '../tab-node.ts'
import { peerScore } from './scoring.ts'
import type { TopicKind } from './topics.ts'

/** Set to `true` on `window` before the page loads to get the hook. */
export const TEST_HOOKS_FLAG = '__tabtensorTestHooks'
/** Where the hook appears on `window` once the tab's node has started. */
export const TEST_HOOK = '__tabtensorTest'

export interface GossipTestHook {
  node: TabNode
  /** Publishes `bytes` as they are on `kind`'s topic; resolves with how many peers they were sent to. */
  publishRaw (kind: TopicKind, bytes: Uint8Array): Promise<number>
  /** This tab's gossipsub score of `peerId`. */
  score (peerId: string): number
}

/** Installs the hook for `node` if the page asked for test hooks; otherwise does nothing. */
export function installTestHook (node: TabNode): void {
  const scope = globalThis as Record<string, unknown>
  if (scope[TEST_HOOKS_FLAG] !== true || node.gossip === undefined) return
  const gossip = node.gossip
  const pubsub = node.libp2p.services.pubsub
  const hook: GossipTestHook = {
    node,
    publishRaw: async (kind, bytes) => (await pubsub.publish(gossip.topic(kind), bytes)).recipients.length,
    score: peerId => peerScore(pubsub, peerId)
  }
  scope[TEST_HOOK] = hook
}
