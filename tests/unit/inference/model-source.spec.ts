import { describe, expect, it } from 'vitest'
import { buildBundle, type Bundle } from '../../../src/net/block-exchange/bundle.ts'
import type { FetchProgress } from '../../../src/net/block-exchange/index.ts'
import { ModelTooLargeError, ModelUnavailableError } from '../../../src/inference/errors.ts'
import { blockExchangeSource, httpBundleSource, modelSource, type LoadProgress } from '../../../src/inference/model-source.ts'
import { testMlp } from '../../helpers/onnx-models.ts'

/** A relay's block endpoint over one bundle; `tamper` changes the bytes it serves for a CID. */
function relayFetch (bundle: Bundle, tamper: (cid: string, bytes: Uint8Array) => Uint8Array = (_c, b) => b): { fetch: typeof fetch, asked: string[] } {
  const blocks = new Map<string, Uint8Array>([[bundle.cid.toString(), bundle.manifestBytes], ...bundle.chunks.map(c => [c.cid.toString(), c.bytes] as [string, Uint8Array])])
  const asked: string[] = []
  const fetchImpl = (async (url: URL) => {
    const cid = url.pathname.split('/').pop()!
    asked.push(cid)
    const bytes = blocks.get(cid)
    return bytes === undefined ? new Response('{}', { status: 404 }) : new Response(tamper(cid, bytes).slice())
  }) as unknown as typeof fetch
  return { fetch: fetchImpl, asked }
}

describe('models by CID from the relay over HTTP', () => {
  it('fetches every block, checks it against its CID, and reports progress', async () => {
    const model = testMlp()
    const bundle = await buildBundle(model, { name: 'mlp.onnx', chunkSize: 16 * 1024 })
    const relay = relayFetch(bundle)
    const progress: LoadProgress[] = []
    const bytes = await httpBundleSource('http://relay.test', relay.fetch).fetch(bundle.cid.toString(), { maxBytes: 1 << 20, onProgress: p => progress.push(p) })
    expect(bytes).toEqual(model)
    expect(relay.asked.length).toBe(1 + bundle.chunks.length)
    expect(progress.at(-1)).toEqual({ phase: 'fetch', bytesDone: model.length, bytesTotal: model.length })
  })

  it('refuses a bundle over the limit from its manifest, before any chunk', async () => {
    const bundle = await buildBundle(testMlp(), { name: 'mlp.onnx', chunkSize: 16 * 1024 })
    const relay = relayFetch(bundle)
    await expect(httpBundleSource('http://relay.test', relay.fetch).fetch(bundle.cid.toString(), { maxBytes: 1024 })).rejects.toThrow(ModelTooLargeError)
    expect(relay.asked).toEqual([bundle.cid.toString()])
  })

  it('refuses a chunk that does not hash to its CID, an unknown CID and text that is no CID', async () => {
    const bundle = await buildBundle(testMlp(), { name: 'mlp.onnx', chunkSize: 16 * 1024 })
    const flipped = relayFetch(bundle, (cid, b) => cid === bundle.chunks[2]!.cid.toString() ? b.map((v, i) => i === 0 ? v ^ 1 : v) : b)
    await expect(httpBundleSource('http://relay.test', flipped.fetch).fetch(bundle.cid.toString(), { maxBytes: 1 << 20 })).rejects.toThrow(/do not hash to its CID/)
    const other = await buildBundle(new Uint8Array(10), { name: 'other' })
    await expect(httpBundleSource('http://relay.test', relayFetch(bundle).fetch).fetch(other.cid.toString(), { maxBytes: 1 << 20 })).rejects.toThrow(ModelUnavailableError)
    await expect(httpBundleSource('http://relay.test', relayFetch(bundle).fetch).fetch('not-a-cid', { maxBytes: 1 << 20 })).rejects.toThrow(/is not a CID/)
  })
})

describe('models by CID through the block exchange', () => {
  function fakeBlocks (bundle: Bundle, bytes: Uint8Array) {
    const calls: string[] = []
    return {
      calls,
      blocks: {
        async fetch (cid: unknown, options: { signal?: AbortSignal, onProgress?: (p: FetchProgress) => void } = {}) {
          calls.push('fetch')
          const total = bundle.manifest.size
          for (let done = 0; done <= total; done += bundle.manifest.chunkSize) {
            if (options.signal?.aborted === true) throw options.signal.reason
            options.onProgress?.({ cid: String(cid), bytesDone: Math.min(done, total), bytesTotal: total, fromCache: 0, byPeer: {} })
          }
          return { cid: String(cid), bytesDone: total, bytesTotal: total, fromCache: 0, byPeer: {}, manifest: bundle.manifest, dropped: {} }
        },
        async read () { calls.push('read'); return bytes }
      }
    }
  }

  it('fetches into the cache with progress, then reads the checked bytes', async () => {
    const model = testMlp()
    const bundle = await buildBundle(model, { name: 'mlp.onnx', chunkSize: 32 * 1024 })
    const fake = fakeBlocks(bundle, model)
    const progress: LoadProgress[] = []
    expect(await blockExchangeSource(fake.blocks as never).fetch(bundle.cid.toString(), { maxBytes: 1 << 20, onProgress: p => progress.push(p) })).toEqual(model)
    expect(fake.calls).toEqual(['fetch', 'read'])
    expect(progress.length).toBeGreaterThan(1)
  })

  it('stops a fetch whose manifest is over the limit and never reads it', async () => {
    const model = testMlp()
    const bundle = await buildBundle(model, { name: 'mlp.onnx', chunkSize: 32 * 1024 })
    const fake = fakeBlocks(bundle, model)
    await expect(blockExchangeSource(fake.blocks as never).fetch(bundle.cid.toString(), { maxBytes: 1024 })).rejects.toThrow(ModelTooLargeError)
    expect(fake.calls).toEqual(['fetch'])
  })
})

describe('the tab\'s model source', () => {
  it('falls back to the relay over HTTP when the block exchange finds no provider, not when it refuses', async () => {
    const model = testMlp()
    const bundle = await buildBundle(model, { name: 'mlp.onnx', chunkSize: 32 * 1024 })
    const relay = relayFetch(bundle)
    const offline = { fetch: async () => { throw new Error('No peer or relay holds 4 blocks of the bundle.') }, read: async () => new Uint8Array(0) }
    const source = modelSource({ blocks: offline as never, relayUrl: 'http://relay.test', fetch: relay.fetch })
    expect(await source.fetch(bundle.cid.toString(), { maxBytes: 1 << 20 })).toEqual(model)
    expect(relay.asked.length).toBe(1 + bundle.chunks.length)
    const big = { fetch: async (_cid: unknown, o: { onProgress?: (p: FetchProgress) => void }) => { o.onProgress?.({ cid: '', bytesDone: 0, bytesTotal: model.length, fromCache: 0, byPeer: {} }) }, read: async () => model }
    const asked = relay.asked.length
    await expect(modelSource({ blocks: big as never, relayUrl: 'http://relay.test', fetch: relay.fetch }).fetch(bundle.cid.toString(), { maxBytes: 1024 })).rejects.toThrow(ModelTooLargeError)
    expect(relay.asked.length).toBe(asked)
  })

  it('is the relay alone when the tab has no peer-to-peer node', async () => {
    const model = testMlp()
    const bundle = await buildBundle(model, { name: 'mlp.onnx' })
    expect(await modelSource({ relayUrl: 'http://relay.test', fetch: relayFetch(bundle).fetch }).fetch(bundle.cid.toString(), { maxBytes: 1 << 20 })).toEqual(model)
  })
})
