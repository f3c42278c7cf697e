import { describe, expect, it } from 'vitest'
import { href, parseRoute, section } from '../../../src/participant/router.svelte.ts'

describe('parseRoute', () => {
  it('reads each view from the hash, the mining view being home', () => {
    expect(parseRoute('')).toEqual({ view: 'mining' })
    expect(parseRoute('#/')).toEqual({ view: 'mining' })
    expect(parseRoute('#/wallet')).toEqual({ view: 'wallet' })
    expect(parseRoute('#/explorer/')).toEqual({ view: 'explorer' })
    expect(parseRoute('#/subnets')).toEqual({ view: 'subnets' })
    expect(parseRoute('#/governance')).toEqual({ view: 'governance' })
    expect(parseRoute('#/demo')).toEqual({ view: 'demo' })
  })

  it('reads a block, an account and a subnet, and round-trips the links it makes', () => {
    expect(parseRoute(href.block(42))).toEqual({ view: 'block', height: 42 })
    expect(parseRoute(href.account('tt1abc'))).toEqual({ view: 'account', address: 'tt1abc' })
    expect(parseRoute(href.subnet(3))).toEqual({ view: 'subnet', netuid: 3 })
  })

  it('sends anything else to a not-found page rather than guessing', () => {
    for (const hash of ['#/nope', '#/explorer/block/x', '#/explorer/block/-1', '#/subnets/1/2', '#/wallet/extra', '#/explorer/account/']) {
      expect(parseRoute(hash).view, hash).toBe('not-found')
    }
    expect(parseRoute('#/%E0%A4%A')).toMatchObject({ view: 'not-found' })
  })

  it('files a block page under the explorer and a subnet page under subnets', () => {
    expect(section({ view: 'block', height: 1 })).toBe('explorer')
    expect(section({ view: 'account', address: 'tt1' })).toBe('explorer')
    expect(section({ view: 'subnet', netuid: 1 })).toBe('subnets')
    expect(section({ view: 'wallet' })).toBe('wallet')
  })
})
