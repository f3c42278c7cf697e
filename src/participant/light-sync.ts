/**
 * The tab's light client at work: it takes the network's genesis from the relay once (trust on
 * first use: the chain id must be the hash of that genesis), then follows headers from the relay,
 * checking each link and signature itself, and checks the account proofs the relay sends against
 * the state roots it verified. Nothing the relay says after genesis is taken on trust.
 *
 * With `options.peer`, headers come over libp2p (`/tabtensor/ledger-sync/1.0.0`) while the tab
 * node is online, each still checked by the light client; whatever that path cannot give (no peer,
 * a failure, a peer behind) is fetched over HTTP as before.
 */
import { base64 } from '@scure/base'
import { fromAddress } from '../core/address.ts'
import { decodeSignedHeader, headerHash } from '../core/block.ts'
import { genesisFromJson } from '../core/genesis.ts'
import { toHex } from '../core/hash.ts'
import { LightClient, decodeStateProof } from '../core/light-client.ts'
import type { LedgerSyncPeer } from '../net/ledger-sync/index.ts'
import type { AccountState, ChainHead, RelayClient } from './relay-client.ts'

/** Headers fetched per request while catching up. */
const HEADERS_PER_REQUEST = 1000

export interface LightSync {
  /** Follows the chain to `head` and says whether the relay's head is the one verified. */
  verifyHead (head: ChainHead): Promise<boolean>
  /** Says whether `account` is exactly what the proof shows at its height. */
  verifyAccount (account: AccountState): Promise<boolean>
  /** The state root of block `height`, once the header is verified (syncing up to it if needed). */
  stateRootAt (height: number): Promise<Uint8Array | undefined>
  /** Height of the last verified header (-1 before the first sync). */
  readonly height: number
}

export interface LightSyncOptions {
  /** A ledger-sync peer while the tab node is online (its relay connection), else undefined: HTTP is used. */
  peer?: () => LedgerSyncPeer | undefined
  /** Told when the libp2p path failed (and HTTP took over); a `LedgerSyncError` with `misbehaved` means the peer lied. */
  onPeerError?: (err: unknown) => void
}

export function createLightSync (relay: RelayClient, options: LightSyncOptions = {}): LightSync {
  let client: LightClient | null = null
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
    const peer = lc.height < height ? options.peer?.() : undefined
    if (peer !== undefined) {
      try {
        // Loaded on demand, with the rest of the network layer, so the page never waits for libp2p.
        const { syncHeaders } = await import('../net/ledger-sync/index.ts')
        await syncHeaders(peer, lc, { target: height })
      } catch (err) {
        options.onPeerError?.(err)
      }
    }
    while (lc.height < height) {
      const headers = await relay.getHeaders(lc.height + 1, HEADERS_PER_REQUEST)
      if (headers.length === 0) break
      for (const encoded of headers) lc.accept(decodeSignedHeader(base64.decode(encoded)))
    }
    return lc
  }

  function serialized<T> (task: () => Promise<T>): Promise<T> {
    const run = queue.then(task, task)
    queue = run.catch(() => undefined)
    return run
  }

  return {
    verifyHead: head => serialized(async () => {
      const lc = await syncTo(head.height)
      const header = lc.headerAt(head.height)
      return header !== undefined && toHex(headerHash(header.header)) === head.headHash && toHex(lc.chainId) === head.chainId
    }),
    verifyAccount: account => serialized(async () => {
      if (typeof account.proof !== 'string') return false
      const lc = await syncTo(account.height)
      const proven = lc.verifyAccount(fromAddress(account.address), decodeStateProof(account.proof), account.height)
      return proven.balance === account.balance && proven.nonce === account.nonce
    }),
    stateRootAt: height => serialized(async () => (await syncTo(height)).headerAt(height)?.header.stateRoot),
    get height () {
      return client?.height ?? -1
    }
  }
}
