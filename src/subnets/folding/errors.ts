/**
 * Why a fold or a folding task is refused. Codes are stable (validators log them, tests match on
 * them); the sentence says what is wrong and what a miner should do about it.
 */
import { SubnetInputError } from '../subnet.ts'

export type FoldingErrorCode =
  | 'WRONG_LENGTH'
  | 'BAD_MOVE'
  | 'SELF_INTERSECTION'
  | 'BAD_SEQUENCE'
  | 'BAD_DIMS'
  | 'BAD_TASK_ID'

export function foldingError (code: FoldingErrorCode, message: string): SubnetInputError {
  return new SubnetInputError(code, message)
}
