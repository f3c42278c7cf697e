/**
 * Which page this load is: a headless validator (`?role=validator`, `npm run validator`), a
 * headless demo miner (`?role=miner`, `npm start -- --demo N`), or a person's page. Apart from
 * the role modules so that choosing does not load the agent a person's first visit does not need.
 */

export function isValidatorPage (location: { search: string }): boolean {
  return new URLSearchParams(location.search).get('role') === 'validator'
}

export function isMinerPage (location: { search: string }): boolean {
  return new URLSearchParams(location.search).get('role') === 'miner'
}
