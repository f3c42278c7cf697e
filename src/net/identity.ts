/**
 * A tab's libp2p identity is its hotkey: the same ed25519 key that signs its results, so a peer id
 * names a hotkey and a connection authenticated by noise proves who is on the other end.
 */
import { generateKeyPairFromSeed } from '@libp2p/crypto/keys'
import type { Ed25519PrivateKey } from '@libp2p/interface'
import { equalBytes } from '../core/hash.ts'
import type { Keypair } from '../core/keys.ts'
import { InvalidIdentityError } from './errors.ts'

/** The libp2p private key of `hotkey` (its 32-byte ed25519 secret is the seed). */
export async function libp2pKeyOf (hotkey: Keypair): Promise<Ed25519PrivateKey> {
  const key = await generateKeyPairFromSeed('Ed25519', hotkey.secretKey)
  if (!equalBytes(key.publicKey.raw, hotkey.publicKey)) {
    throw new InvalidIdentityError('The hotkey\'s public key does not match its secret key; recreate the key.')
  }
  return key
}
