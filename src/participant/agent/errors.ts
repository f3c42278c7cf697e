/**
 * Errors of the mining agent. Each has a stable `code` that logs, scoring and tests match on, and
 * a sentence that says what happened and what to do next.
 */

export type AgentErrorCode =
  /** A task or result frame is not canonical CBOR of its shape, or is over its cap. */
  | 'MALFORMED'
  /** A signature does not verify for the key the message names. */
  | 'BAD_SIGNATURE'
  /** A result is signed by a key other than the hotkey registered at the uid. */
  | 'WRONG_SIGNER'
  /** A result answers another task than the one sent. */
  | 'WRONG_TASK'
  /** A result arrived after the task's deadline, or never. */
  | 'LATE'
  /** The miner could not be dialled or its stream failed. */
  | 'UNREACHABLE'
  /** A task is for a subnet this tab does not mine. */
  | 'WRONG_SUBNET'
  /** The miner holds as many tasks as it can. */
  | 'BUSY'
  /** Registration or staking on the ledger did not go through. */
  | 'LEDGER'
  /** The relay's answer about the ledger was not what was expected. */
  | 'BAD_RESPONSE'
  /** A storage miner does not hold the shard it was challenged on. */
  | 'NOT_HELD'
  /** The miner's solver could not produce a result (its model failed, its data is missing). */
  | 'SOLVER_FAILED'

export class AgentError extends Error {
  static override name = 'AgentError'
  override name = 'AgentError'
  constructor (readonly code: AgentErrorCode, message: string, options?: ErrorOptions) {
    super(message, options)
  }
}
