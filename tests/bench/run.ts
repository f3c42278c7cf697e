/**
 * `npm run bench`: every benchmark figure as one JSON line, then a readable table. Each figure
 * carries the baseline measured in the same run and the ratio, so numbers from a noisy machine
 * still compare. Later issues add their figures to FIGURES.
 */
import { blockExchangeFigures } from './block-exchange.bench.ts'
import { foldingFigures } from './folding.bench.ts'
import { gossipFigures } from './gossip.bench.ts'
import { inferenceFigures } from './inference.bench.ts'
import { ledgerFigures } from './ledger.bench.ts'
import { pageFigures } from './page.bench.ts'
import { pricesFigures } from './prices.bench.ts'
import { relayCapacityFigures } from './relay-capacity.bench.ts'
import { signatureFigures } from './signatures.bench.ts'
import { yumaFigures } from './yuma.bench.ts'
import type { Figure } from './figure.ts'

const FIGURES: Array<[string, () => Promise<Figure[]>]> = [
  ['signatures', signatureFigures],
  ['ledger', ledgerFigures],
  ['yuma', yumaFigures],
  ['gossip', gossipFigures],
  ['block-exchange', blockExchangeFigures],
  ['relay-capacity', relayCapacityFigures],
  ['inference', inferenceFigures],
  ['folding', foldingFigures],
  ['prices', pricesFigures],
  ['page', pageFigures]
]

const only = process.argv[2]
const results: Figure[] = []
for (const [group, run] of FIGURES) {
  if (only !== undefined && only !== group) continue
  for (const f of await run()) {
    results.push(f)
    console.log(JSON.stringify(f))
  }
}
console.log('')
console.table(results.map(f => ({ figure: f.name, value: `${f.value} ${f.unit}`, baseline: f.baseline, ratio: f.ratio, against: f.against, goal: f.goal ?? '' })))
