import { expect } from 'vitest'
import { LedgerError } from '../../src/core/errors.ts'

/** Runs `fn` and returns the LedgerError it throws; fails the test if it throws nothing or something else. */
export function rejection (fn: () => unknown): LedgerError {
  try {
    fn()
  } catch (err) {
    expect(err).toBeInstanceOf(LedgerError)
    return err as LedgerError
  }
  throw new Error('expected a LedgerError, but nothing was thrown')
}
