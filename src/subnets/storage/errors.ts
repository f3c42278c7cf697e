/** The storage subnet's own errors (a miner's bad answers are scored, not thrown: see score.ts). */
export type StorageErrorCode = 'BAD_SHARD' | 'QUOTA_EXCEEDED' | 'NOT_HELD' | 'STORAGE_UNAVAILABLE'

export class StorageError extends Error {
  static override name = 'StorageError'
  override name = 'StorageError'
  constructor (readonly code: StorageErrorCode, message: string) {
    super(message)
  }
}
