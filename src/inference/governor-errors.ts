/**
 * Errors the resource governor raises. Each carries a stable `code` for callers and tests and a
 * one-sentence message a person can act on; the UI shows the message as is.
 */

export type GovernorErrorCode = 'CONSENT_REQUIRED' | 'GOVERNOR_STOPPED' | 'INVALID_BUDGET'

export class GovernorError extends Error {
  static override name = 'GovernorError'
  override name = 'GovernorError'
  constructor (readonly code: GovernorErrorCode, message: string) {
    super(message)
  }
}

/** Work was asked to run, without waiting, before the person agreed to share this device. */
export class ConsentRequiredError extends GovernorError {
  static override name = 'ConsentRequiredError'
  override name = 'ConsentRequiredError'
  constructor (message = 'Nothing runs until you agree: press Start to let this tab use your device.') {
    super('CONSENT_REQUIRED', message)
  }
}

/** The governor was stopped for good; queued and later work is refused. */
export class GovernorStoppedError extends GovernorError {
  static override name = 'GovernorStoppedError'
  override name = 'GovernorStoppedError'
  constructor (message = 'Mining has been shut down in this tab; reload the page to start again.') {
    super('GOVERNOR_STOPPED', message)
  }
}

/** A budget outside (0, 1]. */
export class InvalidBudgetError extends GovernorError {
  static override name = 'InvalidBudgetError'
  override name = 'InvalidBudgetError'
  constructor (budget: number) {
    super('INVALID_BUDGET', `A budget of ${budget} is not possible; choose a share of time above 0 and at most 1 (for example 0.5 for 50 %).`)
  }
}
