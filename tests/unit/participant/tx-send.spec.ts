import { describe, expect, it } from 'vitest'
import { toHex } from '../../../src/core/hash.ts'
import { keypairFromLabel, newMnemonic, walletFromMnemonic } from '../../../src/core/keys.ts'
import { decodeTx, verifyTx } from '../../../src/core/tx.ts'
import { toAddress } from '../../../src/core/address.ts'
import { buildTx, sendTx } from '../../../src/participant/tx-send.ts'
import { RelayError } from '../../../src/participant/errors.ts'

const wallet = walletFromMnemonic(newMnemonic())
const chainId = new Uint8Array(32).fill(7)
const hotkey = keypairFromLabel('tx-send/hotkey').publicKey

describe('buildTx', () => {
  it('signs the fields with the coldkey, its nonce and the chain id', () => {
    const tx = decodeTx(buildTx(wallet, { kind: 'add_stake', hotkey, amount: 5n }, 3, toHex(chainId)))
    expect(tx.body).toEqual({ kind: 'add_stake', from: wallet.coldkey.publicKey, nonce: 3, hotkey, amount: 5n })
    expect(() => { verifyTx(tx, chainId) }).not.toThrow()
    expect(() => { verifyTx(tx, new Uint8Array(32)) }).toThrow()
  })

  it('builds votes and proposals with exactly their fields', () => {
    expect(decodeTx(buildTx(wallet, { kind: 'vote', proposal: 2, approve: false }, 0, toHex(chainId))).body).toMatchObject({ kind: 'vote', proposal: 2, approve: false })
    expect(decodeTx(buildTx(wallet, { kind: 'propose', netuid: 1, param: 'tempo', value: 9n }, 0, toHex(chainId))).body).toMatchObject({ kind: 'propose', param: 'tempo', value: 9n })
  })
})

describe('sendTx', () => {
  it('asks the relay for the chain and the pending nonce, and submits the signed bytes', async () => {
    const sent: Uint8Array[] = []
    const relay = {
      getHealth: async () => ({ ok: true, height: 5, headHash: '00', chainId: toHex(chainId) }),
      getAccount: async (address: string) => {
        expect(address).toBe(toAddress(wallet.coldkey.publicKey))
        return { address, balance: 0n, nonce: 1, pendingNonce: 4, height: 5, stateRoot: '00', proof: null }
      },
      submitTx: async (bytes: Uint8Array) => { sent.push(bytes); return { id: 'bafy-id' } }
    }
    expect(await sendTx(relay, wallet, { kind: 'remove_stake', hotkey, amount: 1n })).toBe('bafy-id')
    expect(decodeTx(sent[0]!).body.nonce).toBe(4)
  })

  it('passes the relay\'s refusal on untouched', async () => {
    const relay = {
      getHealth: async () => { throw new RelayError('UNREACHABLE', 'Cannot reach the relay; check your connection, then try again.') },
      getAccount: async () => { throw new Error('not reached') },
      submitTx: async () => { throw new Error('not reached') }
    }
    await expect(sendTx(relay, wallet, { kind: 'vote', proposal: 0, approve: true })).rejects.toThrow(/Cannot reach the relay/)
  })
})
