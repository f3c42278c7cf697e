/**
 * The relay as a seed: it serves the blocks of the bundles it publishes over
 * `/tabtensor/blocks/1.1.0` (and 1.0.0), to tabs on their WebSocket connection to it. Tabs ask a
 * relay only for blocks no tab they are connected to holds, so what the relay serves is what its
 * peers could not; its counts are in `GET /api/bundles`.
 */
import type { Libp2p } from '@libp2p/interface'
import { BlockExchange } from '../../src/net/block-exchange/index.ts'
import type { BundleStore } from '../bundle-store.ts'

export async function seedBundles (node: Pick<Libp2p, 'handle' | 'unhandle' | 'getConnections'>, store: BundleStore): Promise<BlockExchange> {
  const blocks = new BlockExchange({ libp2p: node, store })
  await blocks.start()
  return blocks
}
