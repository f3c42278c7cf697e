/**
 * The subnets' bundles, published by the relay at start from what it holds, deterministically (the
 * same bytes, so the same CIDs, on every relay): prices ships the baseline ONNX model and the
 * replay series; storage ships its generated shards; folding ships nothing (its tasks are
 * generated). Each file is a bundle, and each subnet's index of files is a bundle too, whose CID
 * `GET /api/bundles/subnets` lists — the one pointer a tab takes from the relay; the rest it
 * fetches by hash.
 */
import type { BundleStore } from './bundle-store.ts'
import { encodeSubnetBundle, type SubnetBundle } from '../src/subnets/bundle-index.ts'
import { baselineModel } from '../src/subnets/prices/baseline-model.ts'
import { PRICES_MODEL_FILE, PRICES_SERIES_FILE } from '../src/subnets/prices/constants.ts'
import type { PriceSeries } from '../src/subnets/prices/history.ts'
import { encodeSeries } from '../src/subnets/prices/series.ts'
import { BUNDLE_SHARDS, generatedShard } from '../src/subnets/storage/shards.ts'

/** Name of the i-th shard in the storage bundle. */
export const shardFile = (i: number): string => `shard-${String(i).padStart(2, '0')}`

export interface PublishedSubnetBundle extends SubnetBundle {
  /** CID of the index bundle; null for a subnet that ships nothing. */
  cid: string | null
}

async function publishIndex (store: BundleStore, subnet: string, files: Array<{ name: string, bytes: Uint8Array }>): Promise<PublishedSubnetBundle> {
  const published = []
  for (const f of files) {
    const p = await store.publish(f.bytes, `${subnet}/${f.name}`)
    published.push({ name: f.name, cid: p.cid, size: p.size })
  }
  const bundle = { subnet, files: published }
  const index = await store.publish(encodeSubnetBundle(bundle), `${subnet}/index`)
  return { ...bundle, cid: index.cid }
}

export async function publishSubnetBundles (store: BundleStore, history: readonly PriceSeries[]): Promise<Record<string, PublishedSubnetBundle>> {
  return {
    folding: { subnet: 'folding', files: [], cid: null },
    prices: await publishIndex(store, 'prices', [
      { name: PRICES_MODEL_FILE, bytes: baselineModel() },
      { name: PRICES_SERIES_FILE, bytes: encodeSeries(history) }
    ]),
    storage: await publishIndex(store, 'storage', Array.from({ length: BUNDLE_SHARDS }, (_, i) => ({ name: shardFile(i), bytes: generatedShard(i) })))
  }
}
