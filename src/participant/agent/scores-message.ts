/**
 * What a validator gossips on a subnet's scores topic after each round: its moving score of every
 * uid it scored, as u16 fractions of 65535. The gossip envelope signs it with the validator's
 * hotkey (the tab's libp2p identity), so every tab knows whose opinion it reads. These are the
 * live scores people see; the weights that pay are the ones committed and revealed on the ledger.
 */
import { decode, encode, readUint, readUintList, record } from '../../core/codec.ts'
import { MAX_NETUID, MAX_WEIGHTS } from '../../core/tx.ts'
import { MAX_SCORES_BYTES } from './constants.ts'
import { AgentError } from './errors.ts'

export interface ScoresMessage {
  netuid: number
  /** Rounds this validator has scored since it started. */
  round: number
  uids: number[]
  /** Moving scores as fractions of 65535, one per uid. */
  scores: number[]
}

export function encodeScores (m: ScoresMessage): Uint8Array {
  return encode({ netuid: m.netuid, round: m.round, scores: m.scores, uids: m.uids })
}

export function decodeScores (bytes: Uint8Array): ScoresMessage {
  try {
    const f = record(decode(bytes, MAX_SCORES_BYTES, 'scores message'), ['netuid', 'round', 'scores', 'uids'], 'scores message')
    const m: ScoresMessage = {
      netuid: readUint(f.netuid, 'netuid', MAX_NETUID),
      round: readUint(f.round, 'round', Number.MAX_SAFE_INTEGER),
      uids: readUintList(f.uids, 'uids', MAX_NETUID, MAX_WEIGHTS),
      scores: readUintList(f.scores, 'scores', 65535, MAX_WEIGHTS)
    }
    if (m.uids.length !== m.scores.length) throw new AgentError('MALFORMED', 'A scores message needs one score per uid.')
    return m
  } catch (err) {
    if (err instanceof AgentError) throw err
    throw new AgentError('MALFORMED', `The scores message cannot be read: ${(err as Error).message}`)
  }
}
