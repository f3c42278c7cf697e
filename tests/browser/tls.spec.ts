/**
 * A phone on the local network opening a relay that serves https itself (`--tls-cert`,
 * `--tls-key`): the page is a secure context (WebCrypto) and cross-origin isolated (WebAssembly
 * threads), and the tab's libp2p node reaches the relay over wss at the same origin. Played by
 * opening https://0.0.0.0:PORT, which over plain http is not a secure context
 * (first-visit-insecure.spec.ts); the certificate is self-signed, so Chromium is told to accept it.
 */
import { readFileSync, rmSync } from 'node:fs'
import { get } from 'node:https'
import { afterAll, describe, expect, it } from 'vitest'
import { launchBrowser, type LaunchedBrowser } from '../helpers/browser.ts'
import { buildPage, startRelayProcess, type RelayProcess } from '../helpers/relay.ts'
import { makeSelfSignedCert } from '../helpers/tls-cert.ts'

describe('the page from a relay serving https itself', () => {
  const cert = makeSelfSignedCert()
  let relay: RelayProcess | undefined
  let browser: LaunchedBrowser | undefined
  let staticDir: string | undefined
  afterAll(async () => {
    await browser?.close()
    await relay?.dispose()
    if (staticDir !== undefined) rmSync(staticDir, { recursive: true, force: true })
    rmSync(cert.dir, { recursive: true, force: true })
  })

  it('is a secure, cross-origin isolated context whose tab joins the relay over wss', async () => {
    staticDir = buildPage()
    relay = await startRelayProcess({ staticDir, blockTimeMs: 500, tls: { cert: cert.cert, key: cert.key } })
    browser = await launchBrowser({ args: ['--ignore-certificate-errors'], contextOptions: { viewport: { width: 390, height: 844 } } })
    const page = await browser.context.newPage()
    const errors: string[] = []
    page.on('pageerror', err => { errors.push(err.message) })
    await page.goto(`https://0.0.0.0:${relay.port}/`)
    expect(await page.evaluate(() => ({ secure: isSecureContext, subtle: typeof crypto.subtle?.digest, isolated: crossOriginIsolated, protocol: location.protocol })))
      .toEqual({ secure: true, subtle: 'function', isolated: true, protocol: 'https:' })

    // The tab's libp2p node: online through the relay at this origin, so over /tls/ws.
    await page.locator('[data-testid="network"][data-status="online"]').waitFor({ timeout: 60_000 })
    const peerId = await page.getByTestId('network-peer-id').getAttribute('data-peer-id')
    const network = await new Promise<{ peers: Array<{ peerId: string }> }>((resolve, reject) => {
      get(`${relay!.url}/api/network`, { ca: readFileSync(cert.cert) }, res => {
        let body = ''
        res.on('data', (d: Buffer) => { body += d.toString() })
        res.on('end', () => { resolve(JSON.parse(body)) })
      }).on('error', reject)
    })
    expect(network.peers.map(p => p.peerId)).toContain(peerId)
    await page.getByTestId('head-height').waitFor({ timeout: 60_000 })
    expect(errors).toEqual([])
  }, 180_000)
})
