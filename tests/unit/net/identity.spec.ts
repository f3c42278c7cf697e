import { describe, expect, it } from 'vitest'
import { keypairFromLabel } from '../../../src/core/keys.ts'
import { InvalidIdentityError } from '../../../src/net/errors.ts'
import { libp2pKeyOf } from '../../../src/net/identity.ts'

describe('a tab\'s libp2p identity', () => {
  it('is its hotkey: the same ed25519 public key, and a signature the hotkey would make', async () => {
    const hotkey = keypairFromLabel('net/identity')
    const key = await libp2pKeyOf(hotkey)
    expect(key.publicKey.raw).toEqual(hotkey.publicKey)
    const message = new TextEncoder().encode('hello')
    expect(await key.publicKey.verify(message, await key.sign(message))).toBe(true)
  })

  it('refuses a keypair whose public key is not its secret key\'s', async () => {
    const a = keypairFromLabel('net/a')
    const b = keypairFromLabel('net/b')
    await expect(libp2pKeyOf({ secretKey: a.secretKey, publicKey: b.publicKey })).rejects.toBeInstanceOf(InvalidIdentityError)
  })
})
