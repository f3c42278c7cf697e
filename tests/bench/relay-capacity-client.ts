/**
 * A child process of `relay-capacity.bench.ts`: many lightweight libp2p nodes (WebSockets, noise,
 * yamux, identify, circuit-relay transport) sharing this one event loop, each holding a
 * reservation on the relay given. Reads commands on stdin, one a line: `open N` starts N more
 * nodes (each listening on `<relay>/p2p-circuit`) and answers `held <total> failed <n>`;
 * `stop` stops them all and exits.
 */
import '../../relay/node-polyfills.ts'
import { createInterface } from 'node:readline'
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { circuitRelayTransport } from '@libp2p/circuit-relay-v2'
import { identify } from '@libp2p/identify'
import { webSockets } from '@libp2p/websockets'
import { createLibp2p, type Libp2p } from 'libp2p'

const relayAddr = process.argv[2]
if (relayAddr === undefined) throw new Error('usage: relay-capacity-client.ts <relay multiaddr>')
/** How long one node may take to hold its reservation, in milliseconds. */
const RESERVE_TIMEOUT_MS = 60_000

/** Nodes opening at once in this process. */
const CONCURRENCY = 5

const nodes: Libp2p[] = []
let failed = 0

async function openOne (): Promise<boolean> {
  let node: Libp2p | undefined
  try {
    node = await createLibp2p({
      addresses: { listen: [`${relayAddr}/p2p-circuit`] },
      transports: [webSockets(), circuitRelayTransport()],
      connectionEncrypters: [noise()],
      streamMuxers: [yamux()],
      connectionGater: { denyDialMultiaddr: () => false },
      services: { identify: identify() }
    })
    const deadline = Date.now() + RESERVE_TIMEOUT_MS
    while (!node.getMultiaddrs().some(ma => ma.toString().includes('/p2p-circuit'))) {
      if (Date.now() > deadline) throw new Error('no reservation')
      await new Promise(r => setTimeout(r, 50))
    }
    nodes.push(node)
    return true
  } catch (err) {
    failed++
    if (failed <= 3) process.stderr.write(`[relay-capacity client] a node failed: ${String(err)}\n`)
    try { await node?.stop() } catch {}
    return false
  }
}

const lines = createInterface({ input: process.stdin })
for await (const line of lines) {
  const [cmd, arg] = line.trim().split(/\s+/)
  if (cmd === 'open') {
    // A few at a time, so that handshakes on a loaded 2-core machine do not all time out together.
    let left = Number(arg)
    await Promise.all(Array.from({ length: CONCURRENCY }, async () => { while (left > 0) { left--; await openOne() } }))
    // Still held: a node whose relay connection closed has lost its circuit address.
    const held = nodes.filter(n => n.getMultiaddrs().some(ma => ma.toString().includes('/p2p-circuit'))).length
    process.stdout.write(`held ${held} failed ${failed} rss ${process.memoryUsage().rss}\n`)
  } else if (cmd === 'stop') {
    await Promise.all(nodes.map(async n => { try { await n.stop() } catch {} }))
    process.exit(0)
  }
}
