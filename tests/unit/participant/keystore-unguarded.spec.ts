import 'fake-indexeddb/auto'
import { openDB } from 'idb'
import { describe, expect, it } from 'vitest'
import { createKeystore } from '../../../src/participant/keystore.ts'
import { KeystoreError, WrongPassphraseError } from '../../../src/participant/errors.ts'
import { toAddress } from '../../../src/core/address.ts'

const PASSPHRASE = 'correct horse battery staple'
let dbCount = 0

async function records (dbName: string): Promise<string[]> {
  const db = await openDB(dbName)
  try {
    return (await db.getAllKeys('wallet')).map(String)
  } finally {
    db.close()
  }
}

describe('a wallet made without a passphrase', () => {
  it('opens by itself with the same keys, its phrase sealed by a key no script can read', async () => {
    const dbName = `unguarded-${++dbCount}`
    const made = await createKeystore({ dbName }).createUnguarded()
    const again = createKeystore({ dbName })
    expect(await again.exists()).toBe(true)
    const opened = await again.openUnguarded()
    expect(opened?.mnemonic).toBe(made.mnemonic)
    expect(toAddress(opened!.wallet.coldkey.publicKey)).toBe(toAddress(made.wallet.coldkey.publicKey))
    const db = await openDB(dbName)
    const stored = await db.get('wallet', 'device') as { key: CryptoKey, ciphertext: Uint8Array }
    db.close()
    expect(stored.key.extractable).toBe(false)
    expect(new TextDecoder().decode(stored.ciphertext)).not.toContain(made.mnemonic.split(' ')[0]!)
  })

  it('remembers that the backup was asked for', async () => {
    const keystore = createKeystore({ dbName: `unguarded-${++dbCount}` })
    await keystore.createUnguarded()
    expect((await keystore.openUnguarded())?.backupAsked).toBe(false)
    await keystore.markBackupAsked()
    expect((await keystore.openUnguarded())?.backupAsked).toBe(true)
  })

  it('moves under a passphrase in one step: afterwards only the passphrase opens it', async () => {
    const dbName = `unguarded-${++dbCount}`
    const keystore = createKeystore({ dbName })
    const { wallet } = await keystore.createUnguarded()
    await expect(keystore.exportRecord()).rejects.toMatchObject({ code: 'NO_PASSPHRASE' })
    await expect(keystore.guard('short')).rejects.toMatchObject({ code: 'WEAK_PASSPHRASE' })
    expect(await records(dbName)).toEqual(['device'])

    const guarded = await keystore.guard(PASSPHRASE)
    expect(toAddress(guarded.coldkey.publicKey)).toBe(toAddress(wallet.coldkey.publicKey))
    expect(await records(dbName)).toEqual(['main'])
    expect(await keystore.openUnguarded()).toBeNull()
    await expect(keystore.unlock('not the passphrase')).rejects.toBeInstanceOf(WrongPassphraseError)
    expect(toAddress((await keystore.unlock(PASSPHRASE)).coldkey.publicKey)).toBe(toAddress(wallet.coldkey.publicKey))
    await expect(keystore.guard(PASSPHRASE)).rejects.toBeInstanceOf(KeystoreError)
  })

  it('is one wallet among the others: none is made over it, and forget removes it', async () => {
    const keystore = createKeystore({ dbName: `unguarded-${++dbCount}` })
    await keystore.createUnguarded()
    await expect(keystore.create(PASSPHRASE)).rejects.toMatchObject({ code: 'KEYSTORE_EXISTS' })
    await expect(keystore.createUnguarded()).rejects.toMatchObject({ code: 'KEYSTORE_EXISTS' })
    await keystore.forget()
    expect(await keystore.exists()).toBe(false)
  })
})
