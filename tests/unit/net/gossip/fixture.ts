/** A network, its producer and two senders, and helpers that build gossip messages as peers would send them. */
import { encodeSignedHeader, signHeader, type BlockHeader } from '../../../../src/core/block.ts'
import { hash, utf8ToBytes } from '../../../../src/core/hash.ts'
import { keypairFromLabel, type Keypair } from '../../../../src/core/keys.ts'
import { signTx } from '../../../../src/core/tx.ts'
import { signEnvelope, type EnvelopeBody } from '../../../../src/net/gossip/envelope.ts'
import { ReplayGuard } from '../../../../src/net/gossip/replay.ts'
import { topicName, type TopicKind } from '../../../../src/net/gossip/topics.ts'
import type { ReceivedMessage, ValidatorContext } from '../../../../src/net/gossip/validate.ts'

export const chainId = hash(utf8ToBytes('gossip-test-chain'))
export const otherChainId = hash(utf8ToBytes('gossip-test-other-chain'))
export const producer = keypairFromLabel('gossip/producer')
export const alice = keypairFromLabel('gossip/alice')
export const bob = keypairFromLabel('gossip/bob')
export const NOW = 1_700_000_000_000

export function context (over: Partial<ValidatorContext> = {}): ValidatorContext {
  return { chainId, producer: producer.publicKey, replay: new ReplayGuard(), now: () => NOW, ...over }
}

export function txBytes (from: Keypair = alice, chain = chainId): Uint8Array {
  return signTx({ kind: 'transfer', from: from.publicKey, nonce: 0, to: bob.publicKey, amount: 5n }, from, chain).bytes
}

export function header (height = 1): BlockHeader {
  return { height, parent: new Uint8Array(32), time: NOW, txRoot: new Uint8Array(32), stateRoot: new Uint8Array(32), producer: producer.publicKey }
}

export function headerBytes (signer: Keypair = producer, chain = chainId, h = header()): Uint8Array {
  return encodeSignedHeader(signHeader({ ...h, producer: signer.publicKey }, signer, chain))
}

export interface MessageOptions {
  kind?: TopicKind
  payload?: Uint8Array
  key?: Keypair
  /** The gossipsub author; the signer by default. */
  author?: Keypair | null
  seq?: number
  time?: number
  /** The topic written in the envelope; the one it arrives on by default. */
  bodyTopic?: string
  /** The topic it arrives on; `kind`'s topic by default. */
  arrivesOn?: string
  signChain?: Uint8Array
}

/** A message as gossipsub hands it to the validator. */
export function message (o: MessageOptions = {}): ReceivedMessage {
  const kind = o.kind ?? { kind: 'results', netuid: 1 }
  const key = o.key ?? alice
  const topic = o.arrivesOn ?? topicName(chainId, kind)
  const body: EnvelopeBody = {
    topic: o.bodyTopic ?? topic,
    from: key.publicKey,
    seq: o.seq ?? 1,
    time: o.time ?? NOW,
    payload: o.payload ?? utf8ToBytes('a result')
  }
  const author = o.author === null ? undefined : (o.author ?? key).publicKey
  return { topic, author, data: signEnvelope(body, key, o.signChain ?? chainId).bytes }
}
