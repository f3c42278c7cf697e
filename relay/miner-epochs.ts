/**
 * One hotkey's figures at each recent epoch of a subnet, read from the epoch records the state
 * keeps (`EPOCH_RECORDS_KEPT`), for the mining view's charts.
 *
 * The records hold each uid's miner and validator parts, not the Yuma terms, so the score is the
 * uid's share of what the epoch paid miners: Yuma pays miners in proportion to their incentive,
 * so this share is the incentive, up to the rounding of the payouts. Rank counts the uids that
 * were paid more as miners; ties share a rank. Keyed by hotkey, not uid, because a uid can pass to
 * another hotkey between epochs.
 */
import { toAddress } from '../src/core/address.ts'
import type { Chain } from '../src/core/chain.ts'
import { decode } from '../src/core/codec.ts'
import { equalBytes } from '../src/core/hash.ts'
import { EPOCH_RECORDS_KEPT } from '../src/core/ledger/emission.ts'
import { K, type EpochRecord, type Subnet } from '../src/core/ledger/schema.ts'

/** Epochs one request returns at most: every record the state keeps. */
export const MAX_MINER_EPOCHS = EPOCH_RECORDS_KEPT

/** Parts per million: the unit of `sharePpm`. */
const PPM = 1_000_000n

export interface MinerEpoch {
  height: number
  uid: number
  /** This uid's share of the epoch's miner payouts, in parts per million (rounded down). */
  sharePpm: number
  /** 1 + the uids paid more as miners. */
  rank: number
  /** Uids paid as miners, counting this one even when it was paid nothing. */
  miners: number
  /** Base units: the miner part, the validator part and, of that, the take credited to the coldkey. */
  miner: bigint
  validator: bigint
  take: bigint
  /** Base units credited to the hotkey's coldkey: the miner part and the validator's take. */
  earned: bigint
}

/** The figures of `hotkey` in each record (oldest first); epochs where it held no uid are left out. */
export function minerEpochs (records: EpochRecord[], hotkey: Uint8Array): MinerEpoch[] {
  const out: MinerEpoch[] = []
  for (const record of records) {
    const uid = record.payouts.findIndex(([h]) => equalBytes(h, hotkey))
    if (uid < 0) continue
    // Decoded amounts are numbers when small; BigInt takes both.
    const [, m, v, t] = record.payouts[uid]!
    const [miner, validator, take] = [BigInt(m), BigInt(v), BigInt(t)]
    const parts = record.payouts.map(p => BigInt(p[1]))
    const total = parts.reduce((a, b) => a + b, 0n)
    out.push({
      height: record.height,
      uid,
      sharePpm: total === 0n ? 0 : Number(miner * PPM / total),
      rank: 1 + parts.filter(p => p > miner).length,
      miners: parts.filter(p => p > 0n).length + (miner === 0n ? 1 : 0),
      miner,
      validator,
      take,
      earned: miner + take
    })
  }
  return out
}

/** The API's answer: the newest `limit` epochs of `netuid` for `hotkey`, oldest first; undefined for an unknown subnet. */
export function minerEpochsView (chain: Chain, netuid: number, hotkey: Uint8Array, limit: number) {
  const bytes = chain.state.committed(K.subnet(netuid))
  if (bytes === undefined) return undefined
  const subnet = decode(bytes, Infinity) as Subnet
  const records = subnet.recentEpochs.map(h => decode(chain.state.committed(K.epoch(netuid, h))!, Infinity) as EpochRecord)
  const epochs = minerEpochs(records, hotkey).slice(-limit).map(e => ({
    ...e, miner: String(e.miner), validator: String(e.validator), take: String(e.take), earned: String(e.earned)
  }))
  return { height: chain.height, netuid, hotkey: toAddress(hotkey), epochs }
}
