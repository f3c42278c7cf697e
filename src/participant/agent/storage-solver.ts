/**
 * The storage miner. Before serving, it stores its replicas of the shards assigned to its hotkey
 * (shards.ts), best-ranked first, within the quota the person set: each shard is fetched from the
 * subnet's bundle (block exchange, checked by hash), encoded for this hotkey and put in the
 * ShardStore; a shard that no longer fits is deleted, so lowering the quota drops the
 * lowest-ranked shards. A challenge is answered from the replica held — the leaf, its Merkle path
 * and the nonce's tag — or refused as NOT_HELD.
 */
import { hash, toHex } from '../../core/hash.ts'
import type { SubnetBundle } from '../../subnets/bundle-index.ts'
import { answerChallenge } from '../../subnets/storage/miner.ts'
import { decodeChallenge, encodeAnswer } from '../../subnets/storage/challenge.ts'
import { StorageError } from '../../subnets/storage/errors.ts'
import { encodeReplica, holdReplica, type HeldReplica } from '../../subnets/storage/replica.ts'
import type { ShardStore } from '../../subnets/storage/shard-store.ts'
import { assignedShards } from '../../subnets/storage/shards.ts'
import { AgentError } from './errors.ts'
import type { TaskSolver } from './solver.ts'

export interface StoragePrepareDeps {
  bundle: SubnetBundle
  fetchShard: (cid: string) => Promise<Uint8Array>
  store: ShardStore
  hotkey: Uint8Array
  quota: number
  onProgress: (p: { summary: string, done: number, total: number }) => void
  signal?: AbortSignal
}

/** Stores the assigned replicas that fit the quota, drops those that do not; says what is held. */
export async function prepareStorage (deps: StoragePrepareDeps): Promise<string> {
  const { bundle, store, hotkey, quota } = deps
  const names = assignedShards(hotkey, bundle.files.map(f => f.cid))
  const sizes = new Map(bundle.files.map(f => [f.cid, f.size]))
  const total = names.reduce((n, c) => n + (sizes.get(c) ?? 0), 0)
  store.setQuota(quota)
  let planned = 0
  let held = 0
  let heldBytes = 0
  for (const [i, cid] of names.entries()) {
    if (deps.signal?.aborted === true) throw new AgentError('BUSY', 'Stopped while storing shards.')
    deps.onProgress({ summary: `Storing shard ${i + 1} of ${names.length}`, done: planned, total })
    const size = sizes.get(cid) ?? 0
    const bytes = await deps.fetchShard(cid)
    const id = hash(bytes)
    planned += size
    if (heldBytes + bytes.length > quota) {
      await store.delete(id)
      continue
    }
    if (!(await store.has(id))) {
      try {
        await store.put(id, encodeReplica(bytes, hotkey, id))
      } catch (err) {
        // Replicas this tab held before (another bundle) still count against the quota.
        if (err instanceof StorageError && err.code === 'QUOTA_EXCEEDED') continue
        throw err
      }
    }
    held++
    heldBytes += bytes.length
  }
  deps.onProgress({ summary: 'Shards stored', done: total, total })
  return `${held} of ${names.length} assigned shards held (${heldBytes} of ${total} bytes; quota ${quota} bytes)`
}

export function storageSolver (store: ShardStore): TaskSolver {
  const trees = new Map<string, HeldReplica>()
  return {
    async solve (bytes, _deadline, onProgress) {
      const challenge = decodeChallenge(bytes)
      const key = toHex(challenge.shard)
      onProgress({ summary: `Challenge on shard ${key.slice(0, 12)}…, leaf ${challenge.leaf}`, work: 0 })
      let held = trees.get(key)
      if (held === undefined) {
        try {
          held = holdReplica(await store.get(challenge.shard))
        } catch (err) {
          if (err instanceof StorageError && err.code === 'NOT_HELD') throw new AgentError('NOT_HELD', 'This miner does not hold the shard challenged.')
          throw err
        }
        trees.set(key, held)
      }
      onProgress({ summary: `Answered a challenge on shard ${key.slice(0, 12)}…, leaf ${challenge.leaf}`, work: 1 })
      return encodeAnswer(answerChallenge(held, challenge))
    }
  }
}
