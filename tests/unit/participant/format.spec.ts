import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { formatTokens, MAX_SUPPLY_BASE_UNITS, parseTokens, shortAddress, shortHash } from '../../../src/participant/format.ts'
import { AmountError } from '../../../src/participant/errors.ts'

const NNBSP = '\u202f'

describe('formatTokens', () => {
  it('shows base units as tokens exactly, without trailing zeros', () => {
    expect(formatTokens(1_234_567_890n)).toBe('1.23456789 TT')
    expect(formatTokens(1_000_000_000n)).toBe('1 TT')
    expect(formatTokens(0n)).toBe('0 TT')
    expect(formatTokens(1n)).toBe('0.000000001 TT')
    expect(formatTokens(100_000_000n)).toBe('0.1 TT')
  })

  it('groups thousands with a narrow no-break space', () => {
    expect(formatTokens(21_000_000n * 1_000_000_000n)).toBe(`21${NNBSP}000${NNBSP}000 TT`)
    expect(formatTokens(999_500_000_000n)).toBe('999.5 TT')
  })

  it('can drop the symbol and cut decimals toward zero', () => {
    expect(formatTokens(1_239_999_999n, { symbol: false, maxDecimals: 2 })).toBe('1.23')
    expect(formatTokens(1_999_999_999n, { maxDecimals: 0 })).toBe('1 TT')
  })

  it('keeps the sign of a negative amount', () => {
    expect(formatTokens(-1_500_000_000n)).toBe('-1.5 TT')
  })
})

describe('parseTokens', () => {
  it('reads whole and fractional amounts into base units', () => {
    expect(parseTokens('1')).toBe(1_000_000_000n)
    expect(parseTokens('0.1')).toBe(100_000_000n)
    expect(parseTokens('.5')).toBe(500_000_000n)
    expect(parseTokens('5.')).toBe(5_000_000_000n)
    expect(parseTokens('  12.000000001  ')).toBe(12_000_000_001n)
    expect(parseTokens('0')).toBe(0n)
  })

  it('accepts a trailing symbol and space-grouped thousands, as the display shows them', () => {
    expect(parseTokens('2.5 TT')).toBe(2_500_000_000n)
    expect(parseTokens(`1${NNBSP}000.25 tt`)).toBe(1_000_250_000_000n)
    expect(parseTokens('1 000 000')).toBe(1_000_000n * 1_000_000_000n)
  })

  it('refuses more than nine decimals', () => {
    expect(() => parseTokens('0.0000000001')).toThrow(expect.objectContaining({ code: 'TOO_MANY_DECIMALS', message: expect.stringMatching(/at most 9 decimals/) }))
  })

  it('refuses a negative amount', () => {
    expect(() => parseTokens('-1')).toThrow(expect.objectContaining({ code: 'NEGATIVE_AMOUNT' }))
  })

  it('refuses text that is not a number', () => {
    for (const text of ['abc', '1e5', '1.2.3', '.', '0x10', 'Infinity', '1 2', '12 34', 'TT']) {
      expect(() => parseTokens(text), text).toThrow(expect.objectContaining({ code: 'NOT_A_NUMBER' }))
    }
  })

  it('refuses commas rather than guess whether they mark decimals or thousands', () => {
    expect(() => parseTokens('1,5')).toThrow(expect.objectContaining({ code: 'NOT_A_NUMBER', message: expect.stringMatching(/dot for decimals/) }))
    expect(() => parseTokens('1,000')).toThrow(AmountError)
  })

  it('refuses an empty field', () => {
    expect(() => parseTokens('   ')).toThrow(expect.objectContaining({ code: 'EMPTY_AMOUNT' }))
  })

  it('refuses more than the supply cap', () => {
    expect(parseTokens('21000000')).toBe(MAX_SUPPLY_BASE_UNITS)
    expect(() => parseTokens('21000000.000000001')).toThrow(expect.objectContaining({ code: 'AMOUNT_TOO_LARGE' }))
  })

  it('parses back every amount it formats', () => {
    fc.assert(fc.property(fc.bigInt({ min: 0n, max: MAX_SUPPLY_BASE_UNITS }), baseUnits => {
      expect(parseTokens(formatTokens(baseUnits))).toBe(baseUnits)
    }))
  })
})

describe('short forms', () => {
  it('shortens a hash to both ends', () => {
    expect(shortHash('00112233445566778899aabbccddeeff')).toBe('001122…ddeeff')
    expect(shortHash('abcd')).toBe('abcd')
  })

  it('shortens an address keeping its prefix', () => {
    const address = 'tt1qqqsyqcyq5rqwzqfpg9scrgwpugpzysn3n6ltdk4w0z2y6t8r4sjqfxm8v'
    expect(shortAddress(address)).toBe('tt1qqqsyq…qfxm8v')
    expect(shortAddress('tt1short')).toBe('tt1short')
  })
})
