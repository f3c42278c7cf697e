import { CID } from 'multiformats/cid'
import * as raw from 'multiformats/codecs/raw'
import { sha256 } from 'multiformats/hashes/sha2'
import { describe, expect, it } from 'vitest'
import { encode } from '../../../../src/core/codec.ts'
import { buildBundle } from '../../../../src/net/block-exchange/bundle.ts'
import { MAX_ANNOUNCED_BUNDLES, MAX_PROVIDER_RECORD_BYTES, PROVIDER_CLOCK_SKEW_MS, PROVIDER_RECORD_TTL_MS } from '../../../../src/net/block-exchange/constants.ts'
import { InvalidAnnouncementError } from '../../../../src/net/block-exchange/errors.ts'
import { decodeProviderRecord, encodeProviderRecord, ProviderBook } from '../../../../src/net/block-exchange/providers.ts'

const NOW = 1_700_000_000_000
const bundles = await Promise.all([1, 2, 3].map(async i => (await buildBundle(Uint8Array.of(i), { name: `b${i}` })).cid))
const [b1, b2, b3] = bundles as [CID, CID, CID]

function refusal (bytes: Uint8Array, now = NOW): string {
  try {
    decodeProviderRecord(bytes, now)
  } catch (err) {
    expect(err).toBeInstanceOf(InvalidAnnouncementError)
    return (err as InvalidAnnouncementError).code
  }
  throw new Error('expected the announcement to be refused')
}

describe('provider announcements', () => {
  it('round-trip the bundles a tab holds and when it said so', () => {
    const decoded = decodeProviderRecord(encodeProviderRecord(bundles, NOW), NOW + 1000)
    expect(decoded.time).toBe(NOW)
    expect(decoded.bundles.map(c => c.toString())).toEqual(bundles.map(c => c.toString()))
  })

  it('refuses malformed announcements: garbage, extra fields, too many bundles, CIDs that name no bundle manifest', async () => {
    const rawCid = CID.create(1, raw.code, await sha256.digest(Uint8Array.of(1)))
    for (const bad of [
      Uint8Array.of(0xff, 0x00),
      encode({ bundles: [b1.bytes], time: NOW, extra: 1 }),
      encode({ bundles: [b1.bytes] }),
      encode({ bundles: [rawCid.bytes], time: NOW }),
      encode({ bundles: [new Uint8Array(10)], time: NOW }),
      encode({ bundles: Array.from({ length: MAX_ANNOUNCED_BUNDLES + 1 }, () => b1.bytes), time: NOW }),
      new Uint8Array(MAX_PROVIDER_RECORD_BYTES + 1)
    ]) expect(refusal(bad)).toBe('INVALID_ANNOUNCEMENT')
    expect(() => encodeProviderRecord(Array.from({ length: MAX_ANNOUNCED_BUNDLES + 1 }, () => b1), NOW)).toThrow(InvalidAnnouncementError)
  })

  it('expire: an announcement older than the TTL, or dated too far ahead, does not count', () => {
    const record = encodeProviderRecord([b1], NOW)
    expect(refusal(record, NOW + PROVIDER_RECORD_TTL_MS + 1)).toBe('STALE_ANNOUNCEMENT')
    expect(refusal(record, NOW - PROVIDER_CLOCK_SKEW_MS - 1)).toBe('STALE_ANNOUNCEMENT')
    expect(decodeProviderRecord(record, NOW + PROVIDER_RECORD_TTL_MS).time).toBe(NOW)
  })
})

describe('the provider book', () => {
  it('names the providers of a bundle, most recent first, until their announcement expires', () => {
    const book = new ProviderBook()
    book.add('A', { bundles: [b1, b2], time: NOW })
    book.add('B', { bundles: [b1], time: NOW + 10 })
    expect(book.providers(b1, NOW + 20)).toEqual(['B', 'A'])
    expect(book.providers(b2.toString(), NOW + 20)).toEqual(['A'])
    expect(book.providers(b3, NOW)).toEqual([])
    // An older announcement arriving late changes nothing.
    book.add('B', { bundles: [b3], time: NOW - 5 })
    expect(book.providers(b3, NOW + 20)).toEqual([])
    expect(book.providers(b1, NOW + PROVIDER_RECORD_TTL_MS + 5)).toEqual(['B'])
    expect(book.providers(b1, NOW + PROVIDER_RECORD_TTL_MS + 11)).toEqual([])
  })

  it('takes a peer\'s new announcement in place of its last: a bundle it no longer names is dropped at once', () => {
    const book = new ProviderBook()
    book.add('A', { bundles: [b1, b2], time: NOW })
    book.add('A', { bundles: [b2, b3], time: NOW + 1 })
    expect([book.providers(b1, NOW + 2), book.providers(b2, NOW + 2), book.providers(b3, NOW + 2)]).toEqual([[], ['A'], ['A']])
  })

  it('stays bounded: the least recently announced providers, bundles and peers are forgotten first', () => {
    const book = new ProviderBook(PROVIDER_RECORD_TTL_MS, 2, 2, 3)
    book.add('A', { bundles: [b1], time: NOW })
    book.add('B', { bundles: [b1], time: NOW + 1 })
    book.add('C', { bundles: [b1], time: NOW + 2 })
    expect(book.providers(b1, NOW + 3)).toEqual(['C', 'B'])
    book.add('A', { bundles: [b2], time: NOW + 3 })
    book.add('D', { bundles: [b3], time: NOW + 4 })
    // Bundle b1 was the stalest of three; peer B the stalest of four.
    expect(book.providers(b1, NOW + 5)).toEqual([])
    expect(book.providers(b2, NOW + 5)).toEqual(['A'])
    book.add('C', { bundles: [b2], time: NOW + 5 })
    expect(book.providers(b2, NOW + 6)).toEqual(['C', 'A'])
    book.remove('A')
    expect(book.providers(b2, NOW + 6)).toEqual(['C'])
  })
})
