/**
 * What a validator gossips on a subnet's scores topic after each round: its moving score of every
 * uid it scored, as u16 fractions of 65535. The gossip envelope signs it with the validator's
 * hotkey (the tab's libp2p identity), so every tab knows whose opinion it reads. These are the
 * live scores people see; the weights that pay are the ones committed and revealed on the ledger.
 *
 * A storage validator adds `storage`: per miner uid (ascending), the bytes its book counts as held
 * and the challenges passed of those made, over everything the book remembers. The part is
 * optional, so messages of validators that do not send it still decode.
 */
import { decode, encode, readUint, readUintList, record, type Fields } from '../../core/codec.ts'
import { MAX_NETUID, MAX_WEIGHTS } from '../../core/tx.ts'
import { MAX_SCORES_BYTES } from './constants.ts'
import { AgentError } from './errors.ts'

/** A storage validator's view of its miners: parallel lists, one entry per uid. */
export interface StorageReport {
  uids: number[]
  /** Bytes of shards whose latest challenge passed. */
  bytes: number[]
  passes: number[]
  trials: number[]
}

export interface ScoresMessage {
  netuid: number
  /** Rounds this validator has scored since it started. */
  round: number
  uids: number[]
  /** Moving scores as fractions of 65535, one per uid. */
  scores: number[]
  storage?: StorageReport
}

/** The message's bytes; a storage part that would push it over the cap is left out (the scores matter more). */
export function encodeScores (m: ScoresMessage): Uint8Array {
  const scores = { netuid: m.netuid, round: m.round, scores: m.scores, uids: m.uids }
  if (m.storage !== undefined) {
    const bytes = encode({ ...scores, storage: m.storage })
    if (bytes.length <= MAX_SCORES_BYTES) return bytes
  }
  return encode(scores)
}

export function decodeScores (bytes: Uint8Array): ScoresMessage {
  try {
    const f = record(decode(bytes, MAX_SCORES_BYTES, 'scores message'), ['netuid', 'round', 'scores', 'uids'], 'scores message', ['storage'])
    const m: ScoresMessage = {
      netuid: readUint(f.netuid, 'netuid', MAX_NETUID),
      round: readUint(f.round, 'round', Number.MAX_SAFE_INTEGER),
      uids: readUintList(f.uids, 'uids', MAX_NETUID, MAX_WEIGHTS),
      scores: readUintList(f.scores, 'scores', 65535, MAX_WEIGHTS)
    }
    if (m.uids.length !== m.scores.length) throw new AgentError('MALFORMED', 'A scores message needs one score per uid.')
    if (f.storage !== undefined) m.storage = readStorage(f.storage)
    return m
  } catch (err) {
    if (err instanceof AgentError) throw err
    throw new AgentError('MALFORMED', `The scores message cannot be read: ${(err as Error).message}`)
  }
}

function readStorage (value: unknown): StorageReport {
  const f: Fields = record(value, ['bytes', 'passes', 'trials', 'uids'], 'storage report')
  const r: StorageReport = {
    uids: readUintList(f.uids, 'storage.uids', MAX_NETUID, MAX_WEIGHTS),
    bytes: readUintList(f.bytes, 'storage.bytes', Number.MAX_SAFE_INTEGER, MAX_WEIGHTS),
    passes: readUintList(f.passes, 'storage.passes', Number.MAX_SAFE_INTEGER, MAX_WEIGHTS),
    trials: readUintList(f.trials, 'storage.trials', Number.MAX_SAFE_INTEGER, MAX_WEIGHTS)
  }
  const n = r.uids.length
  if (r.bytes.length !== n || r.passes.length !== n || r.trials.length !== n) {
    throw new AgentError('MALFORMED', 'A storage report needs bytes, passes and trials for every uid.')
  }
  for (let i = 0; i < n; i++) {
    if (i > 0 && r.uids[i]! <= r.uids[i - 1]!) throw new AgentError('MALFORMED', 'A storage report lists each uid once, in ascending order.')
    if (r.passes[i]! > r.trials[i]!) throw new AgentError('MALFORMED', `A storage report says uid ${r.uids[i]} passed more challenges than it was set.`)
  }
  return r
}
