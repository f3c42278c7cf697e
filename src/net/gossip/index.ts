/**
 * Application gossip: signed envelopes on the chain's topics (transactions, headers, each
 * subnet's results and scores), checked by topic validators before anything is forwarded, with
 * gossipsub v1.1 peer scoring that makes invalid messages cost their sender.
 */
export { GossipHub, type GossipHandler, type GossipHubInit, type GossipMessage, type GossipStats, type GossipVerdictEvent, type TopicCounters } from './hub.ts'
export { fastMessageId, gossipsubOptions } from './options.ts'
export { gossipScoring, peerScore, scoreTopic, type ScoringInit } from './scoring.ts'
export { decodeEnvelope, envelopeCap, signEnvelope, verifyEnvelope, type Envelope, type EnvelopeBody } from './envelope.ts'
export { GOSSIP_VERDICTS, GossipKeyMismatchError, GossipValidationError, UnknownTopicError, type GossipRejectionCode, type GossipVerdict } from './errors.ts'
export type { PayloadOf, SubnetPayloadValidator } from './payloads.ts'
export { parseTopic, topicLabel, topicName, type SubnetTopic, type SubnetTopicKind, type TopicKind } from './topics.ts'
