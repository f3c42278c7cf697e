/**
 * The relay's libp2p identity, kept in the data folder so that a restarted relay has the same
 * peer id: tabs' relay addresses (`…/p2p/<relay>/p2p-circuit/…`) and other relays' `--peer`
 * addresses name it. Stored like the producer key: a 32-byte ed25519 secret as 64 hex characters,
 * readable by the owner only.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Ed25519PrivateKey } from '@libp2p/interface'
import { fromHex, toHex } from '../../src/core/hash.ts'
import { keypairFromSecret, randomKeypair } from '../../src/core/keys.ts'
import { libp2pKeyOf } from '../../src/net/identity.ts'
import { P2P_KEY_FILE } from './constants.ts'

export async function loadP2pKey (dataDir: string): Promise<Ed25519PrivateKey> {
  const path = join(dataDir, P2P_KEY_FILE)
  if (existsSync(path)) {
    const hex = readFileSync(path, 'utf8').trim()
    if (!/^[0-9a-f]{64}$/i.test(hex)) throw new Error(`${path} must hold the relay's 32-byte libp2p secret key as 64 hex characters; restore it or delete it to get a new peer id.`)
    return await libp2pKeyOf(keypairFromSecret(fromHex(hex)))
  }
  const key = randomKeypair()
  writeFileSync(path, toHex(key.secretKey) + '\n', { mode: 0o600 })
  return await libp2pKeyOf(key)
}
