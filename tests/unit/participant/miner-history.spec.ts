import { describe, expect, it } from 'vitest'
import { RelayError } from '../../../src/participant/errors.ts'
import { createMinerEpochsClient, type MinerEpoch } from '../../../src/participant/miner-epochs-client.ts'
import { MinerHistory } from '../../../src/participant/miner-history.svelte.ts'

const row = { height: 10, uid: 2, sharePpm: 250_000, rank: 1, miners: 4, miner: '5', validator: '0', take: '0', earned: '5' }
const fetchJson = (body: unknown, seen: string[] = [], status = 200): typeof fetch => async (url) => {
  seen.push(String(url))
  return new Response(JSON.stringify(body), { status })
}
const settle = async (): Promise<void> => { await new Promise(r => setTimeout(r, 20)) }

describe('the relay\'s per-epoch figures for a miner', () => {
  it('asks for the hotkey on the subnet with a limit and reads the figures', async () => {
    const seen: string[] = []
    const client = createMinerEpochsClient({ fetch: fetchJson({ epochs: [row] }, seen) })
    expect(await client.getMinerEpochs(1, 'tt1abc', 5)).toEqual([{ height: 10, uid: 2, sharePpm: 250_000, rank: 1, miners: 4, earned: 5n }])
    expect(seen).toEqual(['/api/epochs/1/miners/tt1abc?limit=5'])
  })

  it('refuses an answer of the wrong shape and keeps the relay\'s error code', async () => {
    await expect(createMinerEpochsClient({ fetch: fetchJson({ epochs: [{ ...row, earned: 5 }] }) }).getMinerEpochs(1, 'tt1abc')).rejects.toMatchObject({ code: 'BAD_RESPONSE' })
    const bad = createMinerEpochsClient({ fetch: fetchJson({ error: 'BAD_LIMIT', message: 'Ask for 1 to 16 epochs with ?limit=N.' }, [], 400) })
    await expect(bad.getMinerEpochs(1, 'tt1abc', 99)).rejects.toBeInstanceOf(RelayError)
  })
})

describe('the mining view\'s history', () => {
  it('follows the hotkey on the named subnet, keeps the last figures on a failed read, and forgets them on stop', async () => {
    let answer: MinerEpoch[] | Error = [{ height: 10, uid: 2, sharePpm: 1, rank: 1, miners: 1, earned: 1n }]
    const asked: Array<[number, string]> = []
    const history = new MinerHistory({
      client: { getMinerEpochs: async (netuid, hotkey) => { asked.push([netuid, hotkey]); if (answer instanceof Error) throw answer; return answer } },
      subnets: async () => [{ netuid: 1, name: 'folding' }, { netuid: 2, name: 'prices' }],
      pollMs: 10
    })
    expect(history.epochs).toBeNull()
    history.follow('prices', 'tt1me')
    await settle()
    expect(asked[0]).toEqual([2, 'tt1me'])
    expect(history.epochs).toHaveLength(1)
    answer = new RelayError('UNREACHABLE', 'Cannot reach the relay; check your connection, then try again.')
    await settle()
    expect(history.error).toMatch(/Cannot reach the relay/)
    expect(history.epochs).toHaveLength(1)
    history.stop()
    expect(history.epochs).toBeNull()
    const count = asked.length
    await settle()
    expect(asked.length).toBe(count)
  })

  it('says so when the network has no subnet of that name', async () => {
    const history = new MinerHistory({ client: { getMinerEpochs: async () => [] }, subnets: async () => [], pollMs: 1000 })
    history.follow('storage', 'tt1me')
    await settle()
    expect(history.error).toMatch(/no subnet called storage/)
    history.stop()
  })
})
