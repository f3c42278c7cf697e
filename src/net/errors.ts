/** Errors of the tab's network layer; each says what happened and what to do next. */

/** The relay addresses given to a tab node are missing or not dialable multiaddrs. */
export class InvalidRelayAddressError extends Error {
  static override name = 'InvalidRelayAddressError'
  override name = 'InvalidRelayAddressError'
}

/** The key given as a tab's libp2p identity does not hold together. */
export class InvalidIdentityError extends Error {
  static override name = 'InvalidIdentityError'
  override name = 'InvalidIdentityError'
}
