import { describe, expect, it } from 'vitest'
import type { DemoClient, NetworkView } from '../../../src/participant/demo-client.ts'
import { DemoSession, leaderboard } from '../../../src/participant/demo-session.svelte.ts'
import type { EpochSummary, ExplorerClient, Metagraph, NeuronView, SubnetSummary } from '../../../src/participant/explorer-client.ts'

function neuron (uid: number, incentive: number, emission: bigint, validatorPermit = false): NeuronView {
  return {
    uid, hotkey: `tt1hot${uid}`, coldkey: `tt1cold${uid}`, stake: 0n, registeredAt: 0, lastUpdate: 0, validatorPermit, active: true,
    consensus: 0, incentive, dividends: 0, validatorTrust: 0, emission
  }
}

const subnet: SubnetSummary = {
  netuid: 1, name: 'folding', owner: 'tt1owner', locked: 0n, pendingEmission: 5n, lastEpochBlock: 20, createdAt: 0, n: 4, params: { tempo: 20n }
}

describe('the demo screen', () => {
  it('ranks a subnet\'s miners by incentive, then pay, then uid, leaves validators out and marks the tabs here', () => {
    const rows = leaderboard([neuron(0, 65535, 9n, true), neuron(1, 100, 1n), neuron(2, 30000, 2n), neuron(3, 100, 5n), neuron(4, 100, 5n)], new Set(['tt1hot3']), 3)
    expect(rows.map(r => [r.rank, r.uid, r.online])).toEqual([[1, 2, false], [2, 3, true], [3, 4, false]])
    expect(rows[0]!.incentive).toBeCloseTo(30000 / 65535)
  })

  it('adds each epoch\'s payout to the feed once, newest first, and counts what was paid since it opened', async () => {
    const epochs: EpochSummary[] = [{ height: 20, emission: 7n, ownerCut: 1n, carried: 0n }]
    const network: NetworkView = { height: 25, relayPeerId: 'relay', peers: [{ peerId: 'p', hotkey: 'tt1hot1', reserved: true, since: 0, roles: [] }], links: [] }
    const demo: DemoClient = { network: async () => network, join: async () => ({ urls: ['http://192.168.1.2:8080/'], lan: true }) }
    const metagraph: Metagraph = { ...subnet, height: 25, neurons: [neuron(0, 0, 0n, true), neuron(1, 65535, 3n)] }
    const explorer = {
      subnets: async () => [subnet],
      metagraph: async () => metagraph,
      epochs: async () => epochs
    } as unknown as ExplorerClient
    const session = new DemoSession({ demo, explorer })
    await session.refresh()
    expect(session.error).toBeNull()
    expect(session.join?.urls[0]).toBe('http://192.168.1.2:8080/')
    expect(session.boards[0]).toMatchObject({ miners: 1, validators: 1, pending: 5n, nextEpochIn: 15, rows: [{ uid: 1, online: true }] })
    expect(session.feed.map(p => p.height)).toEqual([20])
    expect(session.paidSinceOpen).toBe(0n)

    epochs.push({ height: 40, emission: 11n, ownerCut: 2n, carried: 0n })
    await session.refresh()
    await session.refresh()
    expect(session.feed.map(p => p.height)).toEqual([40, 20])
    expect(session.paidSinceOpen).toBe(11n)
  })
})
