/**
 * The storage subnet page's ear on the scores topic. The tab's node starts at the first visit and
 * restarts under another key when the tab mines (network-session.svelte.ts), so the session looks
 * for the node's gossip every second and subscribes to whichever one runs now. Leaving the page
 * removes the handler; the topic stays joined (a miner in this tab may listen to it too).
 */
import { StorageReports, type ValidatorReport } from './storage-reports.ts'

/** How often the session looks for a (new) gossip to listen on, in ms. */
export const GOSSIP_LOOK_MS = 1_000

type ScoresTopic = { kind: 'scores', netuid: number }
export interface ScoresGossip {
  subscribe: (kind: ScoresTopic, handler: (m: { from: Uint8Array, payload: Uint8Array }) => void) => () => void
}

export class StorageReportsSession {
  validators = $state<ValidatorReport[]>([])
  /** Whether the tab's node is up to listen (false: reports cannot arrive yet). */
  listening = $state(false)
  readonly #gossip: () => ScoresGossip | undefined
  readonly #reports: StorageReports

  constructor (gossip: () => ScoresGossip | undefined, netuid: number) {
    this.#gossip = gossip
    this.#reports = new StorageReports(netuid)
  }

  /** Listens until the returned function is called. */
  start (): () => void {
    let current: ScoresGossip | undefined
    let unsubscribe: (() => void) | undefined
    const look = (): void => {
      const gossip = this.#gossip()
      if (gossip === current) return
      unsubscribe?.()
      unsubscribe = gossip?.subscribe({ kind: 'scores', netuid: this.#reports.netuid }, m => {
        if (this.#reports.accept(m.from, m.payload)) this.validators = this.#reports.list()
      })
      current = gossip
      this.listening = gossip !== undefined
    }
    look()
    const timer = setInterval(look, GOSSIP_LOOK_MS)
    return () => {
      clearInterval(timer)
      unsubscribe?.()
    }
  }
}
