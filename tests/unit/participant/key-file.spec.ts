import 'fake-indexeddb/auto'
import { describe, expect, it } from 'vitest'
import { toAddress } from '../../../src/core/address.ts'
import { createKeystore, KEY_FILE_FORMAT } from '../../../src/participant/keystore.ts'
import { KeyFileSession } from '../../../src/participant/key-file-session.svelte.ts'

const PASSPHRASE = 'correct horse battery staple'
let dbCount = 0
const freshKeystore = () => createKeystore({ dbName: `key-file-test-${++dbCount}` })
const asFile = (text: string) => ({ size: text.length, text: async () => text })

describe('key files', () => {
  it('exports the encrypted record and imports it elsewhere with the same passphrase', async () => {
    const source = freshKeystore()
    const { wallet } = await source.create(PASSPHRASE)
    const file = await source.exportRecord()
    expect(JSON.parse(file).format).toBe(KEY_FILE_FORMAT)
    expect(file).not.toContain(PASSPHRASE)

    const target = freshKeystore()
    const imported = await target.importRecord(file, PASSPHRASE)
    expect(toAddress(imported.coldkey.publicKey)).toBe(toAddress(wallet.coldkey.publicKey))
    expect(toAddress((await target.unlock(PASSPHRASE)).coldkey.publicKey)).toBe(toAddress(wallet.coldkey.publicKey))
  })

  it('stores nothing for a wrong passphrase, another file, or a damaged one', async () => {
    const source = freshKeystore()
    await source.create(PASSPHRASE)
    const file = await source.exportRecord()
    const target = freshKeystore()
    await expect(target.importRecord(file, 'not the passphrase')).rejects.toMatchObject({ code: 'WRONG_PASSPHRASE' })
    await expect(target.importRecord('{"hello": 1}', PASSPHRASE)).rejects.toMatchObject({ code: 'BAD_KEY_FILE' })
    await expect(target.importRecord('not json', PASSPHRASE)).rejects.toMatchObject({ code: 'BAD_KEY_FILE' })
    const damaged = JSON.stringify({ ...JSON.parse(file), cipher: { name: 'AES-GCM', iv: 'AAAA' } })
    await expect(target.importRecord(damaged, PASSPHRASE)).rejects.toMatchObject({ code: 'BAD_KEY_FILE' })
    expect(await target.exists()).toBe(false)
  })

  it('refuses to import over a wallet this browser already holds, and to export when there is none', async () => {
    const source = freshKeystore()
    await source.create(PASSPHRASE)
    const target = freshKeystore()
    await expect(target.exportRecord()).rejects.toMatchObject({ code: 'NO_KEYSTORE' })
    await target.create(PASSPHRASE)
    await expect(target.importRecord(await source.exportRecord(), PASSPHRASE)).rejects.toMatchObject({ code: 'KEYSTORE_EXISTS' })
  })
})

describe('KeyFileSession', () => {
  it('says what is missing before trying, and unlocks the wallet after an import', async () => {
    const source = freshKeystore()
    await source.create(PASSPHRASE)
    const unlocked: string[] = []
    const session = new KeyFileSession({ keystore: freshKeystore(), unlock: async p => { unlocked.push(p) } })
    expect(await session.importFile(null, PASSPHRASE)).toBe(false)
    expect(session.error).toMatch(/Choose the key file/)
    expect(await session.importFile(asFile('{}'), '')).toBe(false)
    expect(session.error).toMatch(/passphrase/)
    expect(await session.importFile(asFile(await source.exportRecord()), 'wrong passphrase')).toBe(false)
    expect(session.error).toMatch(/does not unlock/)
    expect(unlocked).toEqual([])
    expect(await session.importFile(asFile(await source.exportRecord()), PASSPHRASE)).toBe(true)
    expect(unlocked).toEqual([PASSPHRASE])
    expect(session.error).toBeNull()
  })
})
