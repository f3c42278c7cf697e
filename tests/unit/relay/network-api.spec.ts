import type { Connection } from '@libp2p/interface'
import { peerIdFromPublicKey } from '@libp2p/peer-id'
import { publicKeyFromRaw } from '@libp2p/crypto/keys'
import { describe, expect, it } from 'vitest'
import { toAddress } from '../../../src/core/address.ts'
import { connectedPeers } from '../../../relay/network-api.ts'
import { TOKEN, TestChain, alice, hotA, hotB } from '../core/ledger/fixture.ts'

const peerIdOf = (key: Uint8Array) => peerIdFromPublicKey(publicKeyFromRaw(key))

function connection (key: Uint8Array, open: number, status: Connection['status'] = 'open'): Connection {
  return { remotePeer: peerIdOf(key), status, timeline: { open } } as unknown as Connection
}

describe('the relay\'s view of connected peers', () => {
  it('names each peer\'s hotkey and the uid it holds on each subnet, oldest connection first', () => {
    const tc = new TestChain()
    tc.submit(alice, { kind: 'register_burn', netuid: 1, hotkey: hotA.publicKey, maxBurn: TOKEN })
    tc.block()
    const peers = connectedPeers(tc.chain, [
      connection(hotB.publicKey, 200),
      connection(hotA.publicKey, 300),
      connection(hotA.publicKey, 100),
      connection(alice.publicKey, 50, 'closed')
    ], id => id === peerIdOf(hotA.publicKey).toString())
    expect(peers.map(p => p.hotkey)).toEqual([toAddress(hotA.publicKey), toAddress(hotB.publicKey)])
    expect(peers[0]).toMatchObject({ since: 100, reserved: true, roles: [{ netuid: 1, uid: 0, validator: false }] })
    expect(peers[1]).toMatchObject({ since: 200, reserved: false, roles: [] })
  })
})
