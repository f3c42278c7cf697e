/**
 * HTTPS for the relay itself (`--tls-cert`, `--tls-key`): phones on a local network get a secure
 * context (WebCrypto, WebAssembly threads) without a proxy in front. The pair is read and checked
 * once at start, so a missing file, a file that is not PEM, or a key that does not belong to the
 * certificate stops the relay with one sentence instead of failing at the first connection.
 */
import { X509Certificate, createPrivateKey, type KeyObject } from 'node:crypto'
import { readFileSync } from 'node:fs'

export type TlsErrorCode =
  /** Only one of the certificate and the key was given. */
  | 'TLS_INCOMPLETE'
  /** A file could not be read. */
  | 'TLS_UNREADABLE'
  /** The certificate file holds no PEM X.509 certificate. */
  | 'TLS_BAD_CERT'
  /** The key file holds no PEM private key (or one with a passphrase). */
  | 'TLS_BAD_KEY'
  /** The key is not the certificate's. */
  | 'TLS_KEY_MISMATCH'

export class TlsConfigError extends Error {
  static override name = 'TlsConfigError'
  override name = 'TlsConfigError'
  constructor (readonly code: TlsErrorCode, message: string) {
    super(message)
  }
}

export interface TlsFiles {
  /** PEM certificate chain, the server's own first. */
  cert: Buffer
  key: Buffer
}

function read (file: string, what: string): Buffer {
  try {
    return readFileSync(file)
  } catch (err) {
    throw new TlsConfigError('TLS_UNREADABLE', `The TLS ${what} file ${file} cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); check the path and its permissions.`)
  }
}

/** Reads and checks the pair; undefined when neither is given (plain http). */
export function loadTls (certFile: string | undefined, keyFile: string | undefined): TlsFiles | undefined {
  if (certFile === undefined && keyFile === undefined) return undefined
  if (certFile === undefined || keyFile === undefined) {
    throw new TlsConfigError('TLS_INCOMPLETE', 'HTTPS needs both --tls-cert and --tls-key (or TLS_CERT and TLS_KEY); only one was given.')
  }
  const cert = read(certFile, 'certificate')
  const key = read(keyFile, 'key')
  let x509: X509Certificate
  try {
    x509 = new X509Certificate(cert)
  } catch {
    throw new TlsConfigError('TLS_BAD_CERT', `${certFile} holds no PEM certificate; give the certificate ("-----BEGIN CERTIFICATE-----").`)
  }
  let privateKey: KeyObject
  try {
    privateKey = createPrivateKey(key)
  } catch {
    throw new TlsConfigError('TLS_BAD_KEY', `${keyFile} holds no unencrypted PEM private key; give the certificate's key without a passphrase.`)
  }
  if (!x509.checkPrivateKey(privateKey)) {
    throw new TlsConfigError('TLS_KEY_MISMATCH', `The key in ${keyFile} does not belong to the certificate in ${certFile}; give the pair that was issued together.`)
  }
  return { cert, key }
}
