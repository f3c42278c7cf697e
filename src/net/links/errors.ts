/** A direct-link report that is not what `/tabtensor/links/1.0.0` allows. */
export class InvalidLinkReportError extends Error {
  static override name = 'InvalidLinkReportError'
  override name = 'InvalidLinkReportError'
  readonly code = 'MALFORMED_LINK_REPORT'
}
