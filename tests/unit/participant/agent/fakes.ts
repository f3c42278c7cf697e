/**
 * Neighbours in memory for the agent's unit tests: a network of task-protocol nodes joined by
 * in-memory stream pairs (@libp2p/utils), and a ledger that keeps a metagraph and records the
 * transactions sent to it.
 */
import type { Connection, PeerId, Stream } from '@libp2p/interface'
import { streamPair } from '@libp2p/utils'
import type { Keypair } from '../../../../src/core/keys.ts'
import type { LedgerApi, Metagraph, NeuronView, TxFields } from '../../../../src/participant/agent/ledger.ts'
import { peerIdOfHotkey, type TaskNode } from '../../../../src/participant/agent/stream.ts'
import { RelayError } from '../../../../src/participant/errors.ts'

type Handler = (stream: Stream, connection: Connection) => void

export class FakeNetwork {
  readonly handlers = new Map<string, Handler>()

  node (hotkey: Uint8Array): TaskNode & { getConnections: () => [] } {
    const self = peerIdOfHotkey(hotkey)
    return {
      handle: async (_protocol, handler) => { this.handlers.set(self.toString(), handler) },
      unhandle: async () => { this.handlers.delete(self.toString()) },
      dialProtocol: async (target) => {
        const id = Array.isArray(target) ? String(target[0]).split('/p2p/').at(-1)! : target.toString()
        const handler = this.handlers.get(id)
        if (handler === undefined) throw new Error(`no route to ${id}`)
        const [outbound, inbound] = await streamPair({ delay: 0 })
        handler(inbound, { remotePeer: self } as unknown as Connection)
        return outbound
      },
      getConnections: () => []
    }
  }
}

export interface SentTx { key: Keypair, fields: TxFields }

export class FakeLedger implements LedgerApi {
  readonly sent: SentTx[] = []
  metagraphNow: Metagraph
  refuse: ((fields: TxFields) => string | undefined) | undefined

  constructor (readonly chainId: Uint8Array, neurons: NeuronView[] = []) {
    this.metagraphNow = { height: 10, netuid: 1, name: 'folding', lastEpochBlock: 0, tempo: 20, difficulty: 1n, neurons }
  }

  async metagraph (): Promise<Metagraph> { return structuredClone(this.metagraphNow) }
  async netuidOf (): Promise<number> { return 1 }
  async head () { return { height: this.metagraphNow.height, headHash: new Uint8Array(32), chainId: this.chainId } }
  async balance (): Promise<bigint> { return 1_000_000_000_000n }
  async faucet (): Promise<void> {}
  async send (key: Keypair, fields: TxFields): Promise<string> {
    const code = this.refuse?.(fields)
    if (code !== undefined) throw new RelayError(code, `refused: ${code}`)
    this.sent.push({ key, fields })
    if (fields.kind === 'register_pow' || fields.kind === 'register_burn') this.addNeuron(fields.hotkey)
    if (fields.kind === 'add_stake') {
      const n = this.metagraphNow.neurons.find(x => x.hotkey.every((b, i) => b === fields.hotkey[i]))
      if (n !== undefined) n.stake += fields.amount
    }
    return `tx${this.sent.length}`
  }

  addNeuron (hotkey: Uint8Array, permit = false): NeuronView {
    const n: NeuronView = { uid: this.metagraphNow.neurons.length, hotkey, validatorPermit: permit, stake: 0n, emission: 0n, incentive: 0 }
    this.metagraphNow.neurons.push(n)
    return n
  }
}

export const asPeer = (hotkey: Uint8Array): PeerId => peerIdOfHotkey(hotkey)
