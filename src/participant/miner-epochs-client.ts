/**
 * The relay's per-epoch figures for one miner hotkey (`GET /api/epochs/:netuid/miners/:hotkey`),
 * checked for shape like every other read (see relay-client.ts). They are the relay's word, not
 * verified by the light client: the charts show them as the relay reports them.
 */
import { amount, count, relayRequester, malformed, type Json, type RelayClientOptions } from './relay-client.ts'

/** Most epochs the relay answers with (the epoch records the state keeps). */
export const MAX_MINER_EPOCHS = 16

export interface MinerEpoch {
  height: number
  uid: number
  /** Share of the epoch's miner payouts, in parts per million. */
  sharePpm: number
  /** 1 + the uids paid more as miners. */
  rank: number
  /** Uids paid as miners, this one included. */
  miners: number
  /** Base units credited to the hotkey's coldkey that epoch. */
  earned: bigint
}

export interface MinerEpochsClient {
  /** The newest `limit` epochs of `netuid` where `hotkey` held a uid, oldest first. */
  getMinerEpochs (netuid: number, hotkey: string, limit?: number): Promise<MinerEpoch[]>
}

export function createMinerEpochsClient (options: RelayClientOptions = {}): MinerEpochsClient {
  const request = relayRequester(options)
  return {
    async getMinerEpochs (netuid, hotkey, limit = MAX_MINER_EPOCHS) {
      const path = `/api/epochs/${netuid}/miners/${encodeURIComponent(hotkey)}?limit=${limit}`
      const json = await request('GET', path)
      if (!Array.isArray(json.epochs)) throw malformed(path, 'epochs')
      return json.epochs.map(e => {
        const row = e as Json
        return {
          height: count(row, 'height', path),
          uid: count(row, 'uid', path),
          sharePpm: count(row, 'sharePpm', path),
          rank: count(row, 'rank', path),
          miners: count(row, 'miners', path),
          earned: amount(row, 'earned', path)
        }
      })
    }
  }
}
