/**
 * The validator's scoring of one task's submissions.
 *
 * Each submission is decoded, checked against the task and verified; anything wrong scores zero
 * with its code. Valid folds that are the same up to a rotation or mirror are one fold: the copy
 * received first keeps it, later ones score zero as DUPLICATE, so resubmitting (or relabelling)
 * another miner's fold earns nothing. The distinct valid folds with at least one contact are then
 * ranked by energy (equal energies share the better rank): of m such folds, the one with k folds
 * strictly better than it scores (m − k)/m, so the best gets 1 and the rest linearly less. A fold
 * with energy 0 is trivial (a straight line has it) and scores 0. (For a sequence that reads the
 * same both ways, the same fold traced from its other end is a copy too.)
 */
import { SubnetInputError, type Rejection, type Score, type Submission } from '../subnet.ts'
import { decodeFoldingResult } from './task.ts'
import type { FoldingTask } from './types.ts'
import { canonicalFold, verifyFold } from './verify.ts'

interface Valid {
  index: number
  energy: number
  canonical: string
  receivedAt: number
}

function rejectionOf (err: unknown): Rejection {
  if (err instanceof SubnetInputError) return err.rejection
  return { code: 'MALFORMED', reason: 'The result could not be read as a folding result.' }
}

export function scoreFolds (task: FoldingTask, submissions: readonly Submission[]): Score[] {
  const scores: Score[] = submissions.map(s => ({ uid: s.uid, score: 0 }))
  const valid: Valid[] = []
  const palindrome = task.sequence === [...task.sequence].reverse().join('')
  submissions.forEach((submission, index) => {
    try {
      const result = decodeFoldingResult(submission.bytes)
      if (result.taskId !== task.id) {
        scores[index]!.rejection = { code: 'WRONG_TASK', reason: `The result answers task ${result.taskId}, not task ${task.id}.` }
        return
      }
      const { energy } = verifyFold(task.sequence, result.moves, task.dims)
      const receivedAt = Number.isFinite(submission.receivedAt) ? submission.receivedAt : Infinity
      valid.push({ index, energy, canonical: canonicalFold(result.moves, task.dims, palindrome), receivedAt })
    } catch (err) {
      scores[index]!.rejection = rejectionOf(err)
    }
  })

  // Earliest first (submission order breaks ties), so the first copy of each fold is kept.
  valid.sort((a, b) => a.receivedAt - b.receivedAt || a.index - b.index)
  const seen = new Map<string, number>()
  const distinct: Valid[] = []
  for (const fold of valid) {
    const first = seen.get(fold.canonical)
    if (first !== undefined) {
      scores[fold.index]!.rejection = { code: 'DUPLICATE', reason: `The fold is a copy (up to rotation and mirroring) of one submitted earlier by uid ${submissions[first]!.uid}.` }
      continue
    }
    seen.set(fold.canonical, fold.index)
    if (fold.energy === 0) {
      scores[fold.index]!.rejection = { code: 'TRIVIAL', reason: 'The fold has no H–H contact (energy 0); fold the H residues together.' }
      continue
    }
    distinct.push(fold)
  }

  const m = distinct.length
  const energies = distinct.map(f => f.energy).sort((a, b) => a - b)
  for (const fold of distinct) {
    // k = number of distinct folds strictly better (the first index holding this energy).
    const k = energies.indexOf(fold.energy)
    scores[fold.index]!.score = (m - k) / m
  }
  return scores
}
