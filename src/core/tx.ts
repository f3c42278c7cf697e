/**
 * Transactions: what a key asks the ledger to do, signed under the `tx` domain and the chain id.
 *
 * On the wire a transaction is the canonical CBOR map `{body, sig}`; `body` holds `kind`, the
 * signer `from` (a 32-byte public key), its account `nonce` and the fields of that kind — no
 * more, no fewer. The id of a transaction is the CID of its bytes. Decoding checks the size cap,
 * canonical form, the exact field set and every field's type; `verifyTx` checks the signature.
 */
import { LedgerError, InvalidSignatureError } from './errors.ts'
import { cidOf, decode, encode, readBool, readBytes, readString, readU64, readUint, readUintList, record, type Fields } from './codec.ts'
import { sign, verify, type Keypair, type SignatureVerifier, PUBLIC_KEY_BYTES, SIGNATURE_BYTES } from './keys.ts'

/** Largest encoded transaction we accept, in bytes (a full reveal of 4096 weights fits). */
export const MAX_TX_BYTES = 64 * 1024
/** Most uids one weight vector may name. */
export const MAX_WEIGHTS = 4096
/** Longest subnet name and parameter name, in characters. */
export const MAX_NAME_LENGTH = 32
/** Largest netuid. */
export const MAX_NETUID = 65535

export type Amount = bigint

interface Base { from: Uint8Array, nonce: number }
export type TxBody = Base & (
  | { kind: 'transfer', to: Uint8Array, amount: Amount }
  | { kind: 'register_burn', netuid: number, hotkey: Uint8Array, maxBurn: Amount }
  | { kind: 'register_pow', netuid: number, hotkey: Uint8Array, block: number, work: bigint }
  | { kind: 'add_stake', hotkey: Uint8Array, amount: Amount }
  | { kind: 'remove_stake', hotkey: Uint8Array, amount: Amount }
  | { kind: 'commit_weights', netuid: number, commit: Uint8Array }
  | { kind: 'reveal_weights', netuid: number, uids: number[], weights: number[], salt: Uint8Array }
  | { kind: 'create_subnet', name: string, maxLock: Amount }
  | { kind: 'propose', netuid: number, param: string, value: bigint }
  | { kind: 'vote', proposal: number, approve: boolean }
)
export type TxKind = TxBody['kind']

export interface SignedTx {
  readonly body: TxBody
  readonly sig: Uint8Array
  /** The canonical bytes of `{body, sig}`. */
  readonly bytes: Uint8Array
  /** CID string of `bytes`. */
  readonly id: string
}

type FieldReader = (value: unknown, field: string) => unknown
const u16: FieldReader = (v, f) => readUint(v, f, MAX_NETUID)
const u32: FieldReader = (v, f) => readUint(v, f, 0xffff_ffff)
const key: FieldReader = (v, f) => readBytes(v, f, PUBLIC_KEY_BYTES)
const hash32: FieldReader = (v, f) => readBytes(v, f, 32)
const amount: FieldReader = readU64
const height: FieldReader = (v, f) => readUint(v, f, Number.MAX_SAFE_INTEGER)

/** The fields of each kind and how to read them. */
const SCHEMAS: Record<TxKind, Record<string, FieldReader>> = {
  transfer: { to: key, amount },
  register_burn: { netuid: u16, hotkey: key, maxBurn: amount },
  register_pow: { netuid: u16, hotkey: key, block: height, work: readU64 },
  add_stake: { hotkey: key, amount },
  remove_stake: { hotkey: key, amount },
  commit_weights: { netuid: u16, commit: hash32 },
  reveal_weights: {
    netuid: u16,
    uids: (v, f) => readUintList(v, f, MAX_NETUID, MAX_WEIGHTS),
    weights: (v, f) => readUintList(v, f, 65535, MAX_WEIGHTS),
    salt: hash32
  },
  create_subnet: { name: (v, f) => readString(v, f, MAX_NAME_LENGTH), maxLock: amount },
  propose: { netuid: u16, param: (v, f) => readString(v, f, MAX_NAME_LENGTH), value: readU64 },
  vote: { proposal: u32, approve: readBool }
}

export const TX_KINDS = Object.keys(SCHEMAS) as TxKind[]

function readBody (value: unknown): TxBody {
  const kind = (value as Fields | null)?.kind
  if (typeof kind !== 'string' || !Object.hasOwn(SCHEMAS, kind)) {
    throw new LedgerError('UNKNOWN_KIND', `"${String(kind)}" is not a kind of transaction this ledger knows.`)
  }
  const schema = SCHEMAS[kind as TxKind]
  const fields = record(value, ['kind', 'from', 'nonce', ...Object.keys(schema)], `${kind} transaction`)
  const body: Record<string, unknown> = {
    kind,
    from: readBytes(fields.from, 'from', PUBLIC_KEY_BYTES),
    nonce: readUint(fields.nonce, 'nonce', Number.MAX_SAFE_INTEGER)
  }
  for (const [name, read] of Object.entries(schema)) body[name] = read(fields[name], name)
  return body as unknown as TxBody
}

/** Decodes wire bytes into a transaction (signature not yet checked). */
export function decodeTx (bytes: Uint8Array): SignedTx {
  const envelope = record(decode(bytes, MAX_TX_BYTES, 'transaction'), ['body', 'sig'], 'transaction')
  const body = readBody(envelope.body)
  const sig = readBytes(envelope.sig, 'sig', SIGNATURE_BYTES)
  return { body, sig, bytes, id: cidOf(bytes).toString() }
}

export function encodeBody (body: TxBody): Uint8Array {
  return encode(body)
}

/** Signs `body` with `key` (which must be `body.from`) for the chain `chainId`. */
export function signTx (body: TxBody, key: Keypair, chainId: Uint8Array): SignedTx {
  const sig = sign(key, 'tx', chainId, encodeBody(body))
  const bytes = encode({ body, sig })
  return { body, sig, bytes, id: cidOf(bytes).toString() }
}

/** Throws InvalidSignatureError unless `tx` is signed by `tx.body.from` for this chain. */
export function verifyTx (tx: SignedTx, chainId: Uint8Array, verifier?: SignatureVerifier): void {
  if (!verify(tx.sig, 'tx', chainId, encodeBody(tx.body), tx.body.from, verifier)) throw new InvalidSignatureError()
}
