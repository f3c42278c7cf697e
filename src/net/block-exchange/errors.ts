/**
 * Errors of block exchange. Each carries a stable `code` that callers, peer scoring and tests
 * match on, and a sentence that says what happened and what to do next.
 */

export type BlockErrorCode =
  /** A manifest is not canonical CBOR of the manifest's shape, or its numbers do not add up. */
  | 'INVALID_MANIFEST'
  /** A bundle to build is empty-named, too large, or has a chunk size out of range. */
  | 'INVALID_BUNDLE'
  /** A block's bytes do not hash to its CID. */
  | 'BLOCK_HASH_MISMATCH'
  /** A block is over `MAX_BLOCK_BYTES`. */
  | 'BLOCK_TOO_LARGE'
  /** A request or an answer is not what the protocol allows (garbage, wrong shape, too many CIDs). */
  | 'PROTOCOL_VIOLATION'
  /** A frame's length prefix is over the cap. */
  | 'FRAME_TOO_LARGE'
  /** A peer stopped sending in the middle of an answer. */
  | 'PEER_STALLED'
  /** A peer answered that it is at its limit for this node. */
  | 'PEER_BUSY'
  /** A request's stream to a peer ended because another request on it failed or was abandoned (that one says why). */
  | 'SESSION_ENDED'
  /** No connected peer and no relay holds some blocks of a bundle. */
  | 'NO_PROVIDER'
  /** The tab's block cache is full or the browser refused to store more. */
  | 'CACHE_FULL'
  /** A block asked of the cache is not in it. */
  | 'NOT_IN_CACHE'
  /** A provider announcement is not canonical CBOR of its shape, or names something that is not a bundle's CID. */
  | 'INVALID_ANNOUNCEMENT'
  /** A provider announcement is dated outside the window this node believes (expired, or from the future). */
  | 'STALE_ANNOUNCEMENT'

export class BlockExchangeError extends Error {
  static override name = 'BlockExchangeError'
  override name = 'BlockExchangeError'
  constructor (readonly code: BlockErrorCode, message: string, options?: ErrorOptions) {
    super(message, options)
  }
}

/** A manifest or a bundle does not hold together. */
export class InvalidManifestError extends BlockExchangeError {
  static override name = 'InvalidManifestError'
  override name = 'InvalidManifestError'
}

/** A block whose bytes do not match its CID, or too large; it never reaches the cache. */
export class InvalidBlockError extends BlockExchangeError {
  static override name = 'InvalidBlockError'
  override name = 'InvalidBlockError'
}

/** A peer broke the block protocol (garbage, oversized frame, stall, flood). */
export class PeerMisbehaviourError extends BlockExchangeError {
  static override name = 'PeerMisbehaviourError'
  override name = 'PeerMisbehaviourError'
}

/** A request met the end of its stream, which another request on it ended; it says nothing about the peer. */
export class SessionEndedError extends BlockExchangeError {
  static override name = 'SessionEndedError'
  override name = 'SessionEndedError'
  constructor (message: string, options?: ErrorOptions) {
    super('SESSION_ENDED', message, options)
  }
}

/** A bundle could not be fetched: nobody holds some of its blocks. */
export class NoProviderError extends BlockExchangeError {
  static override name = 'NoProviderError'
  override name = 'NoProviderError'
}

/** The block cache cannot take more, or lacks a block asked of it. */
export class BlockCacheError extends BlockExchangeError {
  static override name = 'BlockCacheError'
  override name = 'BlockCacheError'
}

/** A provider announcement this node does not believe; the code says whether it is malformed or only out of date. */
export class InvalidAnnouncementError extends BlockExchangeError {
  static override name = 'InvalidAnnouncementError'
  override name = 'InvalidAnnouncementError'
}

/**
 * The code of an error met while reading or writing a block stream: ours keep theirs; libp2p's
 * frame-length errors are FRAME_TOO_LARGE, a deadline is PEER_STALLED, anything else (a reset, an
 * early end) is PROTOCOL_VIOLATION.
 */
export function codeOf (err: unknown): BlockErrorCode {
  if (err instanceof BlockExchangeError) return err.code
  const name = (err as Error | undefined)?.name
  if (name === 'InvalidDataLengthError' || name === 'InvalidDataLengthLengthError' || name === 'InvalidMessageLengthError' || name === 'StreamBufferError') return 'FRAME_TOO_LARGE'
  if (name === 'TimeoutError') return 'PEER_STALLED'
  return 'PROTOCOL_VIOLATION'
}
