/**
 * The relay's own https (`--tls-cert`, `--tls-key`): a bad pair stops it at start with a coded
 * sentence and exit code 1; a good one serves the API with that certificate and nothing over
 * plain http. The page's side (secure context, libp2p over wss) is tests/browser/tls.spec.ts.
 */
import { X509Certificate } from 'node:crypto'
import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import { get } from 'node:https'
import { join } from 'node:path'
import type { TLSSocket } from 'node:tls'
import { afterAll, describe, expect, it } from 'vitest'
import { loadTls, TlsConfigError } from '../../relay/tls.ts'
import { startRelayProcess, type RelayProcess } from '../helpers/relay.ts'
import { makeSelfSignedCert } from '../helpers/tls-cert.ts'

const one = makeSelfSignedCert('one')
const other = makeSelfSignedCert('other')
const relays: RelayProcess[] = []
afterAll(async () => {
  for (const r of relays) await r.dispose()
  for (const c of [one, other]) rmSync(c.dir, { recursive: true, force: true })
})

function codeOf (work: () => unknown): string {
  try {
    work()
  } catch (err) {
    expect(err).toBeInstanceOf(TlsConfigError)
    return (err as TlsConfigError).code
  }
  throw new Error('loadTls accepted it')
}

describe('the relay\'s https', () => {
  it('refuses an incomplete, unreadable, non-PEM or mismatched pair, each with its code', () => {
    expect(loadTls(undefined, undefined)).toBeUndefined()
    expect(codeOf(() => loadTls(one.cert, undefined))).toBe('TLS_INCOMPLETE')
    expect(codeOf(() => loadTls(join(one.dir, 'missing.pem'), one.key))).toBe('TLS_UNREADABLE')
    expect(codeOf(() => loadTls(one.dir, one.key))).toBe('TLS_UNREADABLE')
    const junk = join(one.dir, 'junk.pem')
    writeFileSync(junk, 'not a certificate\n')
    expect(codeOf(() => loadTls(junk, one.key))).toBe('TLS_BAD_CERT')
    expect(codeOf(() => loadTls(one.cert, junk))).toBe('TLS_BAD_KEY')
    expect(codeOf(() => loadTls(one.cert, other.key))).toBe('TLS_KEY_MISMATCH')
    expect(loadTls(one.cert, one.key)?.cert.equals(readFileSync(one.cert))).toBe(true)
  })

  it('stops at start with exit code 1 and one sentence when the key is not the certificate\'s', async () => {
    const err = await startRelayProcess({ dataDir: join(one.dir, 'data'), tls: { cert: one.cert, key: other.key } }).then(() => undefined, (e: Error) => e)
    expect(err?.message).toMatch(/exited with 1/)
    expect(err?.message).toMatch(/does not belong to the certificate/)
  })

  it('serves the API over https with the given certificate, and nothing over plain http', async () => {
    const relay = await startRelayProcess({ tls: { cert: one.cert, key: one.key } })
    relays.push(relay)
    expect(relay.url).toMatch(/^https:/)
    const answer = await new Promise<{ status: number, body: string, fingerprint: string }>((resolve, reject) => {
      get(`${relay.url}/api/p2p`, { ca: readFileSync(one.cert) }, res => {
        const fingerprint = (res.socket as TLSSocket).getPeerCertificate().fingerprint256
        let body = ''
        res.on('data', (d: Buffer) => { body += d.toString() })
        res.on('end', () => { resolve({ status: res.statusCode ?? 0, body, fingerprint }) })
      }).on('error', reject)
    })
    expect(answer.status).toBe(200)
    expect(answer.fingerprint).toBe(new X509Certificate(readFileSync(one.cert)).fingerprint256)
    // The page's libp2p dials the same origin over wss.
    expect(JSON.parse(answer.body).addrs).toEqual([expect.stringMatching(/^\/ip4\/127\.0\.0\.1\/tcp\/\d+\/tls\/ws\/p2p\/12D3KooW/)])
    await expect(fetch(`http://127.0.0.1:${relay.port}/api/health`)).rejects.toThrow()
  })
})
