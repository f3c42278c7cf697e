import { describe, expect, it } from 'vitest'
import { readConfig } from '../../../relay/config.ts'

describe('the relay\'s TLS options', () => {
  it('are off by default, read from the flags, and from TLS_CERT and TLS_KEY when no flag is given', () => {
    expect(readConfig([], {})).toMatchObject({ tlsCert: undefined, tlsKey: undefined })
    expect(readConfig(['--tls-cert', 'c.pem', '--tls-key', 'k.pem'], {})).toMatchObject({ tlsCert: 'c.pem', tlsKey: 'k.pem' })
    expect(readConfig([], { TLS_CERT: 'env-c.pem', TLS_KEY: 'env-k.pem' })).toMatchObject({ tlsCert: 'env-c.pem', tlsKey: 'env-k.pem' })
    expect(readConfig(['--tls-cert', 'c.pem'], { TLS_CERT: 'env-c.pem', TLS_KEY: 'env-k.pem' })).toMatchObject({ tlsCert: 'c.pem', tlsKey: 'env-k.pem' })
  })
})
