/**
 * The tab's audit of the relay's payouts: for each recent epoch of each subnet, fetch the proofs
 * of what the epoch read and of what it paid, check them against headers this tab verified, and
 * recompute the epoch itself (src/core/audit.ts). The verdicts are what the page shows.
 */
import { auditEpoch } from '../core/audit.ts'
import { decodeStateProof } from '../core/light-client.ts'
import type { LightSync } from './light-sync.ts'
import type { RelayClient } from './relay-client.ts'

export type EpochVerdict =
  | { netuid: number, height: number, status: 'verified' }
  | { netuid: number, height: number, status: 'mismatch', reason: string }
  | { netuid: number, height: number, status: 'unavailable', reason: string }

export async function auditOneEpoch (relay: RelayClient, light: LightSync, netuid: number, height: number): Promise<EpochVerdict> {
  let evidence
  try {
    evidence = await relay.getEpochEvidence(netuid, height)
  } catch (err) {
    return { netuid, height, status: 'unavailable', reason: (err as Error).message }
  }
  const preRoot = await light.stateRootAt(evidence.preHeight)
  const recordRoot = await light.stateRootAt(evidence.recordHeight)
  if (preRoot === undefined || recordRoot === undefined || evidence.preHeight !== height - 1) {
    return { netuid, height, status: 'unavailable', reason: 'the headers this epoch is proven against are not verified here' }
  }
  let result
  try {
    result = auditEpoch({
      netuid, height, preRoot, recordRoot,
      inputs: evidence.inputs.map(decodeStateProof),
      record: decodeStateProof(evidence.record)
    })
  } catch (err) {
    return { netuid, height, status: 'mismatch', reason: `the relay's proofs are malformed (${(err as Error).message})` }
  }
  return result.ok ? { netuid, height, status: 'verified' } : { netuid, height, status: 'mismatch', reason: result.reason }
}
