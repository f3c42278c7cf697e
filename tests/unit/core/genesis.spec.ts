import { describe, expect, it } from 'vitest'
import { toAddress } from '../../../src/core/address.ts'
import { txRoot } from '../../../src/core/block.ts'
import { LedgerError } from '../../../src/core/errors.ts'
import { buildGenesis, chainIdOf, genesisFromJson, genesisToJson, type GenesisJson, type GenesisSpec } from '../../../src/core/genesis.ts'
import { toHex } from '../../../src/core/hash.ts'
import { K, account, globals, type Subnet } from '../../../src/core/ledger/schema.ts'
import { defaultNetworkParams } from '../../../src/core/params.ts'
import { TOTAL_SUPPLY } from '../../../src/core/supply.ts'
import { TOKEN, alice, bob, genesisSpec } from './ledger/fixture.ts'
import { rejection } from '../../helpers/errors.ts'

const json = (change: Partial<GenesisJson> = {}): GenesisJson => ({ ...genesisToJson(genesisSpec()), ...change })
const idHex = (spec: GenesisSpec): string => toHex(chainIdOf(spec))

describe('chain id', () => {
  it('is the same for the same spec and changes with every part of it', () => {
    const spec = genesisSpec()
    expect(idHex(genesisSpec())).toBe(idHex(spec))
    const variants: GenesisSpec[] = [
      { ...spec, chain: 'other' },
      { ...spec, time: spec.time + 1 },
      { ...spec, producer: alice.publicKey },
      { ...spec, balances: spec.balances.slice(1) },
      { ...spec, subnets: spec.subnets.slice(1) },
      { ...spec, params: { maxSubnets: 5n } }
    ]
    const ids = new Set([idHex(spec), ...variants.map(idHex)])
    expect(ids.size).toBe(variants.length + 1)
  })
})

describe('genesis JSON', () => {
  it('round-trips a spec through its JSON form with the same chain id and state root', () => {
    const spec = genesisSpec({ params: { maxSubnets: 5n }, subnet2: { burn: 3n * TOKEN } })
    const text = JSON.stringify(genesisToJson(spec))
    const back = genesisFromJson(JSON.parse(text) as GenesisJson)
    expect(back).toStrictEqual(spec)
    expect(idHex(back)).toBe(idHex(spec))
    expect(toHex(buildGenesis(back).state.root)).toBe(toHex(buildGenesis(spec).state.root))
  })

  it('rejects a mistyped address with BAD_ADDRESS', () => {
    const good = json()
    const address = good.balances[0]!.address
    const typo = address.slice(0, -1) + (address.endsWith('q') ? 'p' : 'q')
    expect(rejection(() => genesisFromJson({ ...good, balances: [{ address: typo, amount: '1' }] })).code).toBe('BAD_ADDRESS')
    expect(rejection(() => genesisFromJson({ ...good, producer: 'nobody' })).code).toBe('BAD_ADDRESS')
  })

  it('rejects unknown, out-of-range and non-integer parameters', () => {
    expect(rejection(() => genesisFromJson(json({ params: { tempo: '10' } }))).code).toBe('UNKNOWN_PARAM')
    expect(rejection(() => genesisFromJson(json({ params: { maxSubnets: '0' } }))).code).toBe('PARAM_OUT_OF_RANGE')
    expect(rejection(() => genesisFromJson(json({ params: { maxSubnets: '1.5' } }))).code).toBe('BAD_FIELD')
    const subnets = [{ name: 'one', owner: toAddress(alice.publicKey), params: { maxSubnets: '3' } }]
    expect(rejection(() => genesisFromJson(json({ subnets }))).code).toBe('UNKNOWN_PARAM')
  })

  it('rejects balances that are zero, negative or over the cap', () => {
    const address = toAddress(alice.publicKey)
    expect(rejection(() => genesisFromJson(json({ balances: [{ address, amount: '0' }] }))).code).toBe('CAP_EXCEEDED')
    expect(rejection(() => genesisFromJson(json({ balances: [{ address, amount: '-5' }] }))).code).toBe('BAD_FIELD')
    const half = (TOTAL_SUPPLY / 2n + 1n).toString()
    expect(rejection(() => genesisFromJson(json({ balances: [{ address, amount: half }, { address: toAddress(bob.publicKey), amount: half }] }))).code).toBe('CAP_EXCEEDED')
    expect(genesisFromJson(json({ balances: [{ address, amount: TOTAL_SUPPLY.toString() }] })).balances[0]!.amount).toBe(TOTAL_SUPPLY)
  })

  it('rejects a balance that is not an integer with BAD_FIELD', () => {
    const address = toAddress(alice.publicKey)
    expect(rejection(() => genesisFromJson(json({ balances: [{ address, amount: '1.5' }] }))).code).toBe('BAD_FIELD')
  })

  it('rejects a genesis without its required parts with MALFORMED', () => {
    expect(rejection(() => genesisFromJson({ chain: 'x' } as unknown as GenesisJson)).code).toBe('MALFORMED')
    expect(rejection(() => genesisFromJson(null as unknown as GenesisJson)).code).toBe('MALFORMED')
    expect(rejection(() => genesisFromJson(json({ time: 1.5 }))).code).toBe('MALFORMED')
  })

  it('refuses a genesis that funds the same address twice', () => {
    const address = toAddress(alice.publicKey)
    expect(rejection(() => genesisFromJson(json({ balances: [{ address, amount: '5' }, { address, amount: '7' }] }))).code).toBeDefined()
  })
})

describe('buildGenesis', () => {
  it('funds every balance, creates the subnets and counts the balances as issuance', () => {
    const spec = genesisSpec({ params: { maxSubnets: 5n } })
    const { state, block } = buildGenesis(spec)
    const g = globals(state)
    expect(g.issuance).toBe(3_000n * TOKEN)
    expect(g.totalStake).toBe(0n)
    expect(g.netuids).toStrictEqual([1, 2])
    expect(g.params).toStrictEqual({ ...defaultNetworkParams(), maxSubnets: 5n })
    expect(account(state, alice.publicKey)).toStrictEqual({ balance: 1_000n * TOKEN, nonce: 0 })
    const subnet = state.get<Subnet>(K.subnet(2))!
    expect(subnet).toMatchObject({ netuid: 2, name: 'two', owner: bob.publicKey, locked: 0n, createdAt: 0, n: 0 })
    expect(subnet.params.tempo).toBe(3n)
    expect(block.header).toStrictEqual({
      height: 0, parent: new Uint8Array(32), time: spec.time, txRoot: txRoot([]), stateRoot: state.root, producer: spec.producer
    })
    expect(block.txs).toStrictEqual([])
  })

  it('never counts more issuance than the balances it funds, even when a key is listed twice', () => {
    const spec = genesisSpec({ balances: [{ key: alice.publicKey, amount: 5n }, { key: alice.publicKey, amount: 7n }] })
    let built: ReturnType<typeof buildGenesis> | undefined
    try {
      built = buildGenesis(spec)
    } catch (err) {
      // Refusing the spec is a fine answer too.
      expect(err).toBeInstanceOf(LedgerError)
      return
    }
    expect(globals(built.state).issuance).toBe(account(built.state, alice.publicKey).balance)
  })
})
