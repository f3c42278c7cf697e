import 'fake-indexeddb/auto'
import { openDB } from 'idb'
import { describe, expect, it } from 'vitest'
import { createKeystore } from '../../../src/participant/keystore.ts'
import { KeystoreError, WrongPassphraseError } from '../../../src/participant/errors.ts'
import { toAddress } from '../../../src/core/address.ts'
import { newMnemonic } from '../../../src/core/keys.ts'
import type { Wallet } from '../../../src/core/keys.ts'

const PASSPHRASE = 'correct horse battery staple'
let dbCount = 0
const freshDbName = () => `keystore-test-${++dbCount}`
const freshKeystore = () => createKeystore({ dbName: freshDbName() })

/** The sealed record exactly as IndexedDB holds it. */
async function storedRecord (dbName: string): Promise<unknown> {
  const db = await openDB(dbName)
  try {
    return await db.get('wallet', 'main')
  } finally {
    db.close()
  }
}
const coldAddress = (wallet: Wallet) => toAddress(wallet.coldkey.publicKey)

describe('keystore', () => {
  it('holds nothing until a wallet is created', async () => {
    expect(await freshKeystore().exists()).toBe(false)
  })

  it('unlocks a created wallet to the same coldkey and hotkeys', async () => {
    const keystore = freshKeystore()
    const { mnemonic, wallet } = await keystore.create(PASSPHRASE)
    expect(mnemonic.split(' ')).toHaveLength(24)
    expect(await keystore.exists()).toBe(true)
    const unlocked = await keystore.unlock(PASSPHRASE)
    expect(coldAddress(unlocked)).toBe(coldAddress(wallet))
    expect(unlocked.hotkey(3).publicKey).toEqual(wallet.hotkey(3).publicKey)
  })

  it('survives being reopened under the same database name', async () => {
    const dbName = `keystore-test-${++dbCount}`
    const { wallet } = await createKeystore({ dbName }).create(PASSPHRASE)
    expect(coldAddress(await createKeystore({ dbName }).unlock(PASSPHRASE))).toBe(coldAddress(wallet))
  })

  it('refuses a wrong passphrase, leaves the stored record as it was, and still unlocks with the right one', async () => {
    const dbName = freshDbName()
    const keystore = createKeystore({ dbName })
    const { wallet } = await keystore.create(PASSPHRASE)
    const before = await storedRecord(dbName)
    const refused = keystore.unlock('correct horse battery stapler')
    await expect(refused).rejects.toBeInstanceOf(WrongPassphraseError)
    await expect(refused).rejects.toMatchObject({ code: 'WRONG_PASSPHRASE', message: expect.stringMatching(/does not unlock/) })
    expect(await storedRecord(dbName)).toEqual(before)
    expect(coldAddress(await keystore.unlock(PASSPHRASE))).toBe(coldAddress(wallet))
  })

  it('restores the same keys from the recovery phrase', async () => {
    const original = freshKeystore()
    const { mnemonic, wallet } = await original.create(PASSPHRASE)
    const elsewhere = freshKeystore()
    const restored = await elsewhere.restore(`  ${mnemonic.toUpperCase()}\n`, 'another passphrase')
    expect(coldAddress(restored)).toBe(coldAddress(wallet))
    expect(coldAddress(await elsewhere.unlock('another passphrase'))).toBe(coldAddress(wallet))
  })

  it('refuses a recovery phrase with a wrong word count, an unknown word or a bad checksum', async () => {
    const keystore = freshKeystore()
    const words = newMnemonic().split(' ')
    await expect(keystore.restore(words.slice(0, 23).join(' '), PASSPHRASE))
      .rejects.toMatchObject({ code: 'BAD_MNEMONIC', message: expect.stringMatching(/has 23/) })
    await expect(keystore.restore([...words.slice(0, 23), 'tabtensor'].join(' '), PASSPHRASE))
      .rejects.toMatchObject({ code: 'BAD_MNEMONIC', message: expect.stringMatching(/"tabtensor"/) })
    await expect(keystore.restore([...words.slice(1), words[0]].join(' '), PASSPHRASE))
      .rejects.toMatchObject({ code: 'BAD_MNEMONIC' })
    expect(await keystore.exists()).toBe(false)
  })

  it('refuses a passphrase shorter than 8 characters and stores nothing', async () => {
    const keystore = freshKeystore()
    await expect(keystore.create('seven77')).rejects.toBeInstanceOf(KeystoreError)
    await expect(keystore.create('short')).rejects.toMatchObject({ code: 'WEAK_PASSPHRASE', message: expect.stringMatching(/at least 8/) })
    await expect(keystore.restore(newMnemonic(), '1234567')).rejects.toBeInstanceOf(KeystoreError)
    expect(await keystore.exists()).toBe(false)
  })

  it('refuses to overwrite a stored wallet and keeps the first one untouched', async () => {
    const dbName = freshDbName()
    const keystore = createKeystore({ dbName })
    const { wallet } = await keystore.create(PASSPHRASE)
    const before = await storedRecord(dbName)
    await expect(keystore.create(PASSPHRASE)).rejects.toMatchObject({ code: 'KEYSTORE_EXISTS' })
    await expect(keystore.restore(newMnemonic(), PASSPHRASE)).rejects.toMatchObject({ code: 'KEYSTORE_EXISTS' })
    expect(await storedRecord(dbName)).toEqual(before)
    expect(coldAddress(await keystore.unlock(PASSPHRASE))).toBe(coldAddress(wallet))
  })

  it('forgets the wallet, after which unlocking says there is none', async () => {
    const keystore = freshKeystore()
    await keystore.create(PASSPHRASE)
    await keystore.forget()
    expect(await keystore.exists()).toBe(false)
    await expect(keystore.unlock(PASSPHRASE)).rejects.toMatchObject({ code: 'NO_KEYSTORE' })
  })
})
