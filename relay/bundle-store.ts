/**
 * The bundles the relay publishes and seeds, on disk in the data folder: `<dataDir>/bundles/`
 * holds one file per block, named by its CID (`bafk…` for a chunk, `bafyrei…` for a manifest),
 * holding exactly the block's bytes. A bundle is published by writing its chunks first and its
 * manifest last, each through a temporary file and a rename, so a manifest on disk always has
 * its chunks beside it, even after a crash. The CIDs held are indexed in memory at start-up.
 *
 * Blocks reach this folder only through `publish`, which builds them from the bytes; a file
 * changed on disk behind the relay's back would be refused by every fetcher (they check each
 * block's hash), never passed on as good.
 */
import { mkdirSync, readdirSync, renameSync, rmSync, writeFileSync, fsyncSync, openSync, closeSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { CID } from 'multiformats/cid'
import { buildBundle, decodeManifest, isManifestCid, type Manifest } from '../src/net/block-exchange/bundle.ts'
import type { BlockStore } from '../src/net/block-exchange/store.ts'

/** Folder of the data folder that holds the blocks. */
export const BUNDLES_DIR = 'bundles'

export interface PublishedBundle {
  cid: string
  name: string
  size: number
  chunkSize: number
  chunks: number
}

export class BundleStore implements BlockStore {
  readonly dir: string
  readonly #held = new Set<string>()
  readonly #manifests = new Map<string, Manifest>()

  private constructor (dir: string) {
    this.dir = dir
  }

  /** Opens (creating if needed) the bundle folder of `dataDir` and indexes what it holds. */
  static async open (dataDir: string): Promise<BundleStore> {
    const store = new BundleStore(join(dataDir, BUNDLES_DIR))
    mkdirSync(store.dir, { recursive: true })
    for (const name of readdirSync(store.dir)) {
      if (name.endsWith('.tmp')) {
        rmSync(join(store.dir, name), { force: true })
        continue
      }
      let cid: CID
      try {
        cid = CID.parse(name)
      } catch {
        continue
      }
      if (isManifestCid(cid)) {
        try {
          store.#manifests.set(cid.toString(), decodeManifest(await readFile(join(store.dir, name))))
        } catch {
          // Not a manifest any more (changed on disk): neither listed nor served.
          continue
        }
      }
      store.#held.add(cid.toString())
    }
    return store
  }

  async has (cid: CID): Promise<boolean> {
    return this.#held.has(cid.toString())
  }

  async hasMany (cids: readonly CID[]): Promise<boolean[]> {
    return cids.map(cid => this.#held.has(cid.toString()))
  }

  async get (cid: CID): Promise<Uint8Array | undefined> {
    const key = cid.toString()
    if (!this.#held.has(key)) return undefined
    return new Uint8Array(await readFile(join(this.dir, key)))
  }

  async put (cid: CID, bytes: Uint8Array): Promise<void> {
    const key = cid.toString()
    if (this.#held.has(key)) return
    const tmp = join(this.dir, `${key}.tmp`)
    const fd = openSync(tmp, 'w')
    try {
      writeFileSync(fd, bytes)
      fsyncSync(fd)
    } finally {
      closeSync(fd)
    }
    renameSync(tmp, join(this.dir, key))
    this.#held.add(key)
  }

  /** Builds a bundle from `bytes`, stores its blocks (manifest last) and returns what was published. */
  async publish (bytes: Uint8Array, name: string, chunkSize?: number): Promise<PublishedBundle> {
    const bundle = await buildBundle(bytes, { name, chunkSize })
    for (const chunk of bundle.chunks) await this.put(chunk.cid, chunk.bytes)
    await this.put(bundle.cid, bundle.manifestBytes)
    this.#manifests.set(bundle.cid.toString(), bundle.manifest)
    return view(bundle.cid.toString(), bundle.manifest)
  }

  /** Every bundle published here, by name. */
  list (): PublishedBundle[] {
    return [...this.#manifests].map(([cid, m]) => view(cid, m)).sort((a, b) => a.name.localeCompare(b.name) || a.cid.localeCompare(b.cid))
  }
}

function view (cid: string, m: Manifest): PublishedBundle {
  return { cid, name: m.name, size: m.size, chunkSize: m.chunkSize, chunks: m.chunks.length }
}
