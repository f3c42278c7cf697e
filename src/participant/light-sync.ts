/**
 * The tab's light client at work: it takes the network's genesis from the relay once (trust on
 * first use: the chain id must be the hash of that genesis), then follows headers, checking each
 * link and signature itself, and checks account proofs against the state roots it verified.
 * Nothing a relay or a peer says after genesis is taken on trust.
 *
 * With `options.peers`, headers and account proofs come over libp2p
 * (`/tabtensor/ledger-sync/1.0.0`) while the tab node is online: headers from directly connected
 * tabs first (so a relay's load does not grow with every tab), then from the relay's connection;
 * whatever they cannot give (no peer, a failure, a peer behind) comes over HTTP as before. A peer
 * that lies is reported through `onPeerError` and its headers stop at the lie.
 *
 * New headers heard on gossip are offered too (`offer`): the next one is checked and taken at
 * once, so a tab online follows the tip without asking anyone, and serves fresh headers.
 *
 * What this tab verified is what it serves to others (`source`): the headers it keeps and the
 * account proofs it checked at its head.
 */
import { base64 } from '@scure/base'
import { fromAddress } from '../core/address.ts'
import { decodeSignedHeader, headerHash, type SignedHeader } from '../core/block.ts'
import { genesisFromJson } from '../core/genesis.ts'
import { toHex } from '../core/hash.ts'
import { LightClient, decodeStateProof, encodeStateProof } from '../core/light-client.ts'
import type { Account } from '../core/ledger/schema.ts'
import type { StateProof } from '../core/state.ts'
import { LedgerSyncError } from '../net/ledger-sync/errors.ts'
import { HeldProofs, lightClientSource, type LedgerSource } from '../net/ledger-sync/source.ts'
import type { LedgerSyncPeer } from '../net/ledger-sync/index.ts'
import type { AccountState, ChainHead, RelayClient } from './relay-client.ts'

/** Headers fetched per request while catching up. */
const HEADERS_PER_REQUEST = 1000

/** A peer to ask for ledger sync: a tab over a direct connection, or the relay over its WebSocket. */
export interface LedgerPeer {
  peerId: string
  kind: 'tab' | 'relay'
  connection: LedgerSyncPeer
}

/** Where this tab's verified headers came from since the page loaded. */
export interface LightSyncStats {
  /** Headers verified, by where they came from. */
  headers: { gossip: number, tab: number, relay: number, http: number }
  /** The peer id of the tab that last gave headers. */
  lastTab: string | null
}

export interface LightSync {
  /** Follows the chain to `head` and says whether the relay's head is the one verified. */
  verifyHead (head: ChainHead): Promise<boolean>
  /** Says whether `account` is exactly what the proof shows at its height. */
  verifyAccount (account: AccountState): Promise<boolean>
  /**
   * The account at `address`, read over libp2p and proven at a height no older than the verified
   * head; undefined when no peer could give such a proof (read it over HTTP then).
   */
  readAccount (address: string): Promise<AccountState | undefined>
  /** The state root of block `height`, once the header is verified (syncing up to it if needed). */
  stateRootAt (height: number): Promise<Uint8Array | undefined>
  /** A header heard on gossip: taken if it is the next one and checks out, else left for the next sync. */
  offer (signed: SignedHeader): Promise<void>
  /** Height of the last verified header (-1 before the first sync). */
  readonly height: number
  /** What this tab serves over ledger sync: what it verified (empty until the first sync). */
  readonly source: LedgerSource
  stats (): LightSyncStats
}

export interface LightSyncOptions {
  /** Ledger-sync peers while the tab node is online, tabs first; none means HTTP. */
  peers?: () => LedgerPeer[]
  /** Told when a peer failed (and the next one or HTTP took over); a `LedgerSyncError` with `misbehaved` means the peer lied. */
  onPeerError?: (err: unknown, peer: LedgerPeer) => void
}

export function createLightSync (relay: RelayClient, options: LightSyncOptions = {}): LightSync {
  let client: LightClient | null = null
  const held = new HeldProofs()
  const stats: LightSyncStats = { headers: { gossip: 0, tab: 0, relay: 0, http: 0 }, lastTab: null }
  // One sync at a time; callers wait for the one under way.
  let queue: Promise<unknown> = Promise.resolve()

  async function start (): Promise<LightClient> {
    if (client !== null) return client
    const { chainId, genesis } = await relay.getGenesis()
    const candidate = new LightClient(genesisFromJson(genesis))
    if (toHex(candidate.chainId) !== chainId) throw new Error('The relay sent a genesis whose hash is not the chain id it claims.')
    client = candidate
    return client
  }

  async function syncTo (height: number): Promise<LightClient> {
    const lc = await start()
    for (const peer of lc.height < height ? options.peers?.() ?? [] : []) {
      if (lc.height >= height) break
      const before = lc.height
      try {
        // Loaded on demand, with the rest of the network layer, so the page never waits for libp2p.
        const { syncHeaders } = await import('../net/ledger-sync/index.ts')
        await syncHeaders(peer.connection, lc, { target: height })
      } catch (err) {
        options.onPeerError?.(err, peer)
      }
      if (lc.height > before) {
        stats.headers[peer.kind] += lc.height - before
        if (peer.kind === 'tab') stats.lastTab = peer.peerId
      }
    }
    while (lc.height < height) {
      const headers = await relay.getHeaders(lc.height + 1, HEADERS_PER_REQUEST)
      if (headers.length === 0) break
      for (const encoded of headers) {
        lc.accept(decodeSignedHeader(base64.decode(encoded)))
        stats.headers.http++
      }
    }
    return lc
  }

  /** The account `proof` shows at `height` of the verified chain (throws if it does not check out); kept to serve while at the head. */
  function prove (lc: LightClient, address: string, proof: StateProof, height: number): Account {
    const account = lc.verifyAccount(fromAddress(address), proof, height)
    held.add(height, proof)
    return account
  }

  async function fromPeers (address: string): Promise<AccountState | undefined> {
    const peers = options.peers?.() ?? []
    if (peers.length === 0) return undefined
    const { fetchAccount } = await import('../net/ledger-sync/index.ts')
    const lc = await start()
    // The relay first: it holds every account at the newest head; a tab holds only its own.
    for (const peer of [...peers.filter(p => p.kind === 'relay'), ...peers.filter(p => p.kind === 'tab')]) {
      try {
        const fetched = await fetchAccount(peer.connection, fromAddress(address))
        // An older proof may be honest but stale: not worth showing when the head moved on.
        if (fetched.height < lc.height) continue
        const proof = decodeStateProof(fetched.proof)
        await syncTo(fetched.height)
        let account: Account
        try {
          account = prove(lc, address, proof, fetched.height)
        } catch (err) {
          throw new LedgerSyncError('BAD_HEADER', `The peer's account proof does not check out: ${(err as Error).message}`)
        }
        const { balance, nonce } = account
        const stateRoot = toHex(lc.headerAt(fetched.height)!.header.stateRoot)
        // A peer does not know the relay's pending transactions: the pending nonce is the proven one.
        return { address, balance, nonce, pendingNonce: nonce, height: fetched.height, stateRoot, proof: encodeStateProof(proof) }
      } catch (err) {
        options.onPeerError?.(err, peer)
      }
    }
    return undefined
  }

  function serialized<T> (task: () => Promise<T>): Promise<T> {
    const run = queue.then(task, task)
    queue = run.catch(() => undefined)
    return run
  }

  const source = lightClientSource({
    get height () { return client?.height ?? 0 },
    headerAt: height => client?.headerAt(height)
  }, held)

  return {
    verifyHead: head => serialized(async () => {
      const lc = await syncTo(head.height)
      const header = lc.headerAt(head.height)
      return header !== undefined && toHex(headerHash(header.header)) === head.headHash && toHex(lc.chainId) === head.chainId
    }),
    verifyAccount: account => serialized(async () => {
      if (typeof account.proof !== 'string') return false
      const proven = prove(await syncTo(account.height), account.address, decodeStateProof(account.proof), account.height)
      return proven.balance === account.balance && proven.nonce === account.nonce
    }),
    readAccount: address => serialized(async () => await fromPeers(address)),
    stateRootAt: height => serialized(async () => (await syncTo(height)).headerAt(height)?.header.stateRoot),
    // Queued behind any sync under way, which would otherwise meet this height twice.
    offer: signed => serialized(async () => {
      if (client === null || signed.header.height !== client.height + 1) return
      try {
        client.accept(signed)
        stats.headers.gossip++
      } catch {
        // Gossip validators already checked the producer's signature; a header from another fork is simply not ours.
      }
    }),
    get height () {
      return client?.height ?? -1
    },
    source,
    stats: () => ({ headers: { ...stats.headers }, lastTab: stats.lastTab })
  }
}
