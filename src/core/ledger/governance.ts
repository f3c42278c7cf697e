/**
 * Governance: stake-weighted proposals to change a network or subnet parameter.
 *
 * A proposal is open for `proposalPeriod` blocks. Coldkeys vote yes or no (and may change their
 * vote while it is open); each vote weighs the voter's total stake when the proposal closes. It
 * passes when yes outweighs no and the votes cast reach `quorumPpm` of all stake; the change then
 * takes effect `enactmentDelay` blocks later. Tallies happen at the end of a block, so every
 * participant gets the same outcome at the same height.
 */
import { TransactionError } from '../errors.ts'
import { paramSpec, type NetworkParams, type SubnetParams } from '../params.ts'
import type { State } from '../state.ts'
import { K, amountAt, globals, type Proposal, type Subnet } from './schema.ts'

export function propose (state: State, proposer: Uint8Array, netuid: number, param: string, value: bigint, height: number): number {
  const g = globals(state)
  if (netuid !== 0 && !state.has(K.subnet(netuid))) throw new TransactionError('UNKNOWN_SUBNET', `There is no subnet ${netuid}.`)
  const spec = paramSpec(netuid, param)
  if (spec === undefined) {
    throw new TransactionError('UNKNOWN_PARAM', `"${param}" is not a ${netuid === 0 ? 'network' : 'subnet'} parameter.`)
  }
  if (value < spec.min || value > spec.max) {
    throw new TransactionError('PARAM_OUT_OF_RANGE', `${param} must be between ${spec.min} and ${spec.max}.`)
  }
  const stake = amountAt(state, K.coldkeyStake(proposer))
  if (stake < g.params.proposeMinStake) {
    throw new TransactionError('NO_STAKE', `Proposing needs ${g.params.proposeMinStake} base units of stake; this coldkey has ${stake}.`)
  }
  if (BigInt(g.openProposals.length) >= g.params.maxOpenProposals) {
    throw new TransactionError('RATE_LIMITED', 'Too many proposals are open; wait until one closes.')
  }
  const id = g.nextProposal
  const proposal: Proposal = {
    id, proposer, netuid, param, value,
    createdAt: height,
    closesAt: height + Number(g.params.proposalPeriod),
    enactAt: null,
    status: 'open',
    voters: [],
    yes: 0n,
    no: 0n
  }
  state.set(K.proposal(id), proposal)
  state.set(K.globals, { ...g, nextProposal: id + 1, openProposals: [...g.openProposals, id] })
  return id
}

export function vote (state: State, voter: Uint8Array, id: number, approve: boolean, height: number): void {
  const proposal = state.get<Proposal>(K.proposal(id))
  if (proposal === undefined) throw new TransactionError('UNKNOWN_PROPOSAL', `There is no proposal ${id}.`)
  if (proposal.status !== 'open' || height >= proposal.closesAt) {
    throw new TransactionError('PROPOSAL_CLOSED', `Proposal ${id} closed at block ${proposal.closesAt}; votes are no longer counted.`)
  }
  if (amountAt(state, K.coldkeyStake(voter)) === 0n) {
    throw new TransactionError('NO_STAKE', 'Only coldkeys with stake can vote; stake first.')
  }
  if (!state.has(K.vote(id, voter))) state.set(K.proposal(id), { ...proposal, voters: [...proposal.voters, voter] })
  state.set(K.vote(id, voter), approve)
}

/** End-of-block step: close proposals whose time is up, and enact passed ones that are due. */
export function stepGovernance (state: State, height: number): void {
  let g = globals(state)
  const stillOpen: number[] = []
  const passed = [...g.passedProposals]
  for (const id of g.openProposals) {
    const p = state.get<Proposal>(K.proposal(id))!
    if (height < p.closesAt) {
      stillOpen.push(id)
      continue
    }
    let yes = 0n
    let no = 0n
    for (const voter of p.voters) {
      const weight = amountAt(state, K.coldkeyStake(voter))
      if (state.get<boolean>(K.vote(id, voter)) === true) yes += weight
      else no += weight
    }
    const quorum = (yes + no) * 1_000_000n >= g.params.quorumPpm * g.totalStake
    const accepted = yes > no && quorum
    state.set(K.proposal(id), {
      ...p, yes, no,
      status: accepted ? 'passed' : 'rejected',
      enactAt: accepted ? height + Number(g.params.enactmentDelay) : null
    })
    if (accepted) passed.push(id)
  }
  const waiting: number[] = []
  for (const id of passed) {
    const p = state.get<Proposal>(K.proposal(id))!
    if (height < p.enactAt!) {
      waiting.push(id)
      continue
    }
    state.set(K.proposal(id), { ...p, status: enact(state, p) ? 'enacted' : 'lapsed' })
  }
  g = globals(state)
  // Nothing closed and nothing enacted leaves both lists as they were.
  if (stillOpen.length !== g.openProposals.length || waiting.length !== g.passedProposals.length) {
    state.set(K.globals, { ...g, openProposals: stillOpen, passedProposals: waiting })
  }
}

/** Applies a passed proposal's change; false when its subnet no longer exists. */
function enact (state: State, p: Proposal): boolean {
  const g = globals(state)
  if (p.netuid === 0) {
    const params: NetworkParams = { ...g.params, [p.param]: p.value }
    state.set(K.globals, { ...g, params })
    return true
  }
  const subnet = state.get<Subnet>(K.subnet(p.netuid))
  if (subnet === undefined) return false
  const params: SubnetParams = { ...subnet.params, [p.param]: p.value }
  state.set(K.subnet(p.netuid), { ...subnet, params })
  return true
}
