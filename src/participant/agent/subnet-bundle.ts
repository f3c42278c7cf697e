/**
 * Fetching a subnet's bundle in a tab: the relay's `/api/bundles/subnets` names the index's CID
 * (the one thing taken on the relay's word); the index and every file named in it are fetched
 * by CID through the tab's block exchange (peers first, the relay as seed of last resort), each
 * block checked against its hash, and cached in IndexedDB so a reload does not fetch again.
 */
import type { ModelSource } from '../../inference/model-source.ts'
import { decodeSubnetBundle, MAX_INDEX_BYTES, type SubnetBundle } from '../../subnets/bundle-index.ts'
import { AgentError } from './errors.ts'

/** Largest file of a subnet bundle a tab takes, in bytes. */
export const MAX_BUNDLE_FILE_BYTES = 64 * 1024 * 1024

export async function fetchSubnetBundle (name: string, source: ModelSource, options: { baseUrl?: string, fetch?: typeof fetch } = {}): Promise<SubnetBundle> {
  const fetchImpl = options.fetch ?? globalThis.fetch.bind(globalThis)
  const res = await fetchImpl(`${(options.baseUrl ?? '').replace(/\/+$/, '')}/api/bundles/subnets`)
  if (!res.ok) throw new AgentError('BAD_RESPONSE', `The relay lists no subnet bundles (HTTP ${res.status}); it may be an older version.`)
  const listing = await res.json() as { subnets?: Record<string, { cid?: unknown }> }
  const cid = listing.subnets?.[name]?.cid
  if (typeof cid !== 'string') throw new AgentError('BAD_RESPONSE', `The relay publishes no bundle for the ${name} subnet.`)
  const bundle = decodeSubnetBundle(await source.fetch(cid, { maxBytes: MAX_INDEX_BYTES }))
  if (bundle.subnet !== name) throw new AgentError('BAD_RESPONSE', `The bundle the relay names for ${name} is the ${bundle.subnet} subnet's.`)
  return bundle
}

/** One file of a bundle, by its CID, at most MAX_BUNDLE_FILE_BYTES. */
export async function fetchBundleFile (source: ModelSource, cid: string, onProgress?: (done: number, total: number) => void): Promise<Uint8Array> {
  return await source.fetch(cid, { maxBytes: MAX_BUNDLE_FILE_BYTES, onProgress: p => { onProgress?.(p.bytesDone, p.bytesTotal) } })
}
