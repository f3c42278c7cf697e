import { describe, expect, it } from 'vitest'
import { toHex } from '../../../src/core/hash.ts'
import { newMnemonic, walletFromMnemonic } from '../../../src/core/keys.ts'
import { toAddress } from '../../../src/core/address.ts'
import type { ExplorerClient, Proposals } from '../../../src/participant/explorer-client.ts'
import { GovernanceSession } from '../../../src/participant/governance-session.svelte.ts'
import { RelayError } from '../../../src/participant/errors.ts'

const TOKEN = 1_000_000_000n
const wallet = walletFromMnemonic(newMnemonic())
const address = toAddress(wallet.coldkey.publicKey)

function setup (height: number, stake: bigint, submit: () => Promise<{ id: string }> = async () => ({ id: 'bafy-vote' })) {
  const sent: number[] = []
  const data: Proposals = {
    height,
    totalStake: 10n * TOKEN,
    params: { proposalPeriod: 600n, enactmentDelay: 100n, quorumPpm: 100_000n, proposeMinStake: TOKEN },
    proposals: [
      { id: 1, proposer: address, netuid: 1, param: 'tempo', value: 30n, createdAt: 0, closesAt: 100, enactAt: null, status: 'open', yes: 0n, no: 0n, votes: [] },
      { id: 0, proposer: address, netuid: 0, param: 'quorumPpm', value: 1n, createdAt: 0, closesAt: 20, enactAt: null, status: 'rejected', yes: 0n, no: 5n, votes: [] }
    ]
  }
  const explorer: Pick<ExplorerClient, 'proposals' | 'subnets' | 'stakes'> = {
    // A fresh answer each time, as the relay's JSON is.
    proposals: async () => ({ ...data, proposals: [...data.proposals] }),
    subnets: async () => [],
    stakes: async () => ({ address, height, total: stake, stakes: [] })
  }
  const relay = {
    getHealth: async () => ({ ok: true, height, headHash: '00', chainId: toHex(new Uint8Array(32)) }),
    getAccount: async () => ({ address, balance: 0n, nonce: 0, pendingNonce: 0, height, stateRoot: '00', proof: null }),
    submitTx: async () => { sent.push(1); return await submit() }
  }
  const session = new GovernanceSession({ relay, explorer, wallet: { wallet, address, balance: 0n, refreshAccount: async () => {} } })
  return { session, sent, data }
}

describe('GovernanceSession', () => {
  it('splits open and past proposals and sends a vote on an open one', async () => {
    const { session, sent } = setup(50, TOKEN)
    await session.refresh()
    expect(session.open.map(p => p.id)).toEqual([1])
    expect(session.past.map(p => p.id)).toEqual([0])
    expect(await session.vote(1, true)).toBe(true)
    expect(sent).toHaveLength(1)
    expect(session.voteNotices[1]).toMatch(/yes vote is sent/)
  })

  it('refuses inline, and sends nothing, for a vote on a closed proposal or one past its closing block', async () => {
    const { session, sent } = setup(150, TOKEN)
    await session.refresh()
    expect(await session.vote(0, true)).toBe(false)
    expect(session.voteErrors[0]).toBe('Proposal 0 closed at block 20; votes are no longer counted.')
    expect(await session.vote(1, false)).toBe(false)
    expect(session.voteErrors[1]).toMatch(/closed at block 100/)
    expect(sent).toEqual([])
  })

  it('takes the vote buttons away, with a sentence, from a proposal that closes while it is shown', async () => {
    const { session, data } = setup(99, TOKEN)
    await session.refresh()
    expect(session.votable(data.proposals[0]!)).toBe(true)
    expect(session.votable(data.proposals[1]!)).toBe(false)
    data.height = 100
    data.proposals[0] = { ...data.proposals[0]!, status: 'passed', yes: 5n }
    await session.refresh()
    expect(session.votable(session.data!.proposals[0]!)).toBe(false)
    expect(session.closedNotices).toEqual({ 1: 'Voting closed at block 100 while this page was open; votes are no longer counted.' })
    expect(session.past.map(p => p.id)).toEqual([1, 0])
  })

  it('refuses a proposal without enough stake, and shows a lost connection as a sentence', async () => {
    const { session, sent } = setup(50, 0n)
    await session.refresh()
    expect(await session.propose({ netuid: '0', param: 'proposalPeriod', value: '10' })).toBe(false)
    expect(session.proposeErrors.form).toMatch(/stake to a validator/)
    expect(sent).toEqual([])

    const offline = setup(50, TOKEN, async () => { throw new RelayError('UNREACHABLE', 'Cannot reach the relay; check your connection, then try again.') })
    await offline.session.refresh()
    expect(await offline.session.vote(1, true)).toBe(false)
    expect(offline.session.voteErrors[1]).toBe('Cannot reach the relay; check your connection, then try again.')
  })
})
