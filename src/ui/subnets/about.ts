/** What each subnet of the first release does, in plain words (DESIGN.md, "Subnets in the first release"). */
export const SUBNET_ABOUT: Record<string, string> = {
  folding: 'Miners fold lattice proteins; validators check each fold and count its contacts, so the lowest energy wins.',
  prices: 'Miners forecast price moves before they happen; validators score the forecasts against the truth with CRPS.',
  storage: 'Miners keep shards of data in their tabs; validators challenge them and reward what is provably held.'
}
