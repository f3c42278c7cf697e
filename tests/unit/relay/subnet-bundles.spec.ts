/** The subnets' bundles: published at start, the same CIDs on every relay, an index that lists each file. */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { CID } from 'multiformats/cid'
import { afterAll, describe, expect, it } from 'vitest'
import { BundleStore } from '../../../relay/bundle-store.ts'
import { publishSubnetBundles } from '../../../relay/subnet-bundles.ts'
import { assembleBundle, decodeManifest } from '../../../src/net/block-exchange/bundle.ts'
import { decodeSubnetBundle } from '../../../src/subnets/bundle-index.ts'
import { decodeSeries } from '../../../src/subnets/prices/series.ts'
import { SHARD_BYTES } from '../../../src/subnets/storage/constants.ts'
import { BUNDLE_SHARDS } from '../../../src/subnets/storage/shards.ts'

async function readBundle (store: BundleStore, cid: CID): Promise<Uint8Array> {
  const manifest = decodeManifest((await store.get(cid))!)
  return await assembleBundle(manifest, await Promise.all(manifest.chunks.map(async c => (await store.get(c))!)))
}

const history = [{ asset: 'EUR', days: ['2014-12-31', '2015-01-02'], prices: [0.83, 0.831] }]

describe('subnet bundles', () => {
  const dirs: string[] = []
  afterAll(() => { for (const d of dirs) rmSync(d, { recursive: true, force: true }) })
  const open = async (): Promise<BundleStore> => {
    const dir = mkdtempSync(join(tmpdir(), 'tabtensor-subnet-bundles-'))
    dirs.push(dir)
    return await BundleStore.open(dir)
  }

  it('publishes the same CIDs on two relays, and an index naming every file', async () => {
    const a = await publishSubnetBundles(await open(), history)
    const store = await open()
    const b = await publishSubnetBundles(store, history)
    expect(b).toEqual(a)
    expect(a.folding!.cid).toBeNull()
    expect(a.storage!.files).toHaveLength(BUNDLE_SHARDS)
    expect(a.storage!.files.every(f => f.size === SHARD_BYTES)).toBe(true)
    const index = decodeSubnetBundle(await readBundle(store, CID.parse(a.prices!.cid!)))
    expect(index.files.map(f => f.name)).toEqual(['model.onnx', 'series.cbor'])
    const series = decodeSeries(await readBundle(store, CID.parse(index.files[1]!.cid)))
    expect(series).toEqual(history)
  })
})
