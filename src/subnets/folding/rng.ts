/**
 * A small seeded PRNG (sfc32, seeded through splitmix32) for the solver: fast 32-bit integer
 * arithmetic, the same stream in every engine, so a run is reproducible from its seed and step
 * budget. Not for anything an adversary must not predict.
 */

export type Rng = () => number

/** Returns a generator of unsigned 32-bit integers determined by `seed`. */
export function sfc32 (seed: number): Rng {
  let s = seed >>> 0
  const split = (): number => {
    s = (s + 0x9e3779b9) >>> 0
    let z = s
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b)
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35)
    return (z ^ (z >>> 16)) >>> 0
  }
  let a = split()
  let b = split()
  let c = split()
  let counter = 1
  const next = (): number => {
    const t = (((a + b) | 0) + counter) | 0
    counter = (counter + 1) | 0
    a = b ^ (b >>> 9)
    b = (c + (c << 3)) | 0
    c = (c << 21) | (c >>> 11)
    c = (c + t) | 0
    return t >>> 0
  }
  for (let i = 0; i < 12; i++) next()
  return next
}
