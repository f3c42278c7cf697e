/**
 * Why a gossip message was not accepted. Every code is stable (tests and counters match on it)
 * and decides what gossipsub does with the message: `reject` drops it and lowers the score of the
 * peer that delivered it, `ignore` drops it without blame (the sender may be honest: a duplicate,
 * or a clock that differs from ours).
 */

export const GOSSIP_VERDICTS = {
  /** The message is over its topic's size cap. */
  TOO_LARGE: 'reject',
  /** Not CBOR, or not an envelope: missing, unknown or mistyped fields. */
  MALFORMED: 'reject',
  /** CBOR that is not the canonical encoding of its value. */
  NON_CANONICAL: 'reject',
  /** The gossipsub message carries no author (gossipsub's strict signing makes this impossible for honest peers). */
  UNSIGNED: 'reject',
  /** The envelope names another network's topic. */
  WRONG_CHAIN: 'reject',
  /** The envelope was made for another topic than the one it arrived on. */
  WRONG_TOPIC: 'reject',
  /** The envelope's signer is not the peer that published it. */
  WRONG_SIGNER: 'reject',
  /** The envelope's signature does not verify for its signer, the gossip domain and this chain. */
  BAD_SIGNATURE: 'reject',
  /** A sequence number older than every one remembered from its sender: an old message sent again. */
  REPLAYED: 'reject',
  /** The payload is not what the topic carries (a bad transaction or header, or a subnet's check failed). */
  BAD_PAYLOAD: 'reject',
  /** A message already accepted from this sender under this sequence number. */
  DUPLICATE: 'ignore',
  /** The envelope's time, or a gossiped header's, is further in the past than the window allows. */
  STALE: 'ignore',
  /** The envelope's time is further in the future than the window allows. */
  FUTURE: 'ignore',
  /** A subnet's check declined the payload without calling it invalid (it may be for a task this node does not know). */
  UNWANTED: 'ignore'
} as const

export type GossipRejectionCode = keyof typeof GOSSIP_VERDICTS
export type GossipVerdict = typeof GOSSIP_VERDICTS[GossipRejectionCode]

/** A gossip message that was not accepted: its stable code, what happens to it, and a sentence. */
export class GossipValidationError extends Error {
  static override name = 'GossipValidationError'
  override name = 'GossipValidationError'
  readonly verdict: GossipVerdict

  constructor (readonly code: GossipRejectionCode, message: string) {
    super(message)
    this.verdict = GOSSIP_VERDICTS[code]
  }
}

/** The key given to sign gossip is not the node's libp2p identity, so every message would be refused. */
export class GossipKeyMismatchError extends Error {
  static override name = 'GossipKeyMismatchError'
  override name = 'GossipKeyMismatchError'
}

/** A topic name or netuid that is not one of this network's gossip topics. */
export class UnknownTopicError extends Error {
  static override name = 'UnknownTopicError'
  override name = 'UnknownTopicError'
}
