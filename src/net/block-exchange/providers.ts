/**
 * Provider announcements: a tab says which bundles it holds, so a tab fetching one asks the peers
 * that hold it first instead of every peer. An announcement is canonical CBOR
 * `{bundles: [manifest CID bytes], time}` (`time` in milliseconds since the epoch), published on
 * `PROVIDERS_TOPIC`; gossipsub signs it with the sender's key, and the sender is the provider, so
 * nobody can announce for another tab. It counts for `PROVIDER_RECORD_TTL_MS` after its time:
 * a replayed old announcement is ignored, and a tab that dropped a bundle stops being named once
 * its last announcement naming it expires. Nothing here is trusted beyond a hint: the fetcher
 * still asks a provider what it holds and checks every block.
 */
import { CID } from 'multiformats/cid'
import * as dagCbor from '@ipld/dag-cbor'
import { sha256 } from 'multiformats/hashes/sha2'
import { decode, encode, readBytes, readList, readUint, record } from '../../core/codec.ts'
import {
  MAX_ANNOUNCED_BUNDLES, MAX_KNOWN_BUNDLES, MAX_KNOWN_PROVIDERS, MAX_PROVIDER_RECORD_BYTES, MAX_PROVIDERS_PER_BUNDLE, PROVIDER_CLOCK_SKEW_MS, PROVIDER_RECORD_TTL_MS
} from './constants.ts'
import { InvalidAnnouncementError } from './errors.ts'

export interface ProviderRecord {
  /** Manifest CIDs of the bundles the sender holds in full. */
  bundles: CID[]
  /** When the sender made the announcement, in milliseconds since the epoch. */
  time: number
}

export function encodeProviderRecord (bundles: readonly CID[], time: number): Uint8Array {
  if (bundles.length > MAX_ANNOUNCED_BUNDLES) throw new InvalidAnnouncementError('INVALID_ANNOUNCEMENT', `An announcement names at most ${MAX_ANNOUNCED_BUNDLES} bundles; announce the most recent.`)
  return encode({ bundles: bundles.map(cid => cid.bytes), time })
}

/** Decodes an announcement and checks it is current at `now`; throws InvalidAnnouncementError. */
export function decodeProviderRecord (bytes: Uint8Array, now: number): ProviderRecord {
  let bundles: CID[]
  let time: number
  try {
    const f = record(decode(bytes, MAX_PROVIDER_RECORD_BYTES, 'provider announcement'), ['bundles', 'time'], 'provider announcement')
    time = readUint(f.time, 'time', Number.MAX_SAFE_INTEGER)
    bundles = readList(f.bundles, 'bundles', MAX_ANNOUNCED_BUNDLES).map((b, i) => {
      const cid = CID.decode(readBytes(b, `bundles[${i}]`))
      // A bundle is named by its manifest: dag-cbor, sha2-256.
      if (cid.version !== 1 || cid.code !== dagCbor.code || cid.multihash.code !== sha256.code) throw new Error(`bundles[${i}] is not a bundle manifest's CID.`)
      return cid
    })
  } catch (err) {
    throw new InvalidAnnouncementError('INVALID_ANNOUNCEMENT', `The provider announcement is malformed: ${(err as Error).message}`)
  }
  if (time < now - PROVIDER_RECORD_TTL_MS || time > now + PROVIDER_CLOCK_SKEW_MS) {
    throw new InvalidAnnouncementError('STALE_ANNOUNCEMENT', `The provider announcement is dated ${Math.round((time - now) / 1000)} s from now; only the last ${PROVIDER_RECORD_TTL_MS / 1000} s count.`)
  }
  return { bundles, time }
}

/**
 * Who announced which bundle, and when. A peer's announcement lists all it holds, so it replaces
 * that peer's previous one (a bundle it no longer names is dropped at once, and one peer can never
 * take more than `MAX_ANNOUNCED_BUNDLES` places). Bounded: at most `MAX_KNOWN_PROVIDERS` peers and
 * `MAX_KNOWN_BUNDLES` bundles of `MAX_PROVIDERS_PER_BUNDLE` providers each, the least recently
 * announced forgotten first.
 */
export class ProviderBook {
  // Maps keep insertion order; re-inserting on every hearing makes the first entry the stalest.
  readonly #bundles = new Map<string, Map<string, number>>()
  /** Each peer's latest announcement: its time and the bundles it named. */
  readonly #peers = new Map<string, { time: number, bundles: string[] }>()

  constructor (private readonly ttlMs = PROVIDER_RECORD_TTL_MS, private readonly maxBundles = MAX_KNOWN_BUNDLES, private readonly maxProviders = MAX_PROVIDERS_PER_BUNDLE, private readonly maxPeers = MAX_KNOWN_PROVIDERS) {}

  /** Records that `peerId` announced `announcement`; one older than the peer's latest is ignored. */
  add (peerId: string, announcement: ProviderRecord): void {
    const previous = this.#peers.get(peerId)
    if (previous !== undefined && previous.time > announcement.time) return
    const keys = announcement.bundles.map(cid => cid.toString())
    this.#forget(peerId, previous?.bundles.filter(key => !keys.includes(key)) ?? [])
    this.#peers.delete(peerId)
    this.#peers.set(peerId, { time: announcement.time, bundles: keys })
    for (const key of keys) {
      const providers = this.#bundles.get(key) ?? new Map<string, number>()
      this.#bundles.delete(key)
      this.#bundles.set(key, providers)
      providers.delete(peerId)
      providers.set(peerId, announcement.time)
      if (providers.size > this.maxProviders) providers.delete(providers.keys().next().value!)
    }
    while (this.#bundles.size > this.maxBundles) this.#bundles.delete(this.#bundles.keys().next().value!)
    while (this.#peers.size > this.maxPeers) this.remove(this.#peers.keys().next().value!)
  }

  /** The peers whose announcement of `cid` is current at `now`, most recent first. */
  providers (cid: CID | string, now: number): string[] {
    const providers = this.#bundles.get(cid.toString())
    if (providers === undefined) return []
    const live: string[] = []
    for (const [peerId, time] of providers) {
      if (now - time > this.ttlMs) providers.delete(peerId)
      else live.push(peerId)
    }
    return live.reverse()
  }

  /** Forgets `peerId` everywhere (a peer caught serving corrupt blocks, or the stalest when the book is full). */
  remove (peerId: string): void {
    this.#forget(peerId, this.#peers.get(peerId)?.bundles ?? [])
    this.#peers.delete(peerId)
  }

  #forget (peerId: string, keys: readonly string[]): void {
    for (const key of keys) this.#bundles.get(key)?.delete(peerId)
  }
}
