/**
 * The task/result wire format between a validator and a miner.
 *
 *   SignedTask   {body: {budgetMs, netuid, task, validator}, sig}   signed under the 'task' domain
 *   SignedResult {body: {miner, netuid, result, task}, sig}          signed under the 'result' domain
 *
 * `task` in a task body is the subnet's own task bytes; `task` in a result body is the 32-byte
 * reference of the signed task it answers (SHA-256 of the task body), so a result cannot be
 * replayed for another task, another validator or another subnet. Signatures are over the
 * canonical body and the chain id (src/core/keys.ts), so none verifies on another chain or as
 * another kind of message. Decoding refuses anything over its cap, non-canonical, or with missing
 * or unknown fields, with an `AgentError` of code MALFORMED.
 */
import { decode, encode, readBytes, readUint, record } from '../../core/codec.ts'
import { hash } from '../../core/hash.ts'
import { PUBLIC_KEY_BYTES, SIGNATURE_BYTES, sign, verify, type Keypair, type SignatureVerifier } from '../../core/keys.ts'
import { MAX_NETUID } from '../../core/tx.ts'
import {
  MAX_RESULT_FRAME_BYTES, MAX_RESULT_PAYLOAD_BYTES, MAX_TASK_BUDGET_MS, MAX_TASK_FRAME_BYTES, MAX_TASK_PAYLOAD_BYTES, MIN_TASK_BUDGET_MS
} from './constants.ts'
import { AgentError } from './errors.ts'

export interface TaskBody {
  netuid: number
  /** The subnet's canonical task bytes. */
  task: Uint8Array
  /** The validator's hotkey. */
  validator: Uint8Array
  /** How long the miner may work on it, in ms; the validator waits this plus a grace period. */
  budgetMs: number
}

export interface ResultBody {
  netuid: number
  /** `taskRef` of the signed task this answers. */
  task: Uint8Array
  /** The subnet's canonical result bytes. */
  result: Uint8Array
  /** The miner's hotkey. */
  miner: Uint8Array
}

export interface Signed<B> {
  body: B
  sig: Uint8Array
  /** The frame's canonical bytes. */
  bytes: Uint8Array
}

export type SignedTask = Signed<TaskBody>
export type SignedResult = Signed<ResultBody>

const TASK_REF_BYTES = 32

function encodeTaskBody (body: TaskBody): Uint8Array {
  return encode({ budgetMs: body.budgetMs, netuid: body.netuid, task: body.task, validator: body.validator })
}

function encodeResultBody (body: ResultBody): Uint8Array {
  return encode({ miner: body.miner, netuid: body.netuid, result: body.result, task: body.task })
}

/** The 32-byte reference a result names: the hash of the task's canonical body. */
export function taskRef (task: SignedTask): Uint8Array {
  return hash(encodeTaskBody(task.body))
}

function checkTaskBody (body: TaskBody): void {
  if (body.task.length > MAX_TASK_PAYLOAD_BYTES) throw new AgentError('MALFORMED', `A task may carry at most ${MAX_TASK_PAYLOAD_BYTES} bytes.`)
  if (body.budgetMs < MIN_TASK_BUDGET_MS || body.budgetMs > MAX_TASK_BUDGET_MS) {
    throw new AgentError('MALFORMED', `A task's budget must be ${MIN_TASK_BUDGET_MS}–${MAX_TASK_BUDGET_MS} ms.`)
  }
}

export function signTask (body: TaskBody, validator: Keypair, chainId: Uint8Array): SignedTask {
  checkTaskBody(body)
  const sig = sign(validator, 'task', chainId, encodeTaskBody(body))
  return { body, sig, bytes: encode({ body: { ...body }, sig }) }
}

export function signResult (body: ResultBody, miner: Keypair, chainId: Uint8Array): SignedResult {
  if (body.result.length > MAX_RESULT_PAYLOAD_BYTES) throw new AgentError('MALFORMED', `A result may carry at most ${MAX_RESULT_PAYLOAD_BYTES} bytes.`)
  const sig = sign(miner, 'result', chainId, encodeResultBody(body))
  return { body, sig, bytes: encode({ body: { ...body }, sig }) }
}

/** Runs `read`, turning the codec's errors into MALFORMED agent errors. */
function malformed<T> (what: string, read: () => T): T {
  try {
    return read()
  } catch (err) {
    if (err instanceof AgentError) throw err
    throw new AgentError('MALFORMED', `The ${what} cannot be read: ${(err as Error).message}`)
  }
}

export function decodeTask (bytes: Uint8Array): SignedTask {
  return malformed('task', () => {
    const frame = record(decode(bytes, MAX_TASK_FRAME_BYTES, 'task'), ['body', 'sig'], 'task')
    const f = record(frame.body, ['budgetMs', 'netuid', 'task', 'validator'], 'task body')
    const body: TaskBody = {
      budgetMs: readUint(f.budgetMs, 'budgetMs', MAX_TASK_BUDGET_MS),
      netuid: readUint(f.netuid, 'netuid', MAX_NETUID),
      task: readBytes(f.task, 'task'),
      validator: readBytes(f.validator, 'validator', PUBLIC_KEY_BYTES)
    }
    checkTaskBody(body)
    return { body, sig: readBytes(frame.sig, 'sig', SIGNATURE_BYTES), bytes }
  })
}

export function decodeResult (bytes: Uint8Array): SignedResult {
  return malformed('result', () => {
    const frame = record(decode(bytes, MAX_RESULT_FRAME_BYTES, 'result'), ['body', 'sig'], 'result')
    const f = record(frame.body, ['miner', 'netuid', 'result', 'task'], 'result body')
    const body: ResultBody = {
      miner: readBytes(f.miner, 'miner', PUBLIC_KEY_BYTES),
      netuid: readUint(f.netuid, 'netuid', MAX_NETUID),
      result: readBytes(f.result, 'result'),
      task: readBytes(f.task, 'task', TASK_REF_BYTES)
    }
    if (body.result.length > MAX_RESULT_PAYLOAD_BYTES) throw new AgentError('MALFORMED', `A result may carry at most ${MAX_RESULT_PAYLOAD_BYTES} bytes.`)
    return { body, sig: readBytes(frame.sig, 'sig', SIGNATURE_BYTES), bytes }
  })
}

/** Whether `task` is signed by the validator it names, for this chain. */
export function verifyTask (task: SignedTask, chainId: Uint8Array, verifier?: SignatureVerifier): boolean {
  return verify(task.sig, 'task', chainId, encodeTaskBody(task.body), task.body.validator, verifier)
}

/** Whether `result` is signed by the miner it names, for this chain. */
export function verifyResult (result: SignedResult, chainId: Uint8Array, verifier?: SignatureVerifier): boolean {
  return verify(result.sig, 'result', chainId, encodeResultBody(result.body), result.body.miner, verifier)
}
