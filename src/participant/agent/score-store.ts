/**
 * Where a validator keeps its moving scores and its unrevealed weight commit, so a reload or a
 * restart of `npm run validator` (same Chromium profile) goes on where it left off and can still
 * reveal what it committed. One record per subnet and validator hotkey, in IndexedDB (`idb`);
 * a memory store stands in where there is no IndexedDB (unit tests, refused storage).
 */
import { openDB, type DBSchema, type IDBPDatabase } from 'idb'
import type { ScoreEntry } from './score-book.ts'
import type { PendingCommit } from './weights-cycle.ts'

export interface ValidatorRecord {
  entries: ScoreEntry[]
  pending: PendingCommit | null
  committedAt: number
}

export interface ScoreStore {
  load (netuid: number, validator: string): Promise<ValidatorRecord | undefined>
  save (netuid: number, validator: string, record: ValidatorRecord): Promise<void>
}

export const SCORES_DB_NAME = 'tabtensor-validator'
const SCORES_DB_VERSION = 1
const STORE = 'scores'

interface ScoresSchema extends DBSchema {
  scores: { key: string, value: ValidatorRecord }
}

const keyOf = (netuid: number, validator: string): string => `${netuid}/${validator}`

export class MemoryScoreStore implements ScoreStore {
  readonly #records = new Map<string, ValidatorRecord>()

  async load (netuid: number, validator: string): Promise<ValidatorRecord | undefined> {
    const r = this.#records.get(keyOf(netuid, validator))
    return r === undefined ? undefined : structuredClone(r)
  }

  async save (netuid: number, validator: string, record: ValidatorRecord): Promise<void> {
    this.#records.set(keyOf(netuid, validator), structuredClone(record))
  }
}

export class IdbScoreStore implements ScoreStore {
  private constructor (readonly db: IDBPDatabase<ScoresSchema>) {}

  static async open (name = SCORES_DB_NAME): Promise<IdbScoreStore> {
    const db = await openDB<ScoresSchema>(name, SCORES_DB_VERSION, {
      upgrade (database) { database.createObjectStore(STORE) }
    })
    return new IdbScoreStore(db)
  }

  async load (netuid: number, validator: string): Promise<ValidatorRecord | undefined> {
    return await this.db.get(STORE, keyOf(netuid, validator))
  }

  async save (netuid: number, validator: string, record: ValidatorRecord): Promise<void> {
    await this.db.put(STORE, record, keyOf(netuid, validator))
  }
}

/** IndexedDB when the browser allows it, else memory (scores then last as long as the page). */
export async function openScoreStore (): Promise<ScoreStore> {
  return await IdbScoreStore.open().catch(() => new MemoryScoreStore())
}
