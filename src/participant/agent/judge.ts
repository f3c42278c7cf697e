/**
 * A validator's checks on one miner's answer before the subnet scores it: the frame decodes, it
 * answers the task that was sent (same subnet, same task reference), it names the hotkey that
 * holds the uid, and that hotkey signed it. Anything else scores zero with a stable code and a
 * reason for the log; nothing here throws on what a miner sends.
 */
import { equalBytes, toHex } from '../../core/hash.ts'
import type { Rejection } from '../../subnets/subnet.ts'
import { AgentError } from './errors.ts'
import { readErrorFrame } from './stream.ts'
import { decodeResult, taskRef, verifyResult, type SignedTask } from './wire.ts'

export type Verdict = { ok: true, result: Uint8Array } | { ok: false, rejection: Rejection }

function refuse (code: string, reason: string): Verdict {
  return { ok: false, rejection: { code, reason } }
}

/** Checks `bytes`, the answer of the uid held by `hotkey` to `task`, on the chain `chainId`. */
export function judgeAnswer (task: SignedTask, hotkey: Uint8Array, bytes: Uint8Array, chainId: Uint8Array): Verdict {
  const refusal = readErrorFrame(bytes)
  if (refusal !== undefined) return refuse(refusal.code, `The miner refused the task: ${refusal.message}`)
  let result
  try {
    result = decodeResult(bytes)
  } catch (err) {
    return refuse('MALFORMED', err instanceof AgentError ? err.message : 'The answer is not a signed result.')
  }
  const { body } = result
  if (body.netuid !== task.body.netuid || !equalBytes(body.task, taskRef(task))) {
    return refuse('WRONG_TASK', `The result answers task ${toHex(body.task).slice(0, 12)}… on subnet ${body.netuid}, not the task sent.`)
  }
  if (!equalBytes(body.miner, hotkey)) {
    return refuse('WRONG_SIGNER', 'The result names another hotkey than the one registered at this uid.')
  }
  if (!verifyResult(result, chainId)) {
    return refuse('BAD_SIGNATURE', 'The result\'s signature does not verify for the uid\'s hotkey.')
  }
  return { ok: true, result: body.result }
}

/** The zero score of an answer that never came, from the error that stopped it. */
export function missedAnswer (err: unknown): Rejection {
  if (err instanceof AgentError) return { code: err.code, reason: err.message }
  return { code: 'UNREACHABLE', reason: `The miner could not be asked: ${(err as Error).message}` }
}
