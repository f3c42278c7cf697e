import fc from 'fast-check'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { describe, expect, it } from 'vitest'
import { encode } from '../../../../src/core/codec.ts'
import { decodeLinkReport, encodeLinkReport, InvalidLinkReportError, MAX_LINK_REPORT_BYTES, MAX_REPORTED_LINKS, mutualLinks } from '../../../../src/net/links/index.ts'

const ids = await Promise.all(Array.from({ length: MAX_REPORTED_LINKS + 2 }, async () => peerIdFromPrivateKey(await generateKeyPair('Ed25519')).toString()))
const [sender, a, b, c] = ids as [string, string, string, string]

describe('direct-link reports', () => {
  it('decodes what it encodes, for any set of peers up to the cap', () => {
    fc.assert(fc.property(fc.subarray(ids.slice(1, MAX_REPORTED_LINKS + 1)), peers => {
      const bytes = encodeLinkReport(peers)
      expect(bytes.length).toBeLessThanOrEqual(MAX_LINK_REPORT_BYTES)
      expect(decodeLinkReport(bytes, sender)).toEqual(peers)
    }))
  })

  it('refuses a report past the cap, one naming its sender or a peer twice, and one that is not peer ids', () => {
    const refused = (value: unknown): void => {
      expect(() => decodeLinkReport(encode(value), sender)).toThrow(InvalidLinkReportError)
    }
    refused({ direct: ids.slice(1) })
    refused({ direct: [a, sender] })
    refused({ direct: [a, a] })
    refused({ direct: ['not a peer id'] })
    refused({ direct: [a], more: 1 })
    refused([a])
    try {
      decodeLinkReport(encode({ direct: [a, a] }), sender)
    } catch (err) {
      expect((err as InvalidLinkReportError).code).toBe('MALFORMED_LINK_REPORT')
    }
  })

  it('counts an edge only when both ends report it, and only between the peers given', () => {
    const reports = new Map<string, Set<string>>([[a, new Set([b, c])], [b, new Set([a])], [c, new Set()]])
    expect(mutualLinks(reports, new Set([a, b, c]))).toEqual([[a < b ? a : b, a < b ? b : a]])
    expect(mutualLinks(reports, new Set([a, c]))).toEqual([])
    reports.set(c, new Set([a]))
    expect(mutualLinks(reports, new Set([a, b, c]))).toHaveLength(2)
  })
})
