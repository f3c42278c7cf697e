/** A minimal Node-side client of a running relay for end-to-end tests: JSON reads, signed transactions, waiting. */
import { toAddress } from '../../src/core/address.ts'
import type { Keypair } from '../../src/core/keys.ts'
import { signTx, type TxBody } from '../../src/core/tx.ts'

export class NodeClient {
  constructor (readonly url: string, readonly chainId: Uint8Array) {}

  async get (path: string): Promise<any> {
    const res = await fetch(this.url + path)
    return await res.json()
  }

  /** Signs `fields` with `key` at its next nonce and sends it; throws with the relay's answer if refused. */
  async send (key: Keypair, fields: Record<string, unknown>): Promise<string> {
    const { pendingNonce } = await this.get(`/api/accounts/${toAddress(key.publicKey)}`)
    const tx = signTx({ ...fields, from: key.publicKey, nonce: pendingNonce } as TxBody, key, this.chainId)
    const res = await fetch(`${this.url}/api/tx`, { method: 'POST', headers: { 'content-type': 'application/cbor' }, body: Buffer.from(tx.bytes) })
    if (res.status !== 200) throw new Error(`${String(fields.kind)} refused: ${await res.text()}`)
    return tx.id
  }

  async waitFor (what: string, done: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs
    while (!(await done())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
      await new Promise(r => setTimeout(r, 50))
    }
  }

  /** Waits for subnet `netuid`'s next epoch and returns its height. */
  async nextEpoch (netuid: number): Promise<number> {
    const last = (await this.get(`/api/subnets/${netuid}`)).lastEpochBlock
    await this.waitFor('an epoch', async () => (await this.get(`/api/subnets/${netuid}`)).lastEpochBlock > last)
    return (await this.get(`/api/subnets/${netuid}`)).lastEpochBlock
  }
}
