import { describe, expect, it } from 'vitest'
import type { ProposalView } from '../../../src/participant/explorer-client.ts'
import { checkProposal, outcome, paramsOf, standing, voteRefusal } from '../../../src/participant/governance-form.ts'

const TOKEN = 1_000_000_000n
const ctx = { stake: 5n * TOKEN, minStake: TOKEN, netuids: [1, 2, 3] }
const proposal = (over: Partial<ProposalView> = {}): ProposalView => ({
  id: 4, proposer: 'tt1p', netuid: 1, param: 'tempo', value: 50n, createdAt: 10, closesAt: 100, enactAt: null,
  status: 'open', yes: 0n, no: 0n, votes: [], ...over
})

describe('checkProposal', () => {
  it('accepts a subnet or network parameter within its range', () => {
    expect(checkProposal({ netuid: '1', param: 'tempo', value: '50' }, ctx)).toEqual({ ok: true, netuid: 1, param: 'tempo', value: 50n })
    expect(checkProposal({ netuid: '0', param: 'quorumPpm', value: '200000' }, ctx)).toMatchObject({ ok: true, netuid: 0 })
  })

  it('refuses an unknown scope, a parameter of the other scope, and values out of range or not whole', () => {
    expect(checkProposal({ netuid: '9', param: 'tempo', value: '5' }, ctx)).toMatchObject({ ok: false, errors: { netuid: expect.any(String) } })
    expect(checkProposal({ netuid: '0', param: 'tempo', value: '5' }, ctx)).toMatchObject({ ok: false, errors: { param: 'Choose a parameter from the list.' } })
    expect(checkProposal({ netuid: '1', param: 'tempo', value: '0' }, ctx)).toMatchObject({ ok: false, errors: { value: 'tempo must be between 1 and 65535.' } })
    expect(checkProposal({ netuid: '1', param: 'tempo', value: '1.5' }, ctx)).toMatchObject({ ok: false, errors: { value: expect.stringMatching(/whole number/) } })
    expect(checkProposal({ netuid: '1', param: 'tempo', value: '' }, ctx)).toMatchObject({ ok: false, errors: { value: 'Enter the new value.' } })
  })

  it('refuses a proposer without the stake the network asks for, saying how to get it', () => {
    const check = checkProposal({ netuid: '1', param: 'tempo', value: '50' }, { ...ctx, stake: 0n })
    expect(check).toMatchObject({ ok: false, errors: { form: expect.stringMatching(/needs 1 TT of stake.*stake to a validator/) } })
  })

  it('lists the parameters of each scope', () => {
    expect(paramsOf(0).map(([name]) => name)).toContain('proposalPeriod')
    expect(paramsOf(1).map(([name]) => name)).toContain('tempo')
  })
})

describe('voteRefusal', () => {
  it('refuses a vote on a closed proposal, or once its closing block is reached', () => {
    expect(voteRefusal(proposal({ status: 'rejected' }), 50, TOKEN)).toBe('Proposal 4 closed at block 100; votes are no longer counted.')
    expect(voteRefusal(proposal(), 100, TOKEN)).toMatch(/closed at block 100/)
  })

  it('refuses a coldkey without stake and lets any other vote', () => {
    expect(voteRefusal(proposal(), 50, 0n)).toMatch(/stake/)
    expect(voteRefusal(proposal(), 50, TOKEN)).toBeNull()
  })
})

describe('standing', () => {
  it('weighs an open proposal\'s votes by their voters\' stake now, against the quorum', () => {
    const open = proposal({ votes: [{ voter: 'a', approve: true, stake: 3n }, { voter: 'b', approve: false, stake: 1n }] })
    expect(standing(open, 100n, 100_000n)).toEqual({ yes: 3n, no: 1n, turnoutPpm: 40_000n, quorum: false, passing: false })
    expect(standing(open, 10n, 100_000n)).toMatchObject({ quorum: true, passing: true })
  })

  it('takes the ledger\'s tally once closed', () => {
    const closed = proposal({ status: 'passed', yes: 7n, no: 2n, enactAt: 200, votes: [{ voter: 'a', approve: false, stake: 99n }] })
    expect(standing(closed, 10n, 0n)).toMatchObject({ yes: 7n, no: 2n, passing: true })
  })
})

describe('outcome', () => {
  it('says when a proposal closes, or how it ended and when it takes effect', () => {
    expect(outcome(proposal(), 40)).toBe('Open for votes until block 100 (in 60 blocks).')
    expect(outcome(proposal({ status: 'passed', enactAt: 1200 }), 150)).toBe('Passed; takes effect at block 1,200 (in 1,050 blocks).')
    expect(outcome(proposal({ status: 'enacted', enactAt: 1200 }), 1500)).toBe('Passed and took effect at block 1,200.')
    expect(outcome(proposal({ status: 'rejected' }), 150)).toBe('Rejected when it closed at block 100.')
    expect(outcome(proposal({ status: 'lapsed' }), 150)).toMatch(/no longer exists/)
  })
})
