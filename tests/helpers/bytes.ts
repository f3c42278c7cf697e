/**
 * Deterministic pseudo-random bytes (xorshift32) for bundles in tests and benchmarks. Browser
 * tests make the same bytes inside a page (`tests/helpers/blocks-page.ts` repeats these lines, as
 * a page cannot import them), so a page and Node agree on a bundle's CID without shipping
 * megabytes through the test driver; the tests check that the CIDs agree.
 */
export function pseudoRandomBytes (length: number, seed = 1): Uint8Array {
  const out = new Uint8Array(length)
  let x = seed | 0 || 1
  for (let i = 0; i < length; i++) {
    x ^= x << 13; x ^= x >>> 17; x ^= x << 5
    out[i] = x & 0xff
  }
  return out
}
