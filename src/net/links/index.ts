/** Direct-link reports (`/tabtensor/links/1.0.0`): the wire format in `wire.ts`, the tab's sender in `reporter.ts`. */
export * from './constants.ts'
export * from './errors.ts'
export * from './wire.ts'
export { LinkReporter } from './reporter.ts'
