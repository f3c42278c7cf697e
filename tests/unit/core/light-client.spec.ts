import { describe, expect, it } from 'vitest'
import { base64 } from '@scure/base'
import { signHeader, type SignedHeader } from '../../../src/core/block.ts'
import { decode, encode } from '../../../src/core/codec.ts'
import { keypairFromLabel } from '../../../src/core/keys.ts'
import { K } from '../../../src/core/ledger/schema.ts'
import { LightClient, MAX_PROOF_BYTES, decodeStateProof, encodeStateProof } from '../../../src/core/light-client.ts'
import type { StateProof } from '../../../src/core/state.ts'
import { TOKEN, TestChain, alice, bob, carol, hotC, producer } from './ledger/fixture.ts'
import { rejection } from '../../helpers/errors.ts'

const impostor = keypairFromLabel('impostor')

/** Four blocks in which alice pays bob, so their balances change along the way. */
function network (): TestChain {
  const tc = new TestChain()
  for (let i = 1; i <= 4; i++) {
    tc.submit(alice, { kind: 'transfer', to: bob.publicKey, amount: BigInt(i) * TOKEN })
    tc.block()
  }
  return tc
}

function synced (tc: TestChain, upTo = tc.height): LightClient {
  const lc = new LightClient(tc.spec)
  for (let h = 1; h <= upTo; h++) lc.accept(tc.chain.header(h)!)
  return lc
}

function resign (signed: SignedHeader, change: Partial<SignedHeader['header']>, key = producer, chainId = new TestChain().chain.chainId): SignedHeader {
  return signHeader({ ...signed.header, ...change }, key, chainId)
}

describe('following headers', () => {
  it("accepts a chain's headers in order", () => {
    const tc = network()
    const lc = synced(tc)
    expect(lc.height).toBe(4)
    expect(lc.head).toStrictEqual(tc.chain.head)
    expect(lc.chainId).toStrictEqual(tc.chain.chainId)
    for (let h = 0; h <= 4; h++) expect(lc.headerAt(h)?.header).toStrictEqual(tc.chain.header(h)!.header)
    expect(lc.headerAt(5)).toBeUndefined()
  })

  it('rejects a header whose parent is not the verified head with BAD_PARENT', () => {
    const tc = network()
    const lc = synced(tc, 1)
    const forged = resign(tc.chain.header(2)!, { parent: tc.chain.header(1)!.header.parent })
    expect(rejection(() => lc.accept(forged)).code).toBe('BAD_PARENT')
    expect(lc.height).toBe(1)
    lc.accept(tc.chain.header(2)!)
  })

  it('rejects a header with a bad signature with BAD_SIGNATURE', () => {
    const tc = network()
    const lc = synced(tc, 1)
    const header = tc.chain.header(2)!
    const sig = header.sig.slice()
    sig[63]! ^= 0x01
    expect(rejection(() => lc.accept({ header: header.header, sig })).code).toBe('BAD_SIGNATURE')
    // The producer's name, someone else's signature.
    expect(rejection(() => lc.accept(resign(header, {}, impostor))).code).toBe('BAD_SIGNATURE')
    // The producer's signature for another network.
    expect(rejection(() => lc.accept(resign(header, {}, producer, new Uint8Array(32)))).code).toBe('BAD_SIGNATURE')
    // A header changed after signing.
    expect(rejection(() => lc.accept({ header: { ...header.header, stateRoot: new Uint8Array(32) }, sig: header.sig })).code).toBe('BAD_SIGNATURE')
    expect(lc.height).toBe(1)
  })

  it("rejects a header from a key other than the network's producer with BAD_PRODUCER", () => {
    const tc = network()
    const lc = synced(tc, 1)
    expect(rejection(() => lc.accept(resign(tc.chain.header(2)!, { producer: impostor.publicKey }, impostor))).code).toBe('BAD_PRODUCER')
  })

  it('rejects a header that skips a height, or repeats one, with BAD_HEIGHT', () => {
    const tc = network()
    const lc = synced(tc, 1)
    expect(rejection(() => lc.accept(tc.chain.header(3)!)).code).toBe('BAD_HEIGHT')
    expect(rejection(() => lc.accept(tc.chain.header(1)!)).code).toBe('BAD_HEIGHT')
  })

  it('rejects a header timed before its parent with BAD_TIMESTAMP', () => {
    const tc = network()
    const lc = synced(tc, 1)
    expect(rejection(() => lc.accept(resign(tc.chain.header(2)!, { time: 0 }))).code).toBe('BAD_TIMESTAMP')
  })

  it("rejects another network's headers from the same producer key with BAD_SIGNATURE", () => {
    const tc = network()
    // Same initial state, other name: block 0 is the same, only the chain id tells them apart.
    const other = new TestChain({ ...tc.spec, chain: 'another-network' })
    other.block()
    const lc = new LightClient(tc.spec)
    expect(other.chain.header(1)!.header.parent).toStrictEqual(tc.chain.header(1)!.header.parent)
    expect(rejection(() => lc.accept(other.chain.header(1)!)).code).toBe('BAD_SIGNATURE')
  })
})

describe('checking accounts', () => {
  it('accepts the proof the relay serves for an account after a block', () => {
    const tc = network()
    const lc = synced(tc)
    const proof = tc.state.prove(K.account(alice.publicKey))
    expect(lc.verifyAccount(alice.publicKey, proof, tc.height)).toStrictEqual({ balance: tc.balance(alice), nonce: 4 })
    expect(tc.balance(alice)).toBe(990n * TOKEN)
  })

  it('proves an account that does not exist as empty', () => {
    const tc = network()
    const lc = synced(tc)
    const proof = tc.state.prove(K.account(hotC.publicKey))
    expect(proof.value).toBeNull()
    expect(lc.verifyAccount(hotC.publicKey, proof, tc.height)).toStrictEqual({ balance: 0n, nonce: 0 })
  })

  it('rejects a proof for another account with BAD_PROOF', () => {
    const tc = network()
    const lc = synced(tc)
    const bobs = tc.state.prove(K.account(bob.publicKey))
    expect(rejection(() => lc.verifyAccount(alice.publicKey, bobs, tc.height)).code).toBe('BAD_PROOF')
    // Relabelled with alice's key, bob's leaf no longer hashes into the root.
    expect(rejection(() => lc.verifyAccount(alice.publicKey, { ...bobs, key: K.account(alice.publicKey) }, tc.height)).code).toBe('BAD_PROOF')
  })

  it('rejects a proof whose balance was changed with BAD_PROOF', () => {
    const tc = network()
    const lc = synced(tc)
    const proof = tc.state.prove(K.account(alice.publicKey))
    if (proof.value === null) throw new Error('alice has an account')
    const account = decode(proof.value, 1024) as { balance: bigint | number, nonce: number }
    const richer = encode({ ...account, balance: 21_000_000n * TOKEN })
    expect(rejection(() => lc.verifyAccount(alice.publicKey, { ...proof, value: richer }, tc.height)).code).toBe('BAD_PROOF')
  })

  it('rejects a claim that an existing account is empty with BAD_PROOF', () => {
    const tc = network()
    const lc = synced(tc)
    const absent = tc.state.prove(K.account(hotC.publicKey))
    expect(rejection(() => lc.verifyAccount(alice.publicKey, { ...absent, key: K.account(alice.publicKey) }, tc.height)).code).toBe('BAD_PROOF')
  })

  it('checks a proof against the header of the height it names, once that header is verified', () => {
    const tc = network()
    const lc = synced(tc, 2)
    // A proof from the chain head (height 4), while the client has verified up to 2.
    const atHead = tc.state.prove(K.account(alice.publicKey))
    expect(rejection(() => lc.verifyAccount(alice.publicKey, atHead, 2)).code).toBe('BAD_PROOF')
    expect(rejection(() => lc.verifyAccount(alice.publicKey, atHead, 4)).code).toBe('BAD_HEIGHT')
    lc.accept(tc.chain.header(3)!)
    lc.accept(tc.chain.header(4)!)
    expect(lc.verifyAccount(alice.publicKey, atHead, 4).balance).toBe(990n * TOKEN)
  })

  it('describes the head, not transactions still pending', () => {
    const tc = network()
    const lc = synced(tc)
    tc.submit(alice, { kind: 'transfer', to: carol.publicKey, amount: TOKEN })
    const proof = tc.state.prove(K.account(alice.publicKey))
    expect(lc.verifyAccount(alice.publicKey, proof, tc.height).balance).toBe(990n * TOKEN)
  })
})

describe('state proof encoding', () => {
  it('round-trips inclusion and absence proofs through text, and they still verify', () => {
    const tc = network()
    const lc = synced(tc)
    const proofs: Array<[Uint8Array, StateProof]> = [
      [alice.publicKey, tc.state.prove(K.account(alice.publicKey))],
      [hotC.publicKey, tc.state.prove(K.account(hotC.publicKey))]
    ]
    for (const [key, proof] of proofs) {
      const text = encodeStateProof(proof)
      const back = decodeStateProof(text)
      expect(back).toStrictEqual(proof)
      expect(lc.verifyAccount(key, back, tc.height)).toStrictEqual(lc.verifyAccount(key, proof, tc.height))
    }
  })

  it('round-trips absence proofs at both edges of the state', () => {
    const tc = network()
    for (const key of ['', '~~~~']) {
      const proof = tc.state.prove(key)
      expect(proof.value).toBeNull()
      expect(decodeStateProof(encodeStateProof(proof))).toStrictEqual(proof)
    }
  })

  it('rejects text that is not base64 with MALFORMED', () => {
    expect(rejection(() => decodeStateProof('not base64!')).code).toBe('MALFORMED')
  })

  it('rejects proofs with extra fields, missing fields or over the size cap', () => {
    const tc = network()
    const proof = tc.state.prove(K.account(alice.publicKey))
    const text = (value: unknown): string => base64.encode(encode(value))
    expect(rejection(() => decodeStateProof(text({ ...proof, extra: 1 }))).code).toBe('UNKNOWN_FIELD')
    const { proof: _, ...noPath } = proof as { proof: unknown }
    expect(rejection(() => decodeStateProof(text(noPath))).code).toBe('MISSING_FIELD')
    expect(rejection(() => decodeStateProof(text({ ...proof, key: 'k'.repeat(MAX_PROOF_BYTES) }))).code).toBe('TOO_LARGE')
    expect(rejection(() => decodeStateProof(text([1, 2]))).code).toBe('MALFORMED')
  })
})
