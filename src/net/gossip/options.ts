/**
 * The gossipsub options every node of the network uses, tabs and relays alike: peer scoring
 * (`scoring.ts`), and a fast message id so that the copies of a message a node receives from
 * several mesh peers are dropped before gossipsub checks their libp2p signature again. The fast
 * id is the message's author and sequence number — the very id gossipsub gives signed messages —
 * and gossipsub records it only once the first copy's signature has verified, so a forged copy
 * cannot shadow the real message.
 */
import type { GossipsubOpts } from '@libp2p/gossipsub'
import type { RPC } from '@libp2p/gossipsub/message'
import { gossipScoring, type ScoringInit } from './scoring.ts'

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'))

function hex (bytes: Uint8Array | undefined): string {
  let out = ''
  for (const b of bytes ?? []) out += HEX[b]!
  return out
}

/** `<author hex>:<seqno hex>` of a raw gossipsub message. */
export function fastMessageId (message: RPC.Message): string {
  return `${hex(message.from)}:${hex(message.seqno)}`
}

export function gossipsubOptions (init: ScoringInit = {}): Pick<GossipsubOpts, 'scoreParams' | 'scoreThresholds' | 'fastMsgIdFn'> {
  return { ...gossipScoring(init), fastMsgIdFn: fastMessageId }
}
