/**
 * Where a model's bytes come from when it is named by CID (a bundle's manifest CID): the tab's
 * block exchange when the tab has a peer-to-peer node (peers first, the relay as seed of last
 * resort), else the relay's HTTP block endpoint. Either way every block is checked against its
 * CID before it is kept, and a bundle larger than the caller takes is refused from its manifest,
 * before its chunks are downloaded.
 */
import { chunkLength, decodeManifest, verifyBlock, type Manifest } from '../net/block-exchange/bundle.ts'
import type { BlockExchange } from '../net/block-exchange/index.ts'
import { MAX_BLOCK_BYTES } from '../net/block-exchange/constants.ts'
import { CID } from 'multiformats/cid'
import { InferenceError, ModelTooLargeError, ModelUnavailableError } from './errors.ts'

export interface LoadProgress {
  phase: 'fetch' | 'compile' | 'ready'
  bytesDone: number
  bytesTotal: number
}

export interface FetchModelOptions {
  /** Largest model the caller takes, in bytes. */
  maxBytes: number
  onProgress?: (progress: LoadProgress) => void
  signal?: AbortSignal
}

export interface ModelSource {
  /** The bundle's bytes, every block checked against its CID. */
  fetch (cid: string, options: FetchModelOptions): Promise<Uint8Array>
}

function parse (cid: string): CID {
  try {
    return CID.parse(cid)
  } catch {
    throw new ModelUnavailableError(`"${cid.slice(0, 100)}" is not a CID; a model is named by its bundle's manifest CID (bafyrei…).`)
  }
}

function tooLarge (size: number, maxBytes: number): ModelTooLargeError {
  return new ModelTooLargeError(`The model is ${size} bytes; this device takes models up to ${maxBytes} bytes. It was not downloaded.`)
}

function unavailable (cid: string, err: unknown): InferenceError {
  if (err instanceof InferenceError) return err
  return new ModelUnavailableError(`Model ${cid} could not be fetched: ${(err as Error).message} Try again when peers or the relay can serve it.`, { cause: err })
}

/** Models through the tab's block exchange (its IndexedDB cache, its peers, its relays). */
export function blockExchangeSource (blocks: Pick<BlockExchange, 'fetch' | 'read'>): ModelSource {
  return {
    async fetch (cid, { maxBytes, onProgress, signal }) {
      parse(cid)
      const controller = new AbortController()
      const abort = (): void => controller.abort(signal?.reason)
      signal?.addEventListener('abort', abort, { once: true })
      let refused: ModelTooLargeError | undefined
      try {
        await blocks.fetch(cid, {
          signal: controller.signal,
          onProgress: p => {
            // The first progress already knows the manifest's size: stop before the chunks come.
            if (p.bytesTotal > maxBytes) {
              refused ??= tooLarge(p.bytesTotal, maxBytes)
              controller.abort(refused)
              return
            }
            onProgress?.({ phase: 'fetch', bytesDone: p.bytesDone, bytesTotal: p.bytesTotal })
          }
        })
        if (refused !== undefined) throw refused
        const bytes = await blocks.read(cid)
        if (bytes.length > maxBytes) throw tooLarge(bytes.length, maxBytes)
        return bytes
      } catch (err) {
        throw unavailable(cid, refused ?? err)
      } finally {
        signal?.removeEventListener('abort', abort)
      }
    }
  }
}

/** Models from a relay's `GET /api/bundles/blocks/:cid`, one block at a time. */
export function httpBundleSource (relayUrl: string, fetchImpl: typeof fetch = globalThis.fetch.bind(globalThis)): ModelSource {
  const block = async (cid: CID, signal?: AbortSignal): Promise<Uint8Array> => {
    const res = await fetchImpl(new URL(`/api/bundles/blocks/${cid.toString()}`, relayUrl), { signal })
    if (!res.ok) throw new Error(`the relay answered ${res.status} for block ${cid.toString()}.`)
    const length = Number(res.headers.get('content-length') ?? 0)
    if (length > MAX_BLOCK_BYTES) throw new Error(`the relay sent a ${length}-byte block; the limit is ${MAX_BLOCK_BYTES}.`)
    const bytes = new Uint8Array(await res.arrayBuffer())
    await verifyBlock(cid, bytes)
    return bytes
  }
  return {
    async fetch (cidText, { maxBytes, onProgress, signal }) {
      const cid = parse(cidText)
      try {
        const manifest: Manifest = decodeManifest(await block(cid, signal))
        if (manifest.size > maxBytes) throw tooLarge(manifest.size, maxBytes)
        const out = new Uint8Array(manifest.size)
        let done = 0
        onProgress?.({ phase: 'fetch', bytesDone: 0, bytesTotal: manifest.size })
        for (let i = 0; i < manifest.chunks.length; i++) {
          const chunk = await block(manifest.chunks[i]!, signal)
          if (chunk.length !== chunkLength(manifest, i)) throw new Error(`chunk ${i} is ${chunk.length} bytes; the manifest says ${chunkLength(manifest, i)}.`)
          out.set(chunk, i * manifest.chunkSize)
          done += chunk.length
          onProgress?.({ phase: 'fetch', bytesDone: done, bytesTotal: manifest.size })
        }
        return out
      } catch (err) {
        throw unavailable(cidText, err)
      }
    }
  }
}

/**
 * The tab's model source: its block exchange when it has a peer-to-peer node, the relay's HTTP
 * endpoint otherwise, and also when the block exchange finds no provider (a tab that is not yet
 * connected). A refusal (too large, a hash that does not match) is final either way.
 */
export function modelSource (options: { blocks?: Pick<BlockExchange, 'fetch' | 'read'>, relayUrl: string, fetch?: typeof fetch }): ModelSource {
  const http = httpBundleSource(options.relayUrl, options.fetch)
  if (options.blocks === undefined) return http
  const p2p = blockExchangeSource(options.blocks)
  return {
    async fetch (cid, fetchOptions) {
      try {
        return await p2p.fetch(cid, fetchOptions)
      } catch (err) {
        if (!(err instanceof ModelUnavailableError) || fetchOptions.signal?.aborted === true) throw err
        return await http.fetch(cid, fetchOptions)
      }
    }
  }
}
