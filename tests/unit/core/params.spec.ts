import { describe, expect, it } from 'vitest'
import { NETWORK_PARAMS, SUBNET_PARAMS, defaultNetworkParams, defaultSubnetParams, paramSpec, type ParamSpec } from '../../../src/core/params.ts'

describe('parameters', () => {
  it('have defaults inside their own ranges, and a sentence about each', () => {
    for (const [name, spec] of Object.entries<ParamSpec>({ ...NETWORK_PARAMS, ...SUBNET_PARAMS })) {
      expect(spec.min, name).toBeLessThanOrEqual(spec.default)
      expect(spec.default, name).toBeLessThanOrEqual(spec.max)
      expect(spec.about, name).toMatch(/^[A-Z].*\.$/)
    }
  })

  it('give fresh default records that callers cannot share by accident', () => {
    const a = defaultSubnetParams()
    a.tempo = 1n
    expect(defaultSubnetParams().tempo).toBe(360n)
    expect(defaultNetworkParams().maxSubnets).toBe(32n)
  })

  it('look up network parameters under netuid 0 and subnet parameters under any other netuid', () => {
    expect(paramSpec(0, 'maxSubnets')).toBe(NETWORK_PARAMS.maxSubnets)
    expect(paramSpec(0, 'tempo')).toBeUndefined()
    expect(paramSpec(3, 'tempo')).toBe(SUBNET_PARAMS.tempo)
    expect(paramSpec(3, 'maxSubnets')).toBeUndefined()
  })

  it('know nothing of names inherited from Object', () => {
    for (const name of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) {
      expect(paramSpec(0, name)).toBeUndefined()
      expect(paramSpec(1, name)).toBeUndefined()
    }
  })
})
