/**
 * The classic 2D HP benchmark sequences S1-1 … S1-11 (Unger & Moult 1993; Thachuk, Shmygelska &
 * Hoos 2007) and four short ones from the Aarhus course set, with their best-known energies, as
 * cross-checked in ../shared/reference/subnets.md §1b. `proven` marks minima an exhaustive search
 * has confirmed; the others are the best found in the literature, not proofs. Used by the tests,
 * the benchmark and demos.
 */

export interface HpBenchmark {
  id: string
  sequence: string
  bestKnownEnergy: number
  proven: boolean
}

export const HP_BENCHMARKS_2D: readonly HpBenchmark[] = [
  { id: 'S1-1', sequence: 'HPHPPHHPHPPHPHHPPHPH', bestKnownEnergy: -9, proven: true },
  { id: 'S1-2', sequence: 'HHPPHPPHPPHPPHPPHPPHPPHH', bestKnownEnergy: -9, proven: true },
  { id: 'S1-3', sequence: 'PPHPPHHPPPPHHPPPPHHPPPPHH', bestKnownEnergy: -8, proven: true },
  { id: 'S1-4', sequence: 'PPPHHPPHHPPPPPHHHHHHHPPHHPPPPHHPPHPP', bestKnownEnergy: -14, proven: true },
  { id: 'S1-5', sequence: 'PPHPPHHPPHHPPPPPHHHHHHHHHHPPPPPPHHPPHHPPHPPHHHHH', bestKnownEnergy: -23, proven: false },
  { id: 'S1-6', sequence: 'HHPHPHPHPHHHHPHPPPHPPPHPPPPHPPPHPPPHPHHHHPHPHPHPHH', bestKnownEnergy: -21, proven: false },
  { id: 'S1-7', sequence: 'PPHHHPHHHHHHHHPPPHHHHHHHHHHPHPPPHHHHHHHHHHHHPPPPHHHHHHPHHPHP', bestKnownEnergy: -36, proven: false },
  { id: 'S1-8', sequence: 'HHHHHHHHHHHHPHPHPPHHPPHHPPHPPHHPPHHPPHPPHHPPHHPPHPHPHHHHHHHHHHHH', bestKnownEnergy: -42, proven: false },
  { id: 'S1-9', sequence: 'HHHHPPPPHHHHHHHHHHHHPPPPPPHHHHHHHHHHHHPPPHHHHHHHHHHHHPPPHHHHHHHHHHHHPPPHPPHHPPHHPPHPH', bestKnownEnergy: -53, proven: false },
  { id: 'S1-10', sequence: 'PPPPPPHPHHPPPPPHHHPHHHHHPHHPPPPHHPPHHPHHHHHPHHHHHHHHHHPHHPHHHHHHHPPPPPPPPPPPHHHHHHHPPHPHHHPPPPPPHPHH', bestKnownEnergy: -48, proven: false },
  { id: 'S1-11', sequence: 'PPPHHPPHHHHPPHHHPHHPHHPHHHHPPPPPPPPHHHHHHPPHHHHHHPPPPPPPPPHPHHPHHHHHHHHHHHPPHHHPHHPHPPHPHHHPPPPPPHHH', bestKnownEnergy: -50, proven: false }
]

/** Short instances from the Aarhus "AIB" course file, minima confirmed by exhaustive search. */
export const HP_SHORT_2D: readonly HpBenchmark[] = [
  { id: 'AIB-18a', sequence: 'HHPPPPPHHPPPHPPPHP', bestKnownEnergy: -4, proven: true },
  { id: 'AIB-18b', sequence: 'HPHPHHHPPPHHHHPPHH', bestKnownEnergy: -8, proven: true },
  { id: 'AIB-18c', sequence: 'PHPPHPHHHPHHPHHHHH', bestKnownEnergy: -9, proven: true },
  { id: 'AIB-20', sequence: 'HHHPPHPHPHPPHPHPHPPH', bestKnownEnergy: -10, proven: true }
]
