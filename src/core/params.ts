/**
 * Protocol parameters: network-wide ones and per-subnet ones, with their defaults and the range a
 * governance proposal may set them to. Every change goes through a ledger transaction, so all
 * participants see the same value at the same height. Subnet defaults follow subtensor's code
 * defaults for a new subnet (yuma.md §2) unless a comment says why not.
 */

export interface ParamSpec {
  readonly default: bigint
  readonly min: bigint
  readonly max: bigint
  /** One sentence, shown where the parameter is listed. */
  readonly about: string
}

const U16 = 65535n
const U64 = (1n << 64n) - 1n
const TOKEN = 1_000_000_000n

/** Parameters that apply to the whole network (proposals with netuid 0). */
export const NETWORK_PARAMS = {
  subnetLockCost: { default: 100n * TOKEN, min: 0n, max: 1_000_000n * TOKEN, about: 'Base units locked to create a subnet.' },
  maxSubnets: { default: 32n, min: 1n, max: 1024n, about: 'Most subnets that may exist at once.' },
  proposalPeriod: { default: 600n, min: 1n, max: 1_000_000n, about: 'Blocks a proposal is open for votes.' },
  enactmentDelay: { default: 100n, min: 0n, max: 1_000_000n, about: 'Blocks between a proposal passing and its change taking effect.' },
  quorumPpm: { default: 100_000n, min: 0n, max: 1_000_000n, about: 'Share of all stake (parts per million) that must vote for a proposal to count.' },
  proposeMinStake: { default: TOKEN, min: 0n, max: 21_000_000n * TOKEN, about: 'Stake a coldkey needs to make a proposal.' },
  maxOpenProposals: { default: 64n, min: 1n, max: 1024n, about: 'Most proposals open at once.' },
  ownerCut: { default: 11_796n, min: 0n, max: U16, about: "Subnet owners' share of their subnet's emission, as a fraction of 65535." }
} as const satisfies Record<string, ParamSpec>

/** Parameters of one subnet (proposals with that netuid). */
export const SUBNET_PARAMS = {
  tempo: { default: 360n, min: 1n, max: U16, about: 'Blocks between two epochs of the subnet.' },
  kappa: { default: 32767n, min: 0n, max: U16, about: 'Consensus majority, as a fraction of 65535.' },
  bondsMovingAverage: { default: 900_000n, min: 0n, max: 1_000_000n, about: 'Bonds moving-average factor, in parts per million.' },
  bondsPenalty: { default: U16, min: 0n, max: U16, about: 'Penalty on bonds to weights above consensus, as a fraction of 65535.' },
  alphaLow: { default: 45875n, min: 1638n, max: U16, about: 'Liquid alpha lower bound, as a fraction of 65535.' },
  alphaHigh: { default: 58982n, min: 1638n, max: U16, about: 'Liquid alpha upper bound, as a fraction of 65535.' },
  liquidAlpha: { default: 0n, min: 0n, max: 1n, about: 'Whether liquid alpha is on (1) or off (0).' },
  yuma3: { default: 1n, min: 0n, max: 1n, about: 'Yuma 3 (1) or original Yuma (0).' },
  maxValidators: { default: 64n, min: 1n, max: 4096n, about: 'How many uids may hold a validator permit.' },
  maxUids: { default: 256n, min: 1n, max: 4096n, about: 'Most uids in the subnet.' },
  immunityPeriod: { default: 5000n, min: 0n, max: U16, about: 'Blocks a new registration is protected from pruning.' },
  activityCutoffFactorMilli: { default: 13_889n, min: 1_000n, max: 50_000n, about: 'Activity cutoff as thousandths of a tempo.' },
  commitRevealPeriod: { default: 1n, min: 1n, max: 100n, about: 'Epochs after a weight commit in which it may be revealed.' },
  maxRegistrationsPerBlock: { default: 1n, min: 1n, max: U16, about: 'Most registrations the subnet accepts per block.' },
  targetRegistrationsPerInterval: { default: 2n, min: 1n, max: U16, about: 'Registrations per adjustment interval that keep cost steady.' },
  adjustmentInterval: { default: 100n, min: 1n, max: U16, about: 'Blocks between two adjustments of burn and difficulty.' },
  adjustmentAlpha: { default: 0n, min: 0n, max: U64, about: 'Weight of the old value when burn and difficulty adjust, as a fraction of 2^64 − 1.' },
  burn: { default: TOKEN, min: 0n, max: 21_000_000n * TOKEN, about: 'Base units burned to register now.' },
  minBurn: { default: 500_000n, min: 0n, max: 21_000_000n * TOKEN, about: 'Lowest registration burn.' },
  maxBurn: { default: 100n * TOKEN, min: 0n, max: 21_000_000n * TOKEN, about: 'Highest registration burn.' },
  difficulty: { default: 10_000n, min: 1n, max: U64, about: 'Proof-of-work difficulty to register now.' },
  minDifficulty: { default: 1_000n, min: 1n, max: U64, about: 'Lowest proof-of-work difficulty.' },
  maxDifficulty: { default: 1n << 40n, min: 1n, max: U64, about: 'Highest proof-of-work difficulty.' },
  powMaxAge: { default: 64n, min: 1n, max: 10_000n, about: 'Blocks a proof of work stays valid after the block it names.' },
  registrationAllowed: { default: 1n, min: 0n, max: 1n, about: 'Whether the subnet accepts registrations.' },
  emissionShare: { default: 1n, min: 0n, max: U16, about: 'Relative share of each block reward routed to the subnet.' },
  validatorTake: { default: 11_796n, min: 0n, max: U16, about: "Validators' take of their dividends, as a fraction of 65535." },
  stakeThreshold: { default: 0n, min: 0n, max: 21_000_000n * TOKEN, about: 'Stake below which a uid counts as having none in the epoch.' },
  alphaSigmoidSteepness: { default: 1000n, min: 0n, max: 32767n, about: 'Steepness of the liquid-alpha sigmoid.' }
} as const satisfies Record<string, ParamSpec>

export type NetworkParam = keyof typeof NETWORK_PARAMS
export type SubnetParam = keyof typeof SUBNET_PARAMS
export type NetworkParams = Record<NetworkParam, bigint>
export type SubnetParams = Record<SubnetParam, bigint>

function defaults<K extends string> (specs: Record<K, ParamSpec>): Record<K, bigint> {
  const out = {} as Record<K, bigint>
  for (const key of Object.keys(specs) as K[]) out[key] = specs[key].default
  return out
}

export const defaultNetworkParams = (): NetworkParams => defaults(NETWORK_PARAMS)
export const defaultSubnetParams = (): SubnetParams => defaults(SUBNET_PARAMS)

/** The spec of `param` in the scope netuid names (0 = network-wide), or undefined. */
export function paramSpec (netuid: number, param: string): ParamSpec | undefined {
  const table: Record<string, ParamSpec> = netuid === 0 ? NETWORK_PARAMS : SUBNET_PARAMS
  return Object.hasOwn(table, param) ? table[param] : undefined
}
