/** ed25519 verifications per second: @noble/curves (what tabs run) against node:crypto. */
import { keypairFromLabel, nobleVerifier, sign, signingBytes } from '../../src/core/keys.ts'
import { nodeVerifier } from '../../relay/verifier.ts'
import { figure, median, type Figure } from './figure.ts'

const COUNT = 2000

export async function signatureFigures (): Promise<Figure[]> {
  const chainId = new Uint8Array(32)
  const items = Array.from({ length: COUNT }, (_, i) => {
    const key = keypairFromLabel(`bench/sig/${i % 64}`)
    const payload = new TextEncoder().encode(`payload ${i}`)
    return { sig: sign(key, 'tx', chainId, payload), msg: signingBytes('tx', chainId, payload), pub: key.publicKey }
  })
  const rate = (verifier: { verify: (s: Uint8Array, m: Uint8Array, p: Uint8Array) => boolean }) => () => {
    const started = performance.now()
    for (const { sig, msg, pub } of items) if (!verifier.verify(sig, msg, pub)) throw new Error('a good signature failed')
    return COUNT / ((performance.now() - started) / 1000)
  }
  const native = nodeVerifier()
  rate(nobleVerifier)()
  rate(native)()
  const noble = await median(3, rate(nobleVerifier))
  const node = await median(3, rate(native))
  return [figure('ed25519 verify, @noble/curves', noble, node, 'verifications/s', 'node:crypto (OpenSSL) in the same run')]
}
