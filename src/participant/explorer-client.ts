/**
 * The relay's read endpoints the explorer, subnet and governance pages use: blocks, stakes,
 * subnets with their metagraphs, epochs and proposals. Same request rules as `relay-client.ts`
 * (deadline, sentences a person can act on, refusing an answer of the wrong shape); amounts
 * become bigint. None of this is proven by the light client except what the pages mark so.
 */
import { amount, count, field, isBoolean, isString, malformed, relayRequester, type Json, type RelayClientOptions } from './relay-client.ts'

export interface BlockSummary {
  height: number
  /** Hex header hash. */
  hash: string
  /** Milliseconds since the epoch, as the producer stamped it. */
  time: number
  producer: string
}

export interface TxView {
  id: string
  kind: string
  from: string
  nonce: number
  /** The kind's own fields as text (addresses, amounts in base units, numbers). */
  fields: Record<string, string>
}

export interface BlockDetail extends BlockSummary {
  parent: string
  stateRoot: string
  transactions: TxView[]
}

export interface StakeView {
  hotkey: string
  amount: bigint
  subnets: Array<{ netuid: number, uid: number }>
}

export interface AccountStakes {
  address: string
  height: number
  total: bigint
  stakes: StakeView[]
}

export interface SubnetSummary {
  netuid: number
  name: string
  owner: string
  locked: bigint
  pendingEmission: bigint
  lastEpochBlock: number
  createdAt: number
  /** Uids in use. */
  n: number
  params: Record<string, bigint>
}

export interface NeuronView {
  uid: number
  hotkey: string
  coldkey: string
  stake: bigint
  registeredAt: number
  lastUpdate: number
  validatorPermit: boolean
  active: boolean
  /** The last epoch's terms as u16 proportions of 65535. */
  consensus: number
  incentive: number
  dividends: number
  validatorTrust: number
  /** Base units paid at the last epoch. */
  emission: bigint
}

export interface Metagraph extends SubnetSummary {
  height: number
  neurons: NeuronView[]
}

export interface EpochSummary {
  height: number
  emission: bigint
  ownerCut: bigint
  carried: bigint
}

export type ProposalStatus = 'open' | 'passed' | 'rejected' | 'enacted' | 'lapsed'

export interface ProposalView {
  id: number
  proposer: string
  /** 0 for a network-wide parameter. */
  netuid: number
  param: string
  value: bigint
  createdAt: number
  closesAt: number
  enactAt: number | null
  status: ProposalStatus
  /** The ledger's tally, set when the proposal closes. */
  yes: bigint
  no: bigint
  /** Each vote with its voter's stake now. */
  votes: Array<{ voter: string, approve: boolean, stake: bigint }>
}

export interface Proposals {
  height: number
  totalStake: bigint
  params: { proposalPeriod: bigint, enactmentDelay: bigint, quorumPpm: bigint, proposeMinStake: bigint }
  proposals: ProposalView[]
}

export interface ExplorerClient {
  /** Up to `limit` newest blocks, newest first. */
  latestBlocks (limit: number): Promise<BlockSummary[]>
  block (height: number): Promise<BlockDetail>
  stakes (address: string): Promise<AccountStakes>
  subnets (): Promise<SubnetSummary[]>
  metagraph (netuid: number): Promise<Metagraph>
  /** Recent epochs, oldest first. */
  epochs (netuid: number): Promise<EpochSummary[]>
  proposals (): Promise<Proposals>
}

const isSafeInteger = (v: unknown): v is number => Number.isSafeInteger(v)
const STATUSES: readonly string[] = ['open', 'passed', 'rejected', 'enacted', 'lapsed']

export function createExplorerClient (options: RelayClientOptions = {}): ExplorerClient {
  const request = relayRequester(options)
  const get = async (path: string): Promise<Json> => await request('GET', path)

  const list = (json: Json, name: string, path: string): Json[] => {
    const value = json[name]
    if (!Array.isArray(value) || !value.every(v => v !== null && typeof v === 'object')) throw malformed(path, name)
    return value as Json[]
  }

  const summary = (s: Json, path: string): BlockSummary => ({
    height: count(s, 'height', path),
    hash: field(s, 'hash', isString, path),
    time: count(s, 'time', path),
    producer: field(s, 'producer', isString, path)
  })

  const subnet = (s: Json, path: string): SubnetSummary => {
    const params = s.params
    if (params === null || typeof params !== 'object') throw malformed(path, 'params')
    return {
      netuid: count(s, 'netuid', path),
      name: field(s, 'name', isString, path),
      owner: field(s, 'owner', isString, path),
      locked: amount(s, 'locked', path),
      pendingEmission: amount(s, 'pendingEmission', path),
      // Before a subnet's first epoch the ledger counts its phase back from its creation, so this may be negative.
      lastEpochBlock: field(s, 'lastEpochBlock', isSafeInteger, path),
      createdAt: count(s, 'createdAt', path),
      n: count(s, 'n', path),
      params: Object.fromEntries(Object.keys(params).map(k => [k, amount(params as Json, k, path)]))
    }
  }

  return {
    async latestBlocks (limit) {
      const { height } = await get('/api/health')
      const top = typeof height === 'number' ? height : 0
      const from = Math.max(0, top - limit + 1)
      const path = `/api/headers?from=${from}&limit=${limit}`
      return list(await get(path), 'headers', path).map(h => summary(h, path)).reverse()
    },

    async block (height) {
      const path = `/api/blocks/${height}`
      const json = await get(path)
      return {
        ...summary(json, path),
        parent: field(json, 'parent', isString, path),
        stateRoot: field(json, 'stateRoot', isString, path),
        transactions: list(json, 'transactions', path).map(tx => {
          const { id, kind, from, nonce, ...rest } = tx
          if (!isString(id) || !isString(kind) || !isString(from) || typeof nonce !== 'number') throw malformed(path, 'transactions')
          return { id, kind, from, nonce, fields: Object.fromEntries(Object.entries(rest).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : String(v)])) }
        })
      }
    },

    async stakes (address) {
      const path = `/api/accounts/${encodeURIComponent(address)}/stakes`
      const json = await get(path)
      return {
        address: field(json, 'address', isString, path),
        height: count(json, 'height', path),
        total: amount(json, 'total', path),
        stakes: list(json, 'stakes', path).map(s => ({
          hotkey: field(s, 'hotkey', isString, path),
          amount: amount(s, 'amount', path),
          subnets: list(s, 'subnets', path).map(n => ({ netuid: count(n, 'netuid', path), uid: count(n, 'uid', path) }))
        }))
      }
    },

    async subnets () {
      return list(await get('/api/subnets'), 'subnets', '/api/subnets').map(s => subnet(s, '/api/subnets'))
    },

    async metagraph (netuid) {
      const path = `/api/subnets/${netuid}`
      const json = await get(path)
      return {
        ...subnet(json, path),
        height: count(json, 'height', path),
        neurons: list(json, 'neurons', path).map(n => ({
          uid: count(n, 'uid', path),
          hotkey: field(n, 'hotkey', isString, path),
          coldkey: field(n, 'coldkey', isString, path),
          stake: amount(n, 'stake', path),
          registeredAt: count(n, 'registeredAt', path),
          lastUpdate: count(n, 'lastUpdate', path),
          validatorPermit: field(n, 'validatorPermit', isBoolean, path),
          active: field(n, 'active', isBoolean, path),
          consensus: count(n, 'consensus', path),
          incentive: count(n, 'incentive', path),
          dividends: count(n, 'dividends', path),
          validatorTrust: count(n, 'validatorTrust', path),
          emission: amount(n, 'emission', path)
        }))
      }
    },

    async epochs (netuid) {
      const path = `/api/epochs/${netuid}`
      return list(await get(path), 'epochs', path).map(e => ({
        height: count(e, 'height', path),
        emission: amount(e, 'emission', path),
        ownerCut: amount(e, 'ownerCut', path),
        carried: amount(e, 'carried', path)
      }))
    },

    async proposals () {
      const path = '/api/proposals'
      const json = await get(path)
      const params = json.params
      if (params === null || typeof params !== 'object') throw malformed(path, 'params')
      const p = params as Json
      return {
        height: count(json, 'height', path),
        totalStake: amount(json, 'totalStake', path),
        params: {
          proposalPeriod: amount(p, 'proposalPeriod', path),
          enactmentDelay: amount(p, 'enactmentDelay', path),
          quorumPpm: amount(p, 'quorumPpm', path),
          proposeMinStake: amount(p, 'proposeMinStake', path)
        },
        proposals: list(json, 'proposals', path).map(item => {
          const status = item.status
          if (!isString(status) || !STATUSES.includes(status)) throw malformed(path, 'status')
          const enactAt = item.enactAt
          return {
            id: count(item, 'id', path),
            proposer: field(item, 'proposer', isString, path),
            netuid: count(item, 'netuid', path),
            param: field(item, 'param', isString, path),
            value: amount(item, 'value', path),
            createdAt: count(item, 'createdAt', path),
            closesAt: count(item, 'closesAt', path),
            enactAt: enactAt === null ? null : count(item, 'enactAt', path),
            status: status as ProposalStatus,
            yes: amount(item, 'yes', path),
            no: amount(item, 'no', path),
            votes: list(item, 'votes', path).map(v => ({
              voter: field(v, 'voter', isString, path),
              approve: field(v, 'approve', isBoolean, path),
              stake: amount(v, 'stake', path)
            }))
          }
        })
      }
    }
  }
}
