import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { NeuronView } from '../../../src/participant/explorer-client.ts'
import { NEURON_COLUMNS, nextSort, sortNeurons } from '../../../src/participant/metagraph-sort.ts'

const neuron = (uid: number, over: Partial<NeuronView> = {}): NeuronView => ({
  uid, hotkey: `tt1${String.fromCharCode(122 - uid)}`, coldkey: 'tt1c', stake: 0n, registeredAt: uid, lastUpdate: 0,
  validatorPermit: false, active: true, consensus: 0, incentive: 0, dividends: 0, validatorTrust: 0, emission: 0n, ...over
})

describe('sortNeurons', () => {
  const neurons = [neuron(0, { stake: 5n, incentive: 10 }), neuron(1, { stake: 50n, active: false }), neuron(2, { stake: 5n, incentive: 30_000 })]

  it('sorts by amounts, shares, text and flags in either direction', () => {
    expect(sortNeurons(neurons, { column: 'stake', direction: 'descending' }).map(n => n.uid)).toEqual([1, 0, 2])
    expect(sortNeurons(neurons, { column: 'incentive', direction: 'descending' }).map(n => n.uid)).toEqual([2, 0, 1])
    expect(sortNeurons(neurons, { column: 'hotkey', direction: 'ascending' }).map(n => n.uid)).toEqual([2, 1, 0])
    expect(sortNeurons(neurons, { column: 'active', direction: 'ascending' }).map(n => n.uid)).toEqual([1, 0, 2])
  })

  it('keeps uid order among equal values and never changes the input', () => {
    const copy = [...neurons]
    expect(sortNeurons(neurons, { column: 'emission', direction: 'descending' }).map(n => n.uid)).toEqual([0, 1, 2])
    expect(neurons).toEqual(copy)
  })

  it('orders every column consistently: reversing the direction reverses all but ties', () => {
    const arb = fc.array(fc.record({ stake: fc.bigInt({ min: 0n, max: 100n }), incentive: fc.nat(65535), active: fc.boolean() }), { maxLength: 20 })
    fc.assert(fc.property(arb, fc.constantFrom(...NEURON_COLUMNS), (rows, column) => {
      const list = rows.map((r, uid) => neuron(uid, r))
      const up = sortNeurons(list, { column, direction: 'ascending' })
      const down = sortNeurons(list, { column, direction: 'descending' })
      expect(up.map(n => n[column])).toEqual(down.map(n => n[column]).reverse())
      expect([...up].sort((a, b) => a.uid - b.uid)).toEqual(list)
    }), { seed: 3, numRuns: 200 })
  })
})

describe('nextSort', () => {
  it('flips the direction of the same column and starts a new one largest first', () => {
    expect(nextSort({ column: 'stake', direction: 'descending' }, 'stake')).toEqual({ column: 'stake', direction: 'ascending' })
    expect(nextSort({ column: 'stake', direction: 'ascending' }, 'emission')).toEqual({ column: 'emission', direction: 'descending' })
    expect(nextSort({ column: 'stake', direction: 'descending' }, 'uid')).toEqual({ column: 'uid', direction: 'ascending' })
  })
})
