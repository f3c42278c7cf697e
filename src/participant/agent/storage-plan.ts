/**
 * The storage subnet's round: each miner is challenged on one leaf of one of its assigned
 * shards, drawn at random, with a deadline. The first time a validator meets a miner it assigns
 * it its shards (shards.ts: a public function of the hotkey, the same for every validator),
 * fetches those shards from the bundle and keeps the root of the miner's replica of each. An
 * answer passes or fails (the subnet's scorer); the miner's standing — Wilson × bytes held over
 * all its challenges — replaces its moving score, so weights follow the subnet's own rule.
 */
import { hash, toHex, fromHex } from '../../core/hash.ts'
import type { SubnetBundle } from '../../subnets/bundle-index.ts'
import { newChallenge, type StorageChallenge } from '../../subnets/storage/challenge.ts'
import { ANSWER_DEADLINE_MS } from '../../subnets/storage/constants.ts'
import { storage } from '../../subnets/storage/index.ts'
import { encodeReplica, leafCount, replicaRoot } from '../../subnets/storage/replica.ts'
import { assignedShards } from '../../subnets/storage/shards.ts'
import { reasonOf, type RoundPlan, type Scored } from './round-plan.ts'
import { StorageBook, type MinerShards } from './storage-book.ts'
import type { WorkStore } from './work-store.ts'

export interface StoragePlanDeps {
  /** The storage subnet's bundle (its index of shards). */
  bundle: () => Promise<SubnetBundle>
  /** A shard's plain bytes by its bundle CID, every block checked. */
  fetchShard: (cid: string) => Promise<Uint8Array>
  store: WorkStore
  netuid: number
  validator: Uint8Array
  /** Time a miner has to answer a challenge, in ms. */
  deadlineMs?: number
  log?: (line: string) => void
}

export function storagePlan (deps: StoragePlanDeps): RoundPlan {
  const key = `storage/${deps.netuid}/${toHex(deps.validator)}`
  const shards = new Map<string, Uint8Array>()
  const challenges = new Map<number, StorageChallenge>()
  let book: StorageBook | undefined
  let bundle: SubnetBundle | undefined

  const shardBytes = async (cid: string): Promise<Uint8Array> => {
    let bytes = shards.get(cid)
    if (bytes === undefined) {
      bytes = await deps.fetchShard(cid)
      shards.set(cid, bytes)
    }
    return bytes
  }

  const assign = async (b: StorageBook, uid: number, hotkey: Uint8Array): Promise<MinerShards> => {
    bundle ??= await deps.bundle()
    const names = assignedShards(hotkey, bundle.files.map(f => f.cid))
    const records = []
    for (const name of names) {
      const bytes = await shardBytes(name)
      const id = hash(bytes)
      records.push({ shard: toHex(id), name, root: toHex(replicaRoot(encodeReplica(bytes, hotkey, id))), leaves: leafCount(bytes.length), bytes: bytes.length })
    }
    b.assign(uid, hotkey, records)
    deps.log?.(`[validator] assigned uid ${uid} ${records.length} shards (${records.reduce((n, r) => n + r.bytes, 0)} bytes)`)
    return b.assignment(uid, hotkey)!
  }

  return {
    async tasks (targets) {
      book ??= new StorageBook(await deps.store.get<MinerShards[]>(key) ?? [])
      book.prune(new Map(targets.map(t => [t.uid, t.hotkey])))
      challenges.clear()
      const tasks = new Map<number, Uint8Array>()
      for (const t of targets) {
        const assigned = book.assignment(t.uid, t.hotkey) ?? await assign(book, t.uid, t.hotkey)
        const pick = assigned.shards[crypto.getRandomValues(new Uint32Array(1))[0]! % assigned.shards.length]!
        const challenge = newChallenge(crypto.getRandomValues(new Uint8Array(32)), {
          uid: t.uid, shard: fromHex(pick.shard), leaves: pick.leaves, root: fromHex(pick.root)
        }, Date.now() + (deps.deadlineMs ?? ANSWER_DEADLINE_MS))
        challenges.set(t.uid, challenge)
        tasks.set(t.uid, storage.encodeTask(challenge))
      }
      await deps.store.put(key, book.records())
      return tasks
    },
    async settle (_tasks, answers) {
      const out: Scored[] = []
      for (const a of answers) {
        const challenge = challenges.get(a.uid)
        if (challenge === undefined || book === undefined) continue
        let reason = reasonOf(a.verdict)
        if (a.verdict.ok) {
          const [s] = storage.score(challenge, [{ uid: a.uid, bytes: a.verdict.result, receivedAt: a.receivedAt }])
          reason = s?.rejection === undefined ? undefined : `${s.rejection.code}: ${s.rejection.reason}`
        }
        book.record(a.uid, toHex(challenge.shard), reason === undefined)
        out.push({ uid: a.uid, hotkey: a.hotkey, score: reason === undefined ? 1 : 0, reason })
      }
      if (book !== undefined) await deps.store.put(key, book.records())
      return out
    },
    standing (target) {
      return book?.assignment(target.uid, target.hotkey) === undefined ? undefined : book.standings().get(target.uid)
    },
    storageReport (miners) {
      return book?.report(new Set(miners.map(m => m.uid)))
    }
  }
}
