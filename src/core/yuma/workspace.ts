/**
 * Working memory for the epoch, reused from one epoch to the next. An epoch of 4096 uids with 256
 * dense validators needs some 50 MB of typed arrays; allocating them fresh every epoch costs more
 * than the arithmetic (page faults on new memory, and the full garbage collections V8 starts when
 * that much external memory appears while the subnet's inputs fill the heap). A workspace hands
 * out arrays in request order and keeps them; `reset` makes the next epoch receive the same
 * arrays again, in the same order, grown where it needs more. The price: the memory stays
 * allocated between epochs (about as much as the largest epoch's weight matrix, four times over).
 *
 * An array from a workspace is valid until that workspace's next `reset`, so nothing taken from
 * it may outlive the epoch: the epoch copies every result into fresh lists before returning.
 * `float64`/`int32` arrays are zeroed; `float64Scratch`/`int32Scratch` arrays hold whatever the
 * previous epoch left, for callers that write every entry before reading it.
 */
export class Workspace {
  private readonly doubles: Float64Array[] = []
  private readonly ints: Int32Array[] = []
  private nextDouble = 0
  private nextInt = 0

  /** Hands every array out again, from the first. */
  reset (): void {
    this.nextDouble = 0
    this.nextInt = 0
  }

  /**
   * Runs `body` and then hands the arrays it took out again to later requests: for working
   * arrays that die with `body`, which must not return one of them.
   */
  temporarily<T> (body: () => T): T {
    const doubles = this.nextDouble
    const ints = this.nextInt
    try {
      return body()
    } finally {
      this.nextDouble = doubles
      this.nextInt = ints
    }
  }

  float64 (length: number): Float64Array {
    return this.float64Scratch(length).fill(0)
  }

  int32 (length: number): Int32Array {
    return this.int32Scratch(length).fill(0)
  }

  float64Scratch (length: number): Float64Array {
    const k = this.nextDouble++
    const kept = this.doubles[k]
    if (kept !== undefined && kept.length >= length) return kept.subarray(0, length)
    const fresh = new Float64Array(length)
    this.doubles[k] = fresh
    return fresh
  }

  int32Scratch (length: number): Int32Array {
    const k = this.nextInt++
    const kept = this.ints[k]
    if (kept !== undefined && kept.length >= length) return kept.subarray(0, length)
    const fresh = new Int32Array(length)
    this.ints[k] = fresh
    return fresh
  }
}
