/**
 * The state machine every participant runs, for block h: `beginBlock` (epochs on the state block
 * h − 1 committed, then the block reward), `applyTx` for each transaction in order, then
 * `finalizeBlock`. A transaction that fails leaves the state exactly as it was.
 */
import { TransactionError } from '../errors.ts'
import type { State } from '../state.ts'
import { verifyTx, type SignedTx } from '../tx.ts'
import { addStake, removeStake, transfer } from './accounts.ts'
import type { TxContext } from './context.ts'
import { propose, stepGovernance, vote } from './governance.ts'
import { adjustRegistrationTerms, register } from './registration.ts'
import { K, account, globals, setAccount, type Subnet } from './schema.ts'
import { createSubnet } from './subnets.ts'
import { commitWeights, revealWeights } from './weights.ts'

export { TREASURY } from './treasury.ts'

/** Checks and applies one signed transaction, or throws and leaves `state` unchanged. */
export function applyTx (state: State, tx: SignedTx, ctx: TxContext): void {
  verifyTx(tx, ctx.chainId, ctx.verifier)
  state.checkpoint()
  try {
    applyBody(state, tx, ctx)
    state.release()
  } catch (err) {
    state.revert()
    throw err
  }
}

function applyBody (state: State, { body }: SignedTx, ctx: TxContext): void {
  const sender = account(state, body.from)
  if (body.nonce !== sender.nonce) {
    throw new TransactionError('BAD_NONCE', `The nonce is ${body.nonce} but this account's next nonce is ${sender.nonce}.`)
  }
  setAccount(state, body.from, { ...sender, nonce: sender.nonce + 1 })
  const h = ctx.height
  switch (body.kind) {
    case 'transfer': return transfer(state, body.from, body.to, body.amount)
    case 'add_stake': return addStake(state, body.from, body.hotkey, body.amount)
    case 'remove_stake': return removeStake(state, body.from, body.hotkey, body.amount)
    case 'register_burn':
      register(state, ctx, body.netuid, body.hotkey, body.from, { kind: 'burn', maxBurn: body.maxBurn })
      return
    case 'register_pow':
      register(state, ctx, body.netuid, body.hotkey, body.from, { kind: 'pow', block: body.block, work: body.work })
      return
    case 'commit_weights': return commitWeights(state, ctx, body.netuid, body.from, body.commit)
    case 'reveal_weights': return revealWeights(state, ctx, body.netuid, body.from, body.uids, body.weights, body.salt)
    case 'create_subnet':
      createSubnet(state, body.from, body.name, body.maxLock, h)
      return
    case 'propose':
      propose(state, body.from, body.netuid, body.param, body.value, h)
      return
    case 'vote': return vote(state, body.from, body.proposal, body.approve, h)
  }
}

export { beginBlock } from './emission.ts'

/** End-of-block steps, in order: governance, then registration terms. */
export function finalizeBlock (state: State, height: number): void {
  stepGovernance(state, height)
  for (const netuid of globals(state).netuids) {
    const subnet = state.get<Subnet>(K.subnet(netuid))!
    const next = adjustRegistrationTerms(subnet, height)
    if (next !== subnet) state.set(K.subnet(netuid), next)
  }
}
