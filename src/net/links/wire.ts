/**
 * `/tabtensor/links/1.0.0`: a tab opens a stream to a relay and writes one length-prefixed canonical
 * CBOR frame, `{direct: [peer id, …]}`, the tabs it holds direct WebRTC connections with; the
 * relay keeps the latest report of each connected tab. The report needs no signature of its own:
 * the connection's noise handshake already proves which tab sent it. A tab can still claim links it
 * does not have, so a reader should count an edge only when both ends report it (`mutualLinks`).
 */
import type { AbortOptions, Connection, Stream } from '@libp2p/interface'
import { peerIdFromString } from '@libp2p/peer-id'
import { lpStream } from '@libp2p/utils'
import { decode, encode, readList, readString, record } from '../../core/codec.ts'
import { LINK_REPORT_TIMEOUT_MS, LINKS_PROTOCOL, MAX_LINK_REPORT_BYTES, MAX_PEER_ID_LENGTH, MAX_REPORTED_LINKS } from './constants.ts'
import { InvalidLinkReportError } from './errors.ts'

export function encodeLinkReport (direct: readonly string[]): Uint8Array {
  return encode({ direct: [...direct] })
}

/** The peer ids a report lists (each a valid peer id, none twice, never `sender` itself). */
export function decodeLinkReport (bytes: Uint8Array, sender: string): string[] {
  try {
    const f = record(decode(bytes, MAX_LINK_REPORT_BYTES, 'link report'), ['direct'], 'link report')
    const ids = readList(f.direct, 'direct', MAX_REPORTED_LINKS).map((v, i) => readString(v, `direct[${i}]`, MAX_PEER_ID_LENGTH))
    for (const id of ids) peerIdFromString(id)
    if (new Set(ids).size !== ids.length) throw new Error('A link report lists a peer twice.')
    if (ids.includes(sender)) throw new Error('A link report lists its own sender.')
    return ids
  } catch (err) {
    throw new InvalidLinkReportError((err as Error).message)
  }
}

/** Sends one report over `connection` (a relay's). */
export async function sendLinkReport (connection: Pick<Connection, 'newStream'>, direct: readonly string[], options: AbortOptions = { signal: AbortSignal.timeout(LINK_REPORT_TIMEOUT_MS) }): Promise<void> {
  const stream = await connection.newStream(LINKS_PROTOCOL, options)
  try {
    await lpStream(stream, { maxDataLength: MAX_LINK_REPORT_BYTES }).write(encodeLinkReport(direct), options)
    await stream.close(options)
  } catch (err) {
    stream.abort(err as Error)
    throw err
  }
}

/** Reads one report from `stream`; a malformed or oversized one throws and resets the stream. */
export async function readLinkReport (stream: Stream, sender: string, options: AbortOptions = { signal: AbortSignal.timeout(LINK_REPORT_TIMEOUT_MS) }): Promise<string[]> {
  try {
    const lp = lpStream(stream, { maxDataLength: MAX_LINK_REPORT_BYTES, maxBufferSize: MAX_LINK_REPORT_BYTES + 16 })
    const ids = decodeLinkReport((await lp.read(options)).subarray(), sender)
    await stream.close(options)
    return ids
  } catch (err) {
    stream.abort(err as Error)
    throw err
  }
}

/** The edges both ends report, each once as `[smaller id, larger id]`, among `among` only. */
export function mutualLinks (reports: ReadonlyMap<string, ReadonlySet<string>>, among: ReadonlySet<string>): Array<[string, string]> {
  const links: Array<[string, string]> = []
  for (const [a, peers] of reports) {
    if (!among.has(a)) continue
    for (const b of peers) {
      if (a < b && among.has(b) && reports.get(b)?.has(a) === true) links.push([a, b])
    }
  }
  return links.sort((x, y) => x[0] === y[0] ? (x[1] < y[1] ? -1 : 1) : (x[0] < y[0] ? -1 : 1))
}
