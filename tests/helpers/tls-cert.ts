/**
 * A throwaway self-signed certificate for tests of the relay's own https, made with Debian's
 * `openssl` (node:crypto cannot issue X.509 certificates). Valid for 127.0.0.1 and 0.0.0.0.
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export interface TestCert {
  dir: string
  cert: string
  key: string
}

export function makeSelfSignedCert (name = 'tabtensor-test'): TestCert {
  const dir = mkdtempSync(join(tmpdir(), 'tabtensor-tls-'))
  const cert = join(dir, 'cert.pem')
  const key = join(dir, 'key.pem')
  try {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
      '-subj', `/CN=${name}`, '-addext', 'subjectAltName=IP:127.0.0.1,IP:0.0.0.0', '-keyout', key, '-out', cert], { stdio: 'pipe' })
  } catch (err) {
    throw new Error(`openssl could not make a test certificate (is it installed? apt-get install -y openssl): ${(err as Error).message}`)
  }
  return { dir, cert, key }
}
