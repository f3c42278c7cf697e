/**
 * A role's status as a value that changes: read it, patch it, and follow it with `subscribe`
 * (the Svelte store contract, so a component reads it with `fromStore`).
 */
export class StatusStore<T extends object> {
  #value: T
  readonly #listeners = new Set<(value: T) => void>()

  constructor (initial: T) {
    this.#value = initial
  }

  get value (): T {
    return this.#value
  }

  patch (change: Partial<T>): void {
    this.#value = { ...this.#value, ...change }
    for (const listener of this.#listeners) listener(this.#value)
  }

  subscribe (listener: (value: T) => void): () => void {
    this.#listeners.add(listener)
    listener(this.#value)
    return () => { this.#listeners.delete(listener) }
  }
}
