/**
 * gossipsub v1.1 peer scoring for tabs and relays alike (values and reasons in `constants.ts`).
 * Invalid messages (P4) are what scoring is for here: a peer that delivers a message a topic
 * validator rejects loses 5 × (count²) points, so a handful of forgeries push it below the
 * gossip, publish and graylist thresholds in turn, and the penalty fades over minutes.
 *
 * Topic parameters exist only for topics gossipsub knows at start (peer and provider
 * announcements, the chain's transactions and headers); a subnet's topics are added when a node joins them
 * (`scoreTopic`), since which subnets exist is only known at run time.
 */
import type { GossipSub, GossipsubOpts } from '@libp2p/gossipsub'
import type { PeerScoreParams, TopicScoreParams } from '@libp2p/gossipsub/score'
import { PROVIDERS_TOPIC } from '../block-exchange/constants.ts'
import { PEERS_TOPIC } from '../discovery/constants.ts'
import {
  ACCEPT_PX_THRESHOLD, BEHAVIOUR_PENALTY_DECAY, BEHAVIOUR_PENALTY_THRESHOLD, BEHAVIOUR_PENALTY_WEIGHT, FIRST_MESSAGE_DELIVERIES_CAP,
  FIRST_MESSAGE_DELIVERIES_DECAY, FIRST_MESSAGE_DELIVERIES_WEIGHT, GOSSIP_THRESHOLD, GRAYLIST_THRESHOLD, INVALID_MESSAGE_DELIVERIES_DECAY,
  INVALID_MESSAGE_DELIVERIES_WEIGHT, OPPORTUNISTIC_GRAFT_THRESHOLD, PUBLISH_THRESHOLD, SCORE_DECAY_INTERVAL_MS, SCORE_DECAY_TO_ZERO,
  SCORE_RETAIN_MS, TIME_IN_MESH_CAP, TIME_IN_MESH_QUANTUM_MS, TIME_IN_MESH_WEIGHT, TOPIC_SCORE_CAP, TOPIC_WEIGHT, TRUSTED_PEER_SCORE
} from './constants.ts'
import { topicName } from './topics.ts'

/** The score parameters of every scored topic. */
export const TOPIC_SCORE_PARAMS: TopicScoreParams = {
  topicWeight: TOPIC_WEIGHT,
  timeInMeshWeight: TIME_IN_MESH_WEIGHT,
  timeInMeshQuantum: TIME_IN_MESH_QUANTUM_MS,
  timeInMeshCap: TIME_IN_MESH_CAP,
  firstMessageDeliveriesWeight: FIRST_MESSAGE_DELIVERIES_WEIGHT,
  firstMessageDeliveriesDecay: FIRST_MESSAGE_DELIVERIES_DECAY,
  firstMessageDeliveriesCap: FIRST_MESSAGE_DELIVERIES_CAP,
  // P3 and P3b off (see constants.ts); the other fields must still hold valid numbers.
  meshMessageDeliveriesWeight: 0,
  meshMessageDeliveriesDecay: 0.5,
  meshMessageDeliveriesCap: 1,
  meshMessageDeliveriesThreshold: 1,
  meshMessageDeliveriesWindow: 10,
  meshMessageDeliveriesActivation: 5_000,
  meshFailurePenaltyWeight: 0,
  meshFailurePenaltyDecay: 0.5,
  invalidMessageDeliveriesWeight: INVALID_MESSAGE_DELIVERIES_WEIGHT,
  invalidMessageDeliveriesDecay: INVALID_MESSAGE_DELIVERIES_DECAY
}

export interface ScoringInit {
  /** The chain whose transactions and headers topics are scored; without it only peer announcements are. */
  chainId?: Uint8Array
  /** Peer ids given `TRUSTED_PEER_SCORE`: a tab's relays, a relay's peer relays. */
  trusted?: Iterable<string>
}

/** The gossipsub options that set peer scoring: parameters and thresholds. */
export function gossipScoring (init: ScoringInit = {}): Pick<GossipsubOpts, 'scoreParams' | 'scoreThresholds'> {
  const topics: Record<string, TopicScoreParams> = { [PEERS_TOPIC]: { ...TOPIC_SCORE_PARAMS }, [PROVIDERS_TOPIC]: { ...TOPIC_SCORE_PARAMS } }
  if (init.chainId !== undefined) {
    for (const kind of ['tx', 'headers'] as const) topics[topicName(init.chainId, kind)] = { ...TOPIC_SCORE_PARAMS }
  }
  const trusted = new Set(init.trusted ?? [])
  const scoreParams: PeerScoreParams = {
    topics,
    topicScoreCap: TOPIC_SCORE_CAP,
    appSpecificScore: peerId => trusted.has(peerId) ? TRUSTED_PEER_SCORE : 0,
    appSpecificWeight: 1,
    IPColocationFactorWeight: 0,
    IPColocationFactorThreshold: 1,
    IPColocationFactorWhitelist: new Set(),
    behaviourPenaltyWeight: BEHAVIOUR_PENALTY_WEIGHT,
    behaviourPenaltyThreshold: BEHAVIOUR_PENALTY_THRESHOLD,
    behaviourPenaltyDecay: BEHAVIOUR_PENALTY_DECAY,
    decayInterval: SCORE_DECAY_INTERVAL_MS,
    decayToZero: SCORE_DECAY_TO_ZERO,
    retainScore: SCORE_RETAIN_MS
  }
  return {
    scoreParams,
    scoreThresholds: {
      gossipThreshold: GOSSIP_THRESHOLD,
      publishThreshold: PUBLISH_THRESHOLD,
      graylistThreshold: GRAYLIST_THRESHOLD,
      acceptPXThreshold: ACCEPT_PX_THRESHOLD,
      opportunisticGraftThreshold: OPPORTUNISTIC_GRAFT_THRESHOLD
    }
  }
}

/** The parts of gossipsub's implementation (not its interface) that scoring needs at run time. */
interface ScoredGossipSub {
  score?: { params?: PeerScoreParams }
  getScore?: (peerId: string) => number
}

/**
 * Scores `topic` from now on, as topics known at start are. gossipsub's interface has no way to
 * add a topic's parameters after start; its implementation reads them from `score.params.topics`
 * whenever it scores, so they are added there.
 */
export function scoreTopic (pubsub: GossipSub, topic: string): void {
  const topics = (pubsub as unknown as ScoredGossipSub).score?.params?.topics
  if (topics !== undefined && topics[topic] === undefined) topics[topic] = { ...TOPIC_SCORE_PARAMS }
}

/** A peer's current gossipsub score (0 when the implementation does not say). */
export function peerScore (pubsub: GossipSub, peerId: string): number {
  return (pubsub as unknown as ScoredGossipSub).getScore?.(peerId) ?? 0
}
