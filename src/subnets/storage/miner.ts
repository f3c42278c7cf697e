/** The miner's side of a challenge: open the asked leaf of a replica it holds, bind the nonce. */
import { answerTag, challengeId, type StorageAnswer, type StorageChallenge } from './challenge.ts'
import { openLeaf, type HeldReplica } from './replica.ts'

export function answerChallenge (held: HeldReplica, challenge: StorageChallenge): StorageAnswer {
  const { leaf, proof } = openLeaf(held, challenge.leaf)
  return { challenge: challengeId(challenge), leaf, siblings: proof.siblings, tag: answerTag(challenge.nonce, leaf) }
}
