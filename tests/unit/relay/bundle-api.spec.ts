import { describe, expect, it } from 'vitest'
import { isLoopback } from '../../../relay/bundle-api.ts'

describe('who may publish bundles', () => {
  it('is the relay\'s own machine: loopback addresses only', () => {
    for (const ip of ['127.0.0.1', '127.1.2.3', '::1', '::ffff:127.0.0.1']) expect(isLoopback(ip)).toBe(true)
    for (const ip of ['10.0.0.1', '192.168.1.2', '::ffff:10.0.0.1', 'fe80::1', '1.127.0.0', '']) expect(isLoopback(ip)).toBe(false)
  })
})
