/**
 * Errors of the Yuma module. Both say in one sentence what is wrong and where, so a person can
 * fix the ledger state or the vector file that produced them.
 */

/** Epoch parameters or inputs that do not describe a subnet (wrong lengths, out-of-range values). */
export class EpochInputError extends Error {
  static override name = 'EpochInputError'
  override name = 'EpochInputError'
}

/** A JSON value that is not one epoch vector in the yuma-vectors.json format. */
export class InvalidVectorError extends Error {
  static override name = 'InvalidVectorError'
  override name = 'InvalidVectorError'
}
