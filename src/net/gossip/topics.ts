/**
 * Topic kinds and their names on one network:
 *
 *   tabtensor/<chain8>/tx/1                       signed transactions
 *   tabtensor/<chain8>/headers/1                  new block headers
 *   tabtensor/<chain8>/subnet/<netuid>/results/1  a subnet's results
 *   tabtensor/<chain8>/subnet/<netuid>/scores/1   a subnet's scores (weights)
 *
 * `<chain8>` is the first 8 hex digits of the chain id. An envelope carries its full topic name,
 * and its signature covers that name and the whole chain id.
 */
import { toHex } from '../../core/hash.ts'
import { MAX_NETUID } from '../../core/tx.ts'
import { MAX_HEADER_PAYLOAD_BYTES, MAX_RESULTS_PAYLOAD_BYTES, MAX_SCORES_PAYLOAD_BYTES, MAX_TX_PAYLOAD_BYTES, TOPIC_CHAIN_HEX_DIGITS, TOPIC_PREFIX, TOPIC_VERSION } from './constants.ts'
import { UnknownTopicError } from './errors.ts'

export type SubnetTopicKind = 'results' | 'scores'

/** A subnet's topic: its results or its scores. */
export interface SubnetTopic {
  kind: SubnetTopicKind
  netuid: number
}

/** What a topic carries: transactions, headers, or a subnet's results or scores. */
export type TopicKind = 'tx' | 'headers' | SubnetTopic

/** Largest payload each kind of topic carries, in bytes. */
export const MAX_PAYLOAD_BYTES: Record<'tx' | 'headers' | SubnetTopicKind, number> = {
  tx: MAX_TX_PAYLOAD_BYTES,
  headers: MAX_HEADER_PAYLOAD_BYTES,
  results: MAX_RESULTS_PAYLOAD_BYTES,
  scores: MAX_SCORES_PAYLOAD_BYTES
}

/** `tabtensor/<chain8>`: the part every topic of this chain starts with. */
export function chainTopicPrefix (chainId: Uint8Array): string {
  return `${TOPIC_PREFIX}/${toHex(chainId).slice(0, TOPIC_CHAIN_HEX_DIGITS)}`
}

/** The kind's short name for counters and logs: `tx`, `headers`, `subnet/3/results`. */
export function topicLabel (kind: TopicKind): string {
  return typeof kind === 'string' ? kind : `subnet/${kind.netuid}/${kind.kind}`
}

export function payloadCap (kind: TopicKind): number {
  return MAX_PAYLOAD_BYTES[typeof kind === 'string' ? kind : kind.kind]
}

/** The full topic name of `kind` on the chain `chainId`. */
export function topicName (chainId: Uint8Array, kind: TopicKind): string {
  if (typeof kind !== 'string' && (!Number.isSafeInteger(kind.netuid) || kind.netuid < 0 || kind.netuid > MAX_NETUID)) {
    throw new UnknownTopicError(`A netuid is a whole number from 0 to ${MAX_NETUID}; ${String(kind.netuid)} is not.`)
  }
  return `${chainTopicPrefix(chainId)}/${topicLabel(kind)}/${TOPIC_VERSION}`
}

const TOPIC_PATTERN = new RegExp(`^${TOPIC_PREFIX}/([0-9a-f]{${TOPIC_CHAIN_HEX_DIGITS}})/(tx|headers|subnet/(0|[1-9][0-9]{0,4})/(results|scores))/${TOPIC_VERSION}$`)

/** The chain prefix and kind of a topic name, or undefined if it is not an application topic. */
export function parseTopic (name: string): { chainPrefix: string, kind: TopicKind } | undefined {
  const m = TOPIC_PATTERN.exec(name)
  if (m === null) return undefined
  const chainPrefix = `${TOPIC_PREFIX}/${m[1]!}`
  if (m[2] === 'tx' || m[2] === 'headers') return { chainPrefix, kind: m[2] }
  const netuid = Number(m[3])
  if (netuid > MAX_NETUID) return undefined
  return { chainPrefix, kind: { kind: m[4] as SubnetTopicKind, netuid } }
}
