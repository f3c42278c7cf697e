/**
 * What a ledger-sync server answers from. The relay answers from its chain: every header and a
 * proof of any key at its head. A tab is a light client and keeps no state, so it answers only
 * with what it verified itself:
 *
 * - headers: the ones its light client accepted and still keeps (the last 8,192), from
 *   the oldest kept to its head — enough for a peer to follow the chain's tip, not to sync from
 *   genesis once the chain is longer than that (the asker then takes the rest from a relay);
 * - account proofs: only those it checked against its current head (its own wallet's accounts,
 *   at most `MAX_HELD_PROOFS`); anything else is refused NOT_HELD.
 *
 * Neither is trusted by the asker: headers go through its own light client, proofs are checked
 * against a state root it verified. Serving only what was verified keeps an honest tab from
 * passing on a relay's lie it did not catch.
 *
 * No libp2p here, so the page can build its source before the network layer loads.
 */
import type { SignedHeader } from '../../core/block.ts'
import type { LightClient } from '../../core/light-client.ts'
import type { StateProof } from '../../core/state.ts'
import { MAX_HELD_PROOFS } from './constants.ts'

export interface LedgerSource {
  readonly height: number
  header (height: number): SignedHeader | undefined
  /** The state proof of `key` at `height`; undefined when the source does not hold one (a light tab). */
  prove (key: string): StateProof | undefined
}

/**
 * Account proofs a light client checked, each kept with the height it was checked at; the oldest
 * is forgotten past `MAX_HELD_PROOFS`.
 */
export class HeldProofs {
  readonly #proofs = new Map<string, { height: number, proof: StateProof }>()

  /** Keeps `proof` (of `proof.key`), checked against the verified header at `height`. */
  add (height: number, proof: StateProof): void {
    this.#proofs.delete(proof.key)
    this.#proofs.set(proof.key, { height, proof })
    if (this.#proofs.size > MAX_HELD_PROOFS) this.#proofs.delete(this.#proofs.keys().next().value!)
  }

  /** The proof of `key` checked at exactly `height`, if held. */
  at (key: string, height: number): StateProof | undefined {
    const held = this.#proofs.get(key)
    return held?.height === height ? held.proof : undefined
  }
}

/** What a tab serves from its light client (see the module header). */
export function lightClientSource (lc: Pick<LightClient, 'height' | 'headerAt'>, proofs: Pick<HeldProofs, 'at'> = new HeldProofs()): LedgerSource {
  return {
    get height () { return lc.height },
    header: height => lc.headerAt(height),
    prove: key => proofs.at(key, lc.height)
  }
}
