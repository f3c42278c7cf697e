/** Creating subnets: the creator locks `subnetLockCost` base units and owns the new subnet. */
import { TransactionError } from '../errors.ts'
import { defaultSubnetParams, type SubnetParams } from '../params.ts'
import type { State } from '../state.ts'
import { debit } from './accounts.ts'
import { K, globals, type Subnet } from './schema.ts'

export function newSubnet (netuid: number, name: string, owner: Uint8Array, locked: bigint, height: number, params: Partial<SubnetParams> = {}): Subnet {
  return {
    netuid,
    name,
    owner,
    locked,
    createdAt: height,
    params: { ...defaultSubnetParams(), ...params },
    n: 0,
    lastAdjustment: height,
    registrationsThisBlock: 0,
    registrationsThisInterval: 0,
    powRegistrationsThisInterval: 0,
    burnRegistrationsThisInterval: 0,
    pendingEmission: 0n,
    // Staggered as subtensor's init_new_network does, so subnets do not all run epochs in one block.
    lastEpochBlock: height - (netuid % Number(params.tempo ?? defaultSubnetParams().tempo)),
    epochs: 0,
    recentEpochs: []
  }
}

/** Adds `subnet` to the state and the network's list of subnets. */
export function putSubnet (state: State, subnet: Subnet): void {
  const g = globals(state)
  state.set(K.subnet(subnet.netuid), subnet)
  state.set(K.globals, { ...g, netuids: [...g.netuids, subnet.netuid].sort((a, b) => a - b) })
}

export function createSubnet (state: State, owner: Uint8Array, name: string, maxLock: bigint, height: number): number {
  const g = globals(state)
  if (name.trim().length === 0) throw new TransactionError('BAD_FIELD', 'A subnet needs a name.')
  if (BigInt(g.netuids.length) >= g.params.maxSubnets) {
    throw new TransactionError('SUBNET_LIMIT', `The network already has ${g.netuids.length} subnets, its maximum.`)
  }
  const cost = g.params.subnetLockCost
  if (cost > maxLock) {
    throw new TransactionError('LOCK_TOO_HIGH', `Creating a subnet locks ${cost} base units now, more than the ${maxLock} you allowed.`)
  }
  debit(state, owner, cost)
  let netuid = 1
  while (g.netuids.includes(netuid)) netuid++
  putSubnet(state, newSubnet(netuid, name, owner, cost, height))
  return netuid
}
