import { describe, expect, it } from 'vitest'
import type { Keypair } from '../../../../src/core/keys.ts'
import { K, type Proposal } from '../../../../src/core/ledger/schema.ts'
import type { NetworkParams } from '../../../../src/core/params.ts'
import { TOKEN, TestChain, alice, bob, carol, expectRejected, genesisSpec, hotA, hotB, hotC } from './fixture.ts'

const PERIOD = 5
const DELAY = 3

/**
 * alice stakes 10 tokens (on hotA), bob 1 (on hotB), carol `carolStake` (on hotC, if any). The
 * subnets take no emission, so no epoch pays dividends into these stakes while votes are counted.
 */
function network (params: Partial<NetworkParams> = {}, carolStake = 0n): TestChain {
  const tc = new TestChain(genesisSpec({
    params: { proposalPeriod: BigInt(PERIOD), enactmentDelay: BigInt(DELAY), proposeMinStake: TOKEN, ...params },
    subnet1: { emissionShare: 0n },
    subnet2: { emissionShare: 0n }
  }))
  tc.registerAndStake(alice, hotA, 10n * TOKEN)
  tc.registerAndStake(bob, hotB, TOKEN)
  if (carolStake > 0n) tc.registerAndStake(carol, hotC, carolStake)
  return tc
}

const vote = (proposal: number, approve: boolean) => ({ kind: 'vote' as const, proposal, approve })
const propose = (netuid: number, param: string, value: bigint) => ({ kind: 'propose' as const, netuid, param, value })
const proposal = (tc: TestChain, id: number): Proposal => tc.state.get<Proposal>(K.proposal(id))!

function proposeAndVote (tc: TestChain, votes: Array<[Keypair, boolean]>, netuid = 1, param = 'tempo', value = 100n): Proposal {
  tc.submit(alice, propose(netuid, param, value))
  for (const [voter, approve] of votes) tc.submit(voter, vote(0, approve))
  tc.block()
  return proposal(tc, 0)
}

describe('proposals', () => {
  it('pass with a stake majority at closesAt, and take effect at closesAt + enactmentDelay', () => {
    const tc = network()
    const p = proposeAndVote(tc, [[alice, true], [bob, false]])
    expect(p.createdAt).toBe(5)
    expect(p.closesAt).toBe(5 + PERIOD)
    expect(p.status).toBe('open')
    expect(tc.globals.openProposals).toStrictEqual([0])
    tc.blocksUntil(p.closesAt - 1)
    expect(proposal(tc, 0).status).toBe('open')
    tc.block()
    const closed = proposal(tc, 0)
    expect(closed.status).toBe('passed')
    expect(closed.yes).toBe(10n * TOKEN)
    expect(closed.no).toBe(TOKEN)
    expect(closed.enactAt).toBe(p.closesAt + DELAY)
    expect(tc.globals.openProposals).toStrictEqual([])
    expect(tc.globals.passedProposals).toStrictEqual([0])
    tc.blocksUntil(p.closesAt + DELAY - 1)
    expect(tc.subnet(1).params.tempo).toBe(3n)
    tc.block()
    expect(tc.subnet(1).params.tempo).toBe(100n)
    expect(proposal(tc, 0).status).toBe('enacted')
    expect(tc.globals.passedProposals).toStrictEqual([])
  })

  it('change a network parameter when proposed for netuid 0', () => {
    const tc = network()
    const p = proposeAndVote(tc, [[alice, true]], 0, 'maxSubnets', 5n)
    tc.blocksUntil(p.closesAt + DELAY)
    expect(tc.globals.params.maxSubnets).toBe(5n)
  })

  it('take effect at closesAt when enactmentDelay is 0', () => {
    const tc = network({ enactmentDelay: 0n })
    const p = proposeAndVote(tc, [[alice, true]])
    tc.blocksUntil(p.closesAt)
    expect(proposal(tc, 0).status).toBe('enacted')
    expect(tc.subnet(1).params.tempo).toBe(100n)
  })

  it('are rejected without quorum, even when every vote cast is yes', () => {
    // Quorum 50 %: alice (10) and bob (1) vote, carol (30) does not: 11 of 41 tokens.
    const tc = network({ quorumPpm: 500_000n }, 30n * TOKEN)
    const p = proposeAndVote(tc, [[alice, true], [bob, true]])
    tc.blocksUntil(p.closesAt + DELAY + 1)
    const closed = proposal(tc, 0)
    expect(closed.status).toBe('rejected')
    expect(closed.enactAt).toBeNull()
    expect(closed.yes).toBe(11n * TOKEN)
    expect(tc.subnet(1).params.tempo).toBe(3n)
    expect(tc.globals.openProposals).toStrictEqual([])
    expect(tc.globals.passedProposals).toStrictEqual([])
  })

  it('pass once the votes cast reach the quorum exactly', () => {
    // 11 of 44 tokens is exactly 25 %.
    const tc = network({ quorumPpm: 250_000n }, 33n * TOKEN)
    const p = proposeAndVote(tc, [[alice, true], [bob, false]])
    tc.blocksUntil(p.closesAt)
    expect(proposal(tc, 0).status).toBe('passed')
  })

  it('are rejected when no outweighs yes, or on a tie', () => {
    const tc = network({}, 10n * TOKEN)
    const p = proposeAndVote(tc, [[alice, true], [bob, false], [carol, false]])
    tc.blocksUntil(p.closesAt)
    expect(proposal(tc, 0).status).toBe('rejected')
    const tie = network({}, 10n * TOKEN)
    proposeAndVote(tie, [[alice, true], [carol, false]])
    tie.blocksUntil(proposal(tie, 0).closesAt)
    expect(proposal(tie, 0).status).toBe('rejected')
  })

  it('count a changed vote once, as its last choice', () => {
    const tc = network()
    const p = proposeAndVote(tc, [[alice, false], [bob, true], [alice, true]])
    expect(p.voters).toHaveLength(2)
    tc.blocksUntil(p.closesAt)
    expect(proposal(tc, 0)).toMatchObject({ status: 'passed', yes: 11n * TOKEN, no: 0n })
  })

  it("weigh each vote by the voter's stake when the proposal closes", () => {
    const tc = network()
    const p = proposeAndVote(tc, [[alice, true], [bob, false]])
    tc.submit(alice, { kind: 'remove_stake', hotkey: hotA.publicKey, amount: 10n * TOKEN })
    tc.blocksUntil(p.closesAt)
    expect(proposal(tc, 0)).toMatchObject({ status: 'rejected', yes: 0n, no: TOKEN })
  })
})

describe('rejected governance transactions', () => {
  it('rejects a vote after the proposal closed with PROPOSAL_CLOSED', () => {
    const tc = network()
    const p = proposeAndVote(tc, [[alice, true]])
    tc.blocksUntil(p.closesAt - 1)
    // Lands in block closesAt, when the tally happens: too late.
    expectRejected(tc, () => tc.submit(bob, vote(0, false)), 'PROPOSAL_CLOSED')
    tc.block()
    expectRejected(tc, () => tc.submit(bob, vote(0, false)), 'PROPOSAL_CLOSED')
    expect(proposal(tc, 0).status).toBe('passed')
  })

  it('rejects an unknown parameter with UNKNOWN_PARAM', () => {
    const tc = network()
    for (const [netuid, param] of [[1, 'notAParam'], [1, 'maxSubnets'], [0, 'tempo'], [1, 'constructor'], [0, '__proto__'], [1, 'toString'], [1, '']] as const) {
      expectRejected(tc, () => tc.submit(alice, propose(netuid, param, 1n)), 'UNKNOWN_PARAM')
    }
  })

  it('rejects a value outside the parameter range with PARAM_OUT_OF_RANGE', () => {
    const tc = network()
    expectRejected(tc, () => tc.submit(alice, propose(1, 'tempo', 0n)), 'PARAM_OUT_OF_RANGE')
    expectRejected(tc, () => tc.submit(alice, propose(1, 'tempo', 65536n)), 'PARAM_OUT_OF_RANGE')
  })

  it('rejects a proposal for an unknown subnet with UNKNOWN_SUBNET', () => {
    const tc = network()
    expectRejected(tc, () => tc.submit(alice, propose(9, 'tempo', 10n)), 'UNKNOWN_SUBNET')
  })

  it('rejects proposals and votes from coldkeys without enough stake with NO_STAKE', () => {
    const tc = network({ proposeMinStake: 2n * TOKEN })
    expectRejected(tc, () => tc.submit(bob, propose(1, 'tempo', 10n)), 'NO_STAKE')
    expectRejected(tc, () => tc.submit(carol, propose(1, 'tempo', 10n)), 'NO_STAKE')
    tc.submit(alice, propose(1, 'tempo', 10n))
    expectRejected(tc, () => tc.submit(carol, vote(0, true)), 'NO_STAKE')
  })

  it('rejects a vote on a proposal that does not exist with UNKNOWN_PROPOSAL', () => {
    const tc = network()
    expectRejected(tc, () => tc.submit(alice, vote(0, true)), 'UNKNOWN_PROPOSAL')
  })

  it('rejects proposals beyond maxOpenProposals with RATE_LIMITED', () => {
    const tc = network({ maxOpenProposals: 1n })
    tc.submit(alice, propose(1, 'tempo', 10n))
    expectRejected(tc, () => tc.submit(alice, propose(1, 'kappa', 10n)), 'RATE_LIMITED')
  })
})
