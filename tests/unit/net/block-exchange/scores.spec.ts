import { describe, expect, it } from 'vitest'
import { PeerScores } from '../../../../src/net/block-exchange/scores.ts'

describe('peer scores', () => {
  it('ban a peer at its first invalid block, but only after repeated stalls', () => {
    const scores = new PeerScores()
    expect(scores.penalise('liar', 'BLOCK_HASH_MISMATCH')).toBe(true)
    for (let i = 0; i < 5; i++) expect(scores.penalise('slow', 'PEER_STALLED')).toBe(false)
    expect(scores.penalise('slow', 'PEER_STALLED')).toBe(true)
    expect(scores.penalise('busy', 'PEER_BUSY')).toBe(false)
    expect(scores.get('busy')).toBe(0)
  })

  it('cap what good blocks earn, so a good record cannot hide a new streak of failures', () => {
    const scores = new PeerScores()
    scores.reward('p', 1000)
    expect(scores.get('p')).toBe(20)
    for (let i = 0; i < 7; i++) scores.penalise('p', 'PEER_STALLED')
    expect(scores.banned('p')).toBe(false)
    scores.penalise('p', 'PEER_STALLED')
    expect(scores.banned('p')).toBe(true)
  })
})
