import { describe, expect, it } from 'vitest'
import { formatBytes } from '../../../src/participant/format.ts'

describe('byte counts for people', () => {
  it('read in binary units with one decimal', () => {
    expect([0, 512, 1023, 1536, 16 * 1024 * 1024, 2.3 * 1024 ** 3].map(formatBytes)).toEqual(['0 B', '512 B', '1023 B', '1.5 KiB', '16.0 MiB', '2.3 GiB'])
  })
})
