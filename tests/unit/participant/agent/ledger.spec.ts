import { describe, expect, it } from 'vitest'
import { toAddress } from '../../../../src/core/address.ts'
import { keypairFromLabel } from '../../../../src/core/keys.ts'
import { AgentError } from '../../../../src/participant/agent/errors.ts'
import { parseMetagraph } from '../../../../src/participant/agent/ledger.ts'

const hotkey = keypairFromLabel('ledger/hot').publicKey
const neuron = { uid: 0, hotkey: toAddress(hotkey), validatorPermit: true, stake: '5', emission: '7', incentive: 100 }
const json = { height: 3, netuid: 1, name: 'folding', lastEpochBlock: -19, params: { tempo: '20', difficulty: '10000' }, neurons: [neuron] }

describe('reading the relay metagraph', () => {
  it('reads what the relay serves, including an epoch block below zero (staggered subnets)', () => {
    const mg = parseMetagraph(json)
    expect(mg.lastEpochBlock).toBe(-19)
    expect(mg.difficulty).toBe(10_000n)
    expect(mg.neurons[0]).toEqual({ uid: 0, hotkey, validatorPermit: true, stake: 5n, emission: 7n, incentive: 100 })
  })

  it('refuses an answer of another shape with BAD_RESPONSE', () => {
    for (const broken of [{ ...json, neurons: 'x' }, { ...json, params: null }, { ...json, neurons: [{ ...neuron, hotkey: 'nope' }] }, { ...json, neurons: [{ ...neuron, stake: -1 }] }]) {
      expect(() => parseMetagraph(broken as Record<string, unknown>)).toThrow(AgentError)
    }
  })
})
