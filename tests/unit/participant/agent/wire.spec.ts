import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { encode } from '../../../../src/core/codec.ts'
import { keypairFromLabel, sign } from '../../../../src/core/keys.ts'
import { MAX_RESULT_PAYLOAD_BYTES, MAX_TASK_FRAME_BYTES, MAX_TASK_PAYLOAD_BYTES } from '../../../../src/participant/agent/constants.ts'
import { AgentError } from '../../../../src/participant/agent/errors.ts'
import { decodeResult, decodeTask, signResult, signTask, taskRef, verifyResult, verifyTask } from '../../../../src/participant/agent/wire.ts'

const chainId = new Uint8Array(32).fill(7)
const otherChain = new Uint8Array(32).fill(8)
const validator = keypairFromLabel('wire/validator')
const miner = keypairFromLabel('wire/miner')
const taskBody = { netuid: 1, task: new Uint8Array([1, 2, 3]), validator: validator.publicKey, budgetMs: 5_000 }

function code (fn: () => unknown): string {
  try {
    fn()
  } catch (err) {
    if (err instanceof AgentError) return err.code
    throw err
  }
  throw new Error('did not throw')
}

describe('signed tasks and results', () => {
  it('round-trips any task and result and verifies them', () => {
    fc.assert(fc.property(
      fc.integer({ min: 0, max: 65535 }), fc.uint8Array({ maxLength: 256 }), fc.integer({ min: 1_000, max: 120_000 }), fc.uint8Array({ maxLength: 256 }),
      (netuid, task, budgetMs, result) => {
        const t = signTask({ netuid, task, validator: validator.publicKey, budgetMs }, validator, chainId)
        const back = decodeTask(t.bytes)
        expect(back.body).toEqual(t.body)
        expect(verifyTask(back, chainId)).toBe(true)
        const r = signResult({ netuid, task: taskRef(t), result, miner: miner.publicKey }, miner, chainId)
        const rb = decodeResult(r.bytes)
        expect(rb.body).toEqual(r.body)
        expect(verifyResult(rb, chainId)).toBe(true)
      }), { numRuns: 50 })
  })

  it('does not verify on another chain, nor as another kind of message', () => {
    const t = signTask(taskBody, validator, chainId)
    expect(verifyTask(t, otherChain)).toBe(false)
    const r = signResult({ netuid: 1, task: taskRef(t), result: new Uint8Array([9]), miner: miner.publicKey }, miner, chainId)
    // A result's signature put on a task body naming the miner's key does not verify as a task.
    expect(verifyTask({ ...t, body: { ...t.body, validator: miner.publicKey }, sig: r.sig }, chainId)).toBe(false)
  })

  it('does not verify a result someone else signed for the miner it names', () => {
    const t = signTask(taskBody, validator, chainId)
    const forged = signResult({ netuid: 1, task: taskRef(t), result: new Uint8Array([9]), miner: miner.publicKey }, validator, chainId)
    expect(verifyResult(decodeResult(forged.bytes), chainId)).toBe(false)
  })

  it('gives every task its own reference', () => {
    const a = signTask(taskBody, validator, chainId)
    const b = signTask({ ...taskBody, budgetMs: 6_000 }, validator, chainId)
    expect(taskRef(a)).not.toEqual(taskRef(b))
  })

  it('refuses garbage, unknown fields, non-canonical bytes and frames over the cap', () => {
    expect(code(() => decodeTask(new Uint8Array([0xff, 0x00, 0x13])))).toBe('MALFORMED')
    const t = signTask(taskBody, validator, chainId)
    expect(code(() => decodeTask(encode({ body: { ...t.body, extra: 1 }, sig: t.sig })))).toBe('MALFORMED')
    expect(code(() => decodeTask(encode({ body: t.body })))).toBe('MALFORMED')
    expect(code(() => decodeTask(new Uint8Array(MAX_TASK_FRAME_BYTES + 1)))).toBe('MALFORMED')
    expect(code(() => decodeTask(encode({ body: { ...t.body, budgetMs: 10 }, sig: t.sig })))).toBe('MALFORMED')
    expect(code(() => decodeResult(encode({ body: { miner: miner.publicKey, netuid: 1, result: new Uint8Array(1), task: new Uint8Array(5) }, sig: t.sig })))).toBe('MALFORMED')
  })

  it('refuses to sign payloads over their caps', () => {
    expect(code(() => signTask({ ...taskBody, task: new Uint8Array(MAX_TASK_PAYLOAD_BYTES + 1) }, validator, chainId))).toBe('MALFORMED')
    expect(code(() => signResult({ netuid: 1, task: new Uint8Array(32), result: new Uint8Array(MAX_RESULT_PAYLOAD_BYTES + 1), miner: miner.publicKey }, miner, chainId))).toBe('MALFORMED')
  })

  it('signs through the core codec under the task domain', () => {
    const t = signTask(taskBody, validator, chainId)
    const body = encode({ budgetMs: taskBody.budgetMs, netuid: 1, task: taskBody.task, validator: validator.publicKey })
    expect(t.sig).toEqual(sign(validator, 'task', chainId, body))
  })
})
