import { createPeerScoreParams, createPeerScoreThresholds, validatePeerScoreParams, validatePeerScoreThresholds } from '@libp2p/gossipsub/score'
import { describe, expect, it } from 'vitest'
import { PROVIDERS_TOPIC } from '../../../../src/net/block-exchange/constants.ts'
import { PEERS_TOPIC } from '../../../../src/net/discovery/constants.ts'
import {
  GOSSIP_THRESHOLD, GRAYLIST_THRESHOLD, INVALID_MESSAGE_DELIVERIES_DECAY, INVALID_MESSAGE_DELIVERIES_WEIGHT, PUBLISH_THRESHOLD, SCORE_DECAY_INTERVAL_MS,
  TOPIC_SCORE_CAP, TOPIC_WEIGHT, TRUSTED_PEER_SCORE
} from '../../../../src/net/gossip/constants.ts'
import { gossipScoring, scoreTopic } from '../../../../src/net/gossip/scoring.ts'
import { topicName } from '../../../../src/net/gossip/topics.ts'
import { chainId } from './fixture.ts'

/** The P4 part of a score after `count` invalid messages (no positive credit). */
const penalty = (count: number): number => count * count * INVALID_MESSAGE_DELIVERIES_WEIGHT * TOPIC_WEIGHT

describe('gossip peer scoring', () => {
  it('passes gossipsub\'s own checks of parameters and thresholds', () => {
    const { scoreParams, scoreThresholds } = gossipScoring({ chainId, trusted: ['relay'] })
    expect(() => { validatePeerScoreParams(createPeerScoreParams(scoreParams)) }).not.toThrow()
    expect(() => { validatePeerScoreThresholds(createPeerScoreThresholds(scoreThresholds)) }).not.toThrow()
  })

  it('scores peer announcements always, and the chain\'s transactions and headers when it is given', () => {
    expect(Object.keys(gossipScoring().scoreParams!.topics!)).toEqual([PEERS_TOPIC, PROVIDERS_TOPIC])
    expect(Object.keys(gossipScoring({ chainId }).scoreParams!.topics!)).toEqual([PEERS_TOPIC, PROVIDERS_TOPIC, topicName(chainId, 'tx'), topicName(chainId, 'headers')])
  })

  it('gives trusted peers (relays) a head start and nobody else', () => {
    const app = gossipScoring({ trusted: ['relay'] }).scoreParams!.appSpecificScore!
    expect([app('relay'), app('tab')]).toEqual([TRUSTED_PEER_SCORE, 0])
  })

  it('lets one invalid message pass, stops gossip with a peer at two and graylists it at four, even with full credit at five', () => {
    expect(penalty(1)).toBeGreaterThan(GOSSIP_THRESHOLD)
    expect(penalty(2)).toBeLessThan(GOSSIP_THRESHOLD)
    expect(penalty(4)).toBeLessThanOrEqual(GRAYLIST_THRESHOLD)
    expect(penalty(5) + TOPIC_SCORE_CAP).toBeLessThan(GRAYLIST_THRESHOLD)
    expect(GRAYLIST_THRESHOLD).toBeLessThan(PUBLISH_THRESHOLD)
  })

  it('keeps a peer that sent ten invalid messages graylisted for more than a minute', () => {
    const seconds = Math.log(Math.sqrt(GRAYLIST_THRESHOLD / INVALID_MESSAGE_DELIVERIES_WEIGHT) / 10) / Math.log(INVALID_MESSAGE_DELIVERIES_DECAY) * SCORE_DECAY_INTERVAL_MS / 1000
    expect(seconds).toBeGreaterThan(60)
  })

  it('adds a subnet topic\'s parameters at run time, once', () => {
    const pubsub = { score: { params: { topics: {} as Record<string, unknown> } } }
    const topic = topicName(chainId, { kind: 'results', netuid: 1 })
    scoreTopic(pubsub as never, topic)
    const first = pubsub.score.params.topics[topic]
    scoreTopic(pubsub as never, topic)
    expect(pubsub.score.params.topics[topic]).toBe(first)
    expect(first).toMatchObject({ invalidMessageDeliveriesWeight: INVALID_MESSAGE_DELIVERIES_WEIGHT })
  })
})
