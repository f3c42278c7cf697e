/** An announcement or a peer-exchange answer that breaks the rules; the sender is not believed. */
export class InvalidPeerRecordError extends Error {
  static override name = 'InvalidPeerRecordError'
  override name = 'InvalidPeerRecordError'
}
