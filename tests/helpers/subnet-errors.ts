import { expect } from 'vitest'
import { SubnetInputError } from '../../src/subnets/subnet.ts'

/** Runs `fn` and returns the SubnetInputError it throws; fails the test if it throws nothing or something else. */
export function subnetRejection (fn: () => unknown): SubnetInputError {
  try {
    fn()
  } catch (err) {
    expect(err).toBeInstanceOf(SubnetInputError)
    expect((err as Error).message).toMatch(/\.$/)
    return err as SubnetInputError
  }
  throw new Error('expected a SubnetInputError, but nothing was thrown')
}
