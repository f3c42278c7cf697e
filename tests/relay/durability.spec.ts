import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { toAddress } from '../../src/core/address.ts'
import { decodeBlock } from '../../src/core/block.ts'
import { Chain } from '../../src/core/chain.ts'
import { toHex } from '../../src/core/hash.ts'
import { keypairFromLabel, type Keypair } from '../../src/core/keys.ts'
import { decodeTx, signTx } from '../../src/core/tx.ts'
import { chainIdOf, type GenesisSpec } from '../../src/core/genesis.ts'
import { startRelayProcess, type RelayProcess } from '../helpers/relay.ts'

const SENDERS = 16
const TXS_PER_SENDER = 200
const producer = keypairFromLabel('durability/producer')
const senders: Keypair[] = Array.from({ length: SENDERS }, (_, i) => keypairFromLabel(`durability/sender/${i}`))
const receiver = keypairFromLabel('durability/receiver')
const spec: GenesisSpec = {
  chain: 'durability-test',
  time: 1_700_000_000_000,
  producer: producer.publicKey,
  balances: senders.map(s => ({ key: s.publicKey, amount: 1_000_000_000_000n })),
  subnets: [{ name: 'folding', owner: producer.publicKey, params: {} }],
  params: {}
}
const chainId = chainIdOf(spec)

async function submit (url: string, bytes: Uint8Array): Promise<Response> {
  return await fetch(`${url}/api/tx`, { method: 'POST', headers: { 'content-type': 'application/cbor' }, body: Buffer.from(bytes) })
}

async function health (url: string): Promise<{ height: number, pending: number, headHash: string }> {
  return await (await fetch(`${url}/api/health`)).json()
}

async function blocksOf (url: string): Promise<Uint8Array[]> {
  const { height } = await health(url)
  const out: Uint8Array[] = []
  for (let h = 1; h <= height; h++) {
    const res = await fetch(`${url}/api/blocks/${h}`, { headers: { accept: 'application/cbor' } })
    out.push(new Uint8Array(await res.arrayBuffer()))
  }
  return out
}

describe('the relay keeps every acknowledged transaction through kill -9', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'tabtensor-durability-'))
  let relay: RelayProcess | undefined
  afterAll(async () => {
    await relay?.kill()
    rmSync(dataDir, { recursive: true, force: true })
  })

  it('loses nothing acknowledged, and its state root equals a replay from genesis', async () => {
    relay = await startRelayProcess({ dataDir, genesis: { spec, producer }, blockTimeMs: 100 })
    const acked = new Set<string>()
    let killed = false
    const killAfter = (SENDERS * TXS_PER_SENDER) / 2
    // Each sender submits its transactions in nonce order; senders run concurrently.
    const runs = senders.map(async (sender, s) => {
      for (let nonce = 0; nonce < TXS_PER_SENDER; nonce++) {
        const tx = signTx({ kind: 'transfer', from: sender.publicKey, nonce, to: receiver.publicKey, amount: BigInt(1 + s) }, sender, chainId)
        let res: Response
        try {
          res = await submit(relay!.url, tx.bytes)
        } catch {
          return nonce // the relay is gone
        }
        if (res.status !== 200) throw new Error(`rejected: ${res.status} ${await res.text()}`)
        expect((await res.json()).id).toBe(tx.id)
        acked.add(tx.id)
        if (acked.size >= killAfter && !killed) {
          killed = true
          await relay!.kill('SIGKILL')
        }
      }
      return TXS_PER_SENDER
    })
    await Promise.all(runs)
    expect(killed).toBe(true)
    expect(relay.proc.signalCode).toBe('SIGKILL')
    expect(acked.size).toBeGreaterThanOrEqual(killAfter)

    relay = await startRelayProcess({ dataDir, genesis: { spec, producer }, blockTimeMs: 100 })
    // After the restart the relay goes on taking transactions where each account left off.
    const after = await Promise.all(senders.map(async sender => {
      const acct = await (await fetch(`${relay!.url}/api/accounts/${toAddress(sender.publicKey)}`)).json()
      const tx = signTx({ kind: 'transfer', from: sender.publicKey, nonce: acct.pendingNonce, to: receiver.publicKey, amount: 7n }, sender, chainId)
      const res = await submit(relay!.url, tx.bytes)
      expect(res.status).toBe(200)
      return tx.id
    }))
    for (const id of after) acked.add(id)

    // Wait until everything pending is in a block.
    for (let i = 0; i < 200; i++) {
      const h = await health(relay.url)
      if (h.pending === 0) break
      await new Promise(r => setTimeout(r, 100))
    }
    const blocks = await blocksOf(relay.url)
    const included = new Set(blocks.flatMap(b => decodeBlock(b).txs.map(tx => decodeTx(tx).id)))
    const missing = [...acked].filter(id => !included.has(id))
    expect(missing).toEqual([])

    // An independent copy of the chain, built from genesis, reaches the relay's state root.
    const replica = new Chain(spec)
    for (const bytes of blocks) replica.applyBlock(decodeBlock(bytes))
    const head = await (await fetch(`${relay.url}/api/blocks/${replica.height}`)).json()
    expect(toHex(replica.state.root)).toBe(head.stateRoot)
    expect(toHex(replica.headHash)).toBe(head.hash)
  })
})
