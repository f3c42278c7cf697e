/**
 * What every subnet provides, so the participant's agent (miner and validator roles) can run any
 * of them the same way. A subnet is a folder under src/subnets/ whose index.ts exports one
 * `Subnet` object; its solver and anything heavy live beside it and run in a worker.
 *
 * Tasks and results cross the network, so each has a canonical encoding (src/core/codec.ts)
 * with a size cap, and decoding untrusted bytes throws a `SubnetInputError` with a stable code.
 * Scoring never throws on a miner's input: a result that is invalid, late, malformed, for
 * another task or a copy of someone else's scores zero with the reason, so a validator can log
 * it and go on.
 */

/** Why a result earned nothing: a stable code and a sentence a person understands. */
export interface Rejection {
  code: string
  reason: string
}

/** One miner's answer to one task, as the validator received it. */
export interface Submission {
  uid: number
  /** The result's canonical bytes, not yet decoded (decoding is part of scoring). */
  bytes: Uint8Array
  /** When the validator received it, ms since the epoch (orders ties and duplicates). */
  receivedAt: number
}

/** A submission's score in [0, 1], with the reason when it is zero because it was refused. */
export interface Score {
  uid: number
  score: number
  rejection?: Rejection
}

/** A task or result that cannot be decoded or is out of bounds. */
export class SubnetInputError extends Error {
  static override name = 'SubnetInputError'
  override name = 'SubnetInputError'
  constructor (readonly code: string, message: string) {
    super(message)
  }

  get rejection (): Rejection {
    return { code: this.code, reason: this.message }
  }
}

/**
 * `Context` is what a validator needs besides randomness to make a task: nothing for folding,
 * the recent series for prices, the miner's assigned shard for storage.
 */
export interface Subnet<Task, Result, Context = void> {
  /** Short name: the subnet's folder and the name people see. */
  readonly name: string
  /** What the subnet does, in plain words, for the page. */
  readonly description: string
  /** A fresh task, determined by `seed` and `context` (seeds are drawn so answers cannot be looked up). */
  newTask: (seed: Uint8Array, context: Context) => Task
  encodeTask: (task: Task) => Uint8Array
  /** Throws `SubnetInputError` for bytes that are not a task of this subnet. */
  decodeTask: (bytes: Uint8Array) => Task
  encodeResult: (result: Result) => Uint8Array
  /** Throws `SubnetInputError` for bytes that are not a result of this subnet. */
  decodeResult: (bytes: Uint8Array) => Result
  /** Scores every submission to `task`; one Score per submission, in submission order. */
  score: (task: Task, submissions: readonly Submission[]) => Score[]
}
