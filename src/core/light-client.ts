/**
 * The light client a tab runs: it follows the header chain from genesis, checking every link and
 * the producer's signature, and checks account state against a header's state root with a Merkle
 * proof. It trusts the genesis spec it was given (first use) and nothing the relay says after.
 */
import { base64 } from '@scure/base'
import { decode, encode, readBytes, readList, readString, readU64, readUint, record } from './codec.ts'
import { BlockError, LedgerError } from './errors.ts'
import { equalBytes } from './hash.ts'
import type { SignatureVerifier } from './keys.ts'
import { buildGenesis, chainIdOf, type GenesisSpec } from './genesis.ts'
import { K, type Account } from './ledger/schema.ts'
import type { MerkleProof } from './merkle.ts'
import { verifyStateProof, type NeighbourProof, type StateProof } from './state.ts'
import { headerHash, verifyHeaderSignature, type SignedHeader } from './block.ts'

/** Largest encoded state proof we accept, in bytes. */
export const MAX_PROOF_BYTES = 16 * 1024
const MAX_SIBLINGS = 64
/** Verified headers kept for checking proofs at past heights (epoch audits look back a tempo or more). */
const RECENT_HEADERS = 8192

export function encodeStateProof (proof: StateProof): string {
  return base64.encode(encode(proof))
}

function readMerkle (value: unknown): MerkleProof {
  const f = record(value, ['index', 'count', 'siblings'], 'Merkle proof')
  return {
    index: readUint(f.index, 'index', Number.MAX_SAFE_INTEGER),
    count: readUint(f.count, 'count', Number.MAX_SAFE_INTEGER),
    siblings: readList(f.siblings, 'siblings', MAX_SIBLINGS).map((s, i) => readBytes(s, `siblings[${i}]`, 32))
  }
}

function readNeighbour (value: unknown): NeighbourProof | null {
  if (value === null) return null
  const f = record(value, ['key', 'value', 'proof'], 'neighbour proof')
  return { key: readString(f.key, 'key', 256), value: readBytes(f.value, 'value'), proof: readMerkle(f.proof) }
}

export function decodeStateProof (text: string): StateProof {
  let bytes: Uint8Array
  try {
    bytes = base64.decode(text)
  } catch {
    throw new LedgerError('MALFORMED', 'The state proof is not base64.')
  }
  const value = decode(bytes, MAX_PROOF_BYTES, 'state proof') as Record<string, unknown> | null
  if (value !== null && typeof value === 'object' && value.value === null) {
    const f = record(value, ['key', 'value', 'left', 'right'], 'absence proof')
    return { key: readString(f.key, 'key', 256), value: null, left: readNeighbour(f.left), right: readNeighbour(f.right) }
  }
  const f = record(value, ['key', 'value', 'proof'], 'state proof')
  return { key: readString(f.key, 'key', 256), value: readBytes(f.value, 'value'), proof: readMerkle(f.proof) }
}

export class LightClient {
  readonly chainId: Uint8Array
  private latest: SignedHeader
  private latestHash: Uint8Array
  /** Headers kept so state proofs at recent heights can be checked. */
  private readonly recent = new Map<number, SignedHeader>()
  private oldest = 0

  constructor (readonly spec: GenesisSpec, private readonly verifier?: SignatureVerifier, checkpoint?: SignedHeader) {
    this.chainId = chainIdOf(spec)
    const genesis = buildGenesis(spec).block
    this.latest = checkpoint ?? genesis
    this.latestHash = headerHash(this.latest.header)
    this.recent.set(this.latest.header.height, this.latest)
  }

  get head (): SignedHeader {
    return this.latest
  }

  get height (): number {
    return this.latest.header.height
  }

  /** A verified header at `height`, if it is among the recent ones kept. */
  headerAt (height: number): SignedHeader | undefined {
    return this.recent.get(height)
  }

  /** Accepts the next header after checking its link, time, producer and signature. */
  accept (signed: SignedHeader): void {
    const { header } = signed
    const head = this.latest.header
    if (header.height !== head.height + 1) throw new BlockError('BAD_HEIGHT', `Expected header ${head.height + 1}, got ${header.height}.`)
    if (!equalBytes(header.parent, this.latestHash)) throw new BlockError('BAD_PARENT', `Header ${header.height} does not extend the verified chain.`)
    if (header.time < head.time) throw new BlockError('BAD_TIMESTAMP', `Header ${header.height} is timed before its parent.`)
    if (!equalBytes(header.producer, this.spec.producer)) throw new BlockError('BAD_PRODUCER', `Header ${header.height} is not from this network's producer.`)
    if (!verifyHeaderSignature(signed, this.chainId, this.verifier)) throw new BlockError('BAD_SIGNATURE', `Header ${header.height} has a bad signature.`)
    this.latest = signed
    this.latestHash = headerHash(header)
    this.recent.set(header.height, signed)
    if (this.recent.size > RECENT_HEADERS) {
      this.oldest = Math.max(this.oldest, header.height - RECENT_HEADERS)
      for (const h of this.recent.keys()) if (h <= this.oldest) this.recent.delete(h)
    }
  }

  /** The account `publicKey` holds at `height`, proven against that header's state root. */
  verifyAccount (publicKey: Uint8Array, proof: StateProof, height: number): Account {
    const header = this.recent.get(height)
    if (header === undefined) throw new LedgerError('BAD_HEIGHT', `Header ${height} has not been verified yet; sync first.`)
    if (proof.key !== K.account(publicKey)) throw new LedgerError('BAD_PROOF', 'The proof is for another account.')
    const { ok, value } = verifyStateProof(header.header.stateRoot, proof)
    if (!ok) throw new LedgerError('BAD_PROOF', `The account proof does not match the state root of block ${height}.`)
    if (value === null) return { balance: 0n, nonce: 0 }
    const f = record(decode(value, 1024, 'account'), ['balance', 'nonce'], 'account')
    return { balance: readU64(f.balance, 'balance'), nonce: readUint(f.nonce, 'nonce', Number.MAX_SAFE_INTEGER) }
  }
}
