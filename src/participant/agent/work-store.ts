/**
 * Where validators keep the work of their subnet's rounds that must outlive a reload: the
 * prices subnet's forecasts waiting for their truth, the storage subnet's assignments and
 * challenge records. A small key–value store in IndexedDB (`idb`, its own database so the score
 * store's schema stays as it is); a memory store stands in where there is no IndexedDB.
 */
import { openDB, type DBSchema, type IDBPDatabase } from 'idb'

export interface WorkStore {
  get<T> (key: string): Promise<T | undefined>
  put (key: string, value: unknown): Promise<void>
  delete (key: string): Promise<void>
  /** Keys starting with `prefix`, in order. */
  keys (prefix: string): Promise<string[]>
}

export const WORK_DB_NAME = 'tabtensor-validator-work'
const WORK_DB_VERSION = 1
const STORE = 'work'

interface WorkSchema extends DBSchema {
  work: { key: string, value: unknown }
}

export class MemoryWorkStore implements WorkStore {
  readonly #values = new Map<string, unknown>()

  async get<T> (key: string): Promise<T | undefined> {
    return this.#values.has(key) ? structuredClone(this.#values.get(key)) as T : undefined
  }

  async put (key: string, value: unknown): Promise<void> {
    this.#values.set(key, structuredClone(value))
  }

  async delete (key: string): Promise<void> {
    this.#values.delete(key)
  }

  async keys (prefix: string): Promise<string[]> {
    return [...this.#values.keys()].filter(k => k.startsWith(prefix)).sort()
  }
}

export class IdbWorkStore implements WorkStore {
  private constructor (readonly db: IDBPDatabase<WorkSchema>) {}

  static async open (name = WORK_DB_NAME): Promise<IdbWorkStore> {
    const db = await openDB<WorkSchema>(name, WORK_DB_VERSION, {
      upgrade (database) { database.createObjectStore(STORE) }
    })
    return new IdbWorkStore(db)
  }

  async get<T> (key: string): Promise<T | undefined> {
    return await this.db.get(STORE, key) as T | undefined
  }

  async put (key: string, value: unknown): Promise<void> {
    await this.db.put(STORE, value, key)
  }

  async delete (key: string): Promise<void> {
    await this.db.delete(STORE, key)
  }

  async keys (prefix: string): Promise<string[]> {
    // '\uffff' sorts after any character a key holds, so the range is exactly the prefix's keys.
    return await this.db.getAllKeys(STORE, IDBKeyRange.bound(prefix, `${prefix}\uffff`))
  }
}

/** IndexedDB when the browser allows it, else memory (work then lasts as long as the page). */
export async function openWorkStore (): Promise<WorkStore> {
  return await IdbWorkStore.open().catch(() => new MemoryWorkStore())
}
