/**
 * Governance rules as the page applies them before signing: what a proposal may name, who may
 * vote on what, and how a proposal stands. They mirror `src/core/ledger/governance.ts` so a
 * doomed proposal or a vote on a closed one is refused inline and never sent.
 */
import { NETWORK_PARAMS, SUBNET_PARAMS, paramSpec, type ParamSpec } from '../core/params.ts'
import type { ProposalView } from './explorer-client.ts'
import { formatTokens } from './format.ts'

export interface ProposalFields {
  /** "0" for the whole network, else a subnet's netuid. */
  netuid: string
  param: string
  value: string
}

export interface ProposalErrors {
  netuid?: string
  param?: string
  value?: string
  form?: string
}

export type ProposalCheck =
  | { ok: true, netuid: number, param: string, value: bigint }
  | { ok: false, errors: ProposalErrors }

export interface ProposerContext {
  /** This coldkey's stake; null while unknown. */
  stake: bigint | null
  /** Stake needed to propose; null while unknown. */
  minStake: bigint | null
  netuids: readonly number[]
}

/** The parameters a proposal in scope `netuid` may change, with their specs. */
export function paramsOf (netuid: number): Array<[string, ParamSpec]> {
  return Object.entries(netuid === 0 ? NETWORK_PARAMS : SUBNET_PARAMS)
}

export function checkProposal (fields: ProposalFields, ctx: ProposerContext): ProposalCheck {
  const errors: ProposalErrors = {}
  const netuid = Number(fields.netuid)
  if (!Number.isSafeInteger(netuid) || (netuid !== 0 && !ctx.netuids.includes(netuid))) {
    errors.netuid = 'Choose the network or one of its subnets.'
  }
  const spec = errors.netuid === undefined ? paramSpec(netuid, fields.param) : undefined
  if (errors.netuid === undefined && spec === undefined) errors.param = 'Choose a parameter from the list.'
  let value = 0n
  const text = fields.value.trim()
  if (text === '') {
    errors.value = 'Enter the new value.'
  } else if (!/^\d+$/.test(text)) {
    errors.value = 'Enter a whole number, without signs, dots or spaces.'
  } else {
    value = BigInt(text)
    if (spec !== undefined && (value < spec.min || value > spec.max)) errors.value = `${fields.param} must be between ${spec.min} and ${spec.max}.`
  }
  if (ctx.stake !== null && ctx.minStake !== null && ctx.stake < ctx.minStake) {
    errors.form = `Proposing needs ${formatTokens(ctx.minStake)} of stake and you have ${formatTokens(ctx.stake)}; stake to a validator on the Wallet page first.`
  }
  return Object.keys(errors).length === 0 ? { ok: true, netuid, param: fields.param, value } : { ok: false, errors }
}

/** Why this coldkey may not vote on `proposal` at `height`, or null when it may. */
export function voteRefusal (proposal: Pick<ProposalView, 'id' | 'status' | 'closesAt'>, height: number, stake: bigint | null): string | null {
  if (proposal.status !== 'open' || height >= proposal.closesAt) {
    return `Proposal ${proposal.id} closed at block ${proposal.closesAt.toLocaleString('en')}; votes are no longer counted.`
  }
  if (stake === 0n) return 'Only coldkeys with stake can vote; stake to a validator on the Wallet page first.'
  return null
}

export interface Standing {
  yes: bigint
  no: bigint
  /** Votes cast as parts per million of all stake. */
  turnoutPpm: bigint
  quorum: boolean
  /** Whether it passes (closed) or would pass if it closed now (open). */
  passing: boolean
}

/** The ledger's tally once closed; while open, the votes weighed by their voters' stake now. */
export function standing (proposal: ProposalView, totalStake: bigint, quorumPpm: bigint): Standing {
  let { yes, no } = proposal
  if (proposal.status === 'open') {
    yes = 0n
    no = 0n
    for (const vote of proposal.votes) {
      if (vote.approve) yes += vote.stake
      else no += vote.stake
    }
  }
  const turnoutPpm = totalStake === 0n ? 0n : (yes + no) * 1_000_000n / totalStake
  const quorum = (yes + no) * 1_000_000n >= quorumPpm * totalStake
  return { yes, no, turnoutPpm, quorum, passing: yes > no && quorum }
}

/** One sentence on where a proposal is: when it closes, or its outcome and when it takes effect. */
export function outcome (proposal: ProposalView, height: number): string {
  const at = (h: number): string => `block ${h.toLocaleString('en')}`
  const inBlocks = (h: number): string => h > height ? ` (in ${(h - height).toLocaleString('en')} blocks)` : ''
  switch (proposal.status) {
    case 'open': return `Open for votes until ${at(proposal.closesAt)}${inBlocks(proposal.closesAt)}.`
    case 'passed': return `Passed; takes effect at ${at(proposal.enactAt ?? proposal.closesAt)}${inBlocks(proposal.enactAt ?? proposal.closesAt)}.`
    case 'enacted': return `Passed and took effect at ${at(proposal.enactAt ?? proposal.closesAt)}.`
    case 'rejected': return `Rejected when it closed at ${at(proposal.closesAt)}.`
    case 'lapsed': return 'Passed, but its subnet no longer exists, so nothing changed.'
  }
}
