import { describe, expect, it } from 'vitest'
import { toAddress } from '../../../src/core/address.ts'
import { keypairFromLabel } from '../../../src/core/keys.ts'
import { checkStake, formatTake } from '../../../src/participant/stake-form.ts'

const TOKEN = 1_000_000_000n
const validator = toAddress(keypairFromLabel('stake-form/validator').publicKey)
const stranger = toAddress(keypairFromLabel('stake-form/stranger').publicKey)
const limits = { balance: 10n * TOKEN, staked: new Map([[validator, 3n * TOKEN]]), registered: new Set([validator]) }

describe('checkStake', () => {
  it('accepts a stake within the balance and an unstake within the stake', () => {
    expect(checkStake('stake', { hotkey: validator, amount: '10' }, limits)).toMatchObject({ ok: true, address: validator, amount: 10n * TOKEN })
    expect(checkStake('unstake', { hotkey: validator, amount: '2.5' }, limits)).toMatchObject({ ok: true, amount: 2_500_000_000n })
  })

  it('refuses an amount above the balance or above the stake, saying how much there is', () => {
    const stake = checkStake('stake', { hotkey: validator, amount: '10.5' }, limits)
    expect(stake).toEqual({ ok: false, errors: { amount: 'That is more than your balance of 10 TT.' } })
    const unstake = checkStake('unstake', { hotkey: validator, amount: '4' }, limits)
    expect(unstake).toEqual({ ok: false, errors: { amount: 'That is more than your stake of 3 TT on that validator.' } })
  })

  it('refuses unstaking from a validator with no stake of this coldkey', () => {
    expect(checkStake('unstake', { hotkey: stranger, amount: '1' }, limits)).toEqual({ ok: false, errors: { amount: 'You have no stake on that validator.' } })
  })

  it('refuses a missing, malformed or unregistered hotkey, and a bad amount, all at once', () => {
    const empty = checkStake('stake', { hotkey: ' ', amount: '' }, limits)
    expect(empty).toEqual({ ok: false, errors: { hotkey: 'Choose the validator to stake to.', amount: 'Enter an amount.' } })
    const bad = checkStake('stake', { hotkey: 'tt1nope', amount: '0' }, limits)
    expect(bad.ok).toBe(false)
    if (!bad.ok) {
      expect(bad.errors.hotkey).toMatch(/address/i)
      expect(bad.errors.amount).toBe('Enter an amount above zero.')
    }
    const unregistered = checkStake('stake', { hotkey: stranger, amount: '1' }, limits)
    expect(unregistered).toMatchObject({ ok: false, errors: { hotkey: expect.stringMatching(/not registered/) } })
  })

  it('checks only the form while the balance and the hotkeys have not loaded', () => {
    expect(checkStake('stake', { hotkey: stranger, amount: '1000' }, { balance: null, staked: new Map(), registered: null }).ok).toBe(true)
  })
})

describe('formatTake', () => {
  it('shows a u16 take as a percentage with one decimal', () => {
    expect(formatTake(11_796n)).toBe('18.0 %')
    expect(formatTake(0n)).toBe('0.0 %')
    expect(formatTake(65_535n)).toBe('100.0 %')
  })
})
