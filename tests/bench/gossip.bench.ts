/**
 * Gossip latency among tabs of the real page on the real relay: one tab publishes 200 paced
 * messages on a subnet's results topic and every other tab records when each arrives (publish
 * call → receiving handler: envelope signing, gossipsub, validation with two signature checks).
 * The baseline is the same payloads at the same pace from the same tab to the same tabs over
 * bare RTCDataChannels opened beside the tabs' libp2p connections, in the same run: what the
 * fastest possible broadcast over these direct links costs.
 *
 * One-way times compare clocks of different Chromium processes, so each receiver's clock offset
 * from the publisher is estimated first over its raw channel (the ping-pong with the smallest
 * round trip, NTP-style), and applied to both kinds of message alike.
 */
import { rmSync } from 'node:fs'
import type { Page } from 'playwright-core'
import type { GossipTestHook } from '../../src/net/gossip/test-hook.ts'
import { assertLoopbackOnlyNetwork } from '../helpers/netns.ts'
import { buildPage, startRelayProcess, type RelayProcess } from '../helpers/relay.ts'
import { closeTabs, openTab, tabPeerId, waitOnline, waitPeer, type Tab } from '../helpers/tabs.ts'
import { figure, type Figure } from './figure.ts'

/** Messages measured per run, after `WARMUP` that are not. */
const MESSAGES = 200
const WARMUP = 20
/** Time between two messages, in milliseconds (50 messages per second). */
const PACE_MS = 20
/** Bytes of each payload (a timestamp, an index and padding), about a small result. */
const PAYLOAD_BYTES = 256
/** Ping-pongs per receiver to estimate its clock offset. */
const SYNC_ROUNDS = 30

interface BenchWindow {
  __tabtensorTest: GossipTestHook
  /** Raw channels by the other side's name. */
  __links: Map<string, { pc: RTCPeerConnection, channel?: RTCDataChannel }>
  /** Arrival times of measured messages by kind: index → epoch milliseconds (timeOrigin + now). */
  __arrivals: { gossip: Map<number, number>, raw: Map<number, number> }
  __sent: { gossip: Map<number, number>, raw: Map<number, number> }
  /** How long each `publish` call took on the publisher (sign, then hand to gossipsub), in milliseconds. */
  __publishMs: number[]
}

/** Opens a bare data channel from `a` to `b`, named after each other; the driver carries the SDP. */
async function link (a: Page, aName: string, b: Page, bName: string): Promise<void> {
  const offer = await a.evaluate(async peer => {
    const bw = window as unknown as BenchWindow
    bw.__links ??= new Map()
    const pc = new RTCPeerConnection({ iceServers: [] })
    const channel = pc.createDataChannel('raw', { ordered: true })
    channel.binaryType = 'arraybuffer'
    bw.__links.set(peer, { pc, channel })
    await pc.setLocalDescription(await pc.createOffer())
    await new Promise<void>(resolve => { if (pc.iceGatheringState === 'complete') resolve(); else pc.addEventListener('icegatheringstatechange', () => { if (pc.iceGatheringState === 'complete') resolve() }) })
    return pc.localDescription!.toJSON() as RTCSessionDescriptionInit
  }, bName)
  const answer = await b.evaluate(async ({ peer, offer }) => {
    const bw = window as unknown as BenchWindow
    bw.__links ??= new Map()
    const pc = new RTCPeerConnection({ iceServers: [] })
    const entry: { pc: RTCPeerConnection, channel?: RTCDataChannel } = { pc }
    bw.__links.set(peer, entry)
    pc.addEventListener('datachannel', event => { entry.channel = event.channel; entry.channel.binaryType = 'arraybuffer' })
    await pc.setRemoteDescription(offer)
    await pc.setLocalDescription(await pc.createAnswer())
    await new Promise<void>(resolve => { if (pc.iceGatheringState === 'complete') resolve(); else pc.addEventListener('icegatheringstatechange', () => { if (pc.iceGatheringState === 'complete') resolve() }) })
    return pc.localDescription!.toJSON() as RTCSessionDescriptionInit
  }, { peer: aName, offer })
  await a.evaluate(async ({ peer, answer }) => {
    const { pc, channel } = (window as unknown as BenchWindow).__links.get(peer)!
    await pc.setRemoteDescription(answer)
    if (channel!.readyState !== 'open') await new Promise(resolve => channel!.addEventListener('open', resolve, { once: true }))
  }, { peer: bName, answer })
  await b.waitForFunction(peer => (window as unknown as BenchWindow).__links.get(peer)?.channel?.readyState === 'open', aName)
}

/** The receiver's clock minus the publisher's, in milliseconds, from the ping-pong with the smallest round trip. */
async function clockOffset (publisher: Page, receiver: Page, receiverName: string): Promise<number> {
  await receiver.evaluate(() => {
    const channel = (window as unknown as BenchWindow).__links.get('publisher')!.channel!
    channel.onmessage = event => {
      if (typeof event.data === 'string' && event.data.startsWith('ping')) channel.send(`pong ${performance.timeOrigin + performance.now()}`)
    }
  })
  return await publisher.evaluate(async ({ name, rounds }) => {
    const channel = (window as unknown as BenchWindow).__links.get(name)!.channel!
    let best = { rtt: Infinity, offset: 0 }
    for (let i = 0; i < rounds; i++) {
      const t0 = performance.timeOrigin + performance.now()
      const remote = await new Promise<number>(resolve => {
        channel.onmessage = event => { resolve(Number(String(event.data).slice(5))) }
        channel.send('ping')
      })
      const t3 = performance.timeOrigin + performance.now()
      if (t3 - t0 < best.rtt) best = { rtt: t3 - t0, offset: remote - (t0 + t3) / 2 }
    }
    return best.offset
  }, { name: receiverName, rounds: SYNC_ROUNDS })
}

/** Makes every receiver record the arrival of gossip and raw messages. */
async function listen (receiver: Page): Promise<void> {
  await receiver.evaluate(() => {
    const bw = window as unknown as BenchWindow
    bw.__arrivals = { gossip: new Map(), raw: new Map() }
    // No named helper: the bench runs under tsx, whose transform would wrap it in a __name() the page lacks.
    bw.__tabtensorTest.node.gossip!.subscribe({ kind: 'results', netuid: 1 }, m => {
      bw.__arrivals.gossip.set(new DataView(m.payload.buffer, m.payload.byteOffset, m.payload.byteLength).getUint32(0), performance.timeOrigin + performance.now())
    })
    bw.__links.get('publisher')!.channel!.onmessage = event => {
      bw.__arrivals.raw.set(new DataView(event.data as ArrayBuffer).getUint32(0), performance.timeOrigin + performance.now())
    }
  })
}

/** Publishes `count` messages of `kind` from the publisher, paced; indexes start at `first`. */
async function send (publisher: Page, kind: 'gossip' | 'raw', first: number, count: number): Promise<void> {
  await publisher.evaluate(async ({ kind, first, count, pace, size }) => {
    const bw = window as unknown as BenchWindow
    bw.__sent ??= { gossip: new Map(), raw: new Map() }
    bw.__publishMs ??= []
    const channels = [...bw.__links.values()].map(l => l.channel!)
    for (let i = first; i < first + count; i++) {
      const payload = new Uint8Array(size)
      new DataView(payload.buffer).setUint32(0, i)
      bw.__sent[kind].set(i, performance.timeOrigin + performance.now())
      if (kind === 'gossip') {
        const started = performance.now()
        await bw.__tabtensorTest.node.gossip!.publish({ kind: 'results', netuid: 1 }, payload)
        bw.__publishMs.push(performance.now() - started)
      } else {
        for (const c of channels) c.send(payload)
      }
      await new Promise(resolve => setTimeout(resolve, pace))
    }
    // Let the last messages land.
    await new Promise(resolve => setTimeout(resolve, 1000))
  }, { kind, first, count, pace: PACE_MS, size: PAYLOAD_BYTES })
}

/** One-way latencies (ms) of messages `first…first+count-1` of `kind`, over all receivers. */
async function latencies (publisher: Page, receivers: Array<{ page: Page, offset: number }>, kind: 'gossip' | 'raw', first: number, count: number): Promise<{ ms: number[], lost: number }> {
  const sent = new Map(await publisher.evaluate(k => [...(window as unknown as BenchWindow).__sent[k]], kind))
  const ms: number[] = []
  let lost = 0
  for (const r of receivers) {
    const arrivals = new Map(await r.page.evaluate(k => [...(window as unknown as BenchWindow).__arrivals[k]], kind))
    for (let i = first; i < first + count; i++) {
      const at = arrivals.get(i)
      if (at === undefined) lost++
      else ms.push(at - r.offset - sent.get(i)!)
    }
  }
  return { ms: ms.sort((a, b) => a - b), lost }
}

const quantile = (sorted: number[], q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!

async function measure (relay: RelayProcess, count: number): Promise<Figure[]> {
  const tabs: Tab[] = []
  try {
    for (let i = 0; i < count; i += 2) tabs.push(...await Promise.all(Array.from({ length: Math.min(2, count - i) }, async () => await openTab(relay.url, { testHooks: true }))))
    await Promise.all(tabs.map(async t => {
      await waitOnline(t.page, 60_000)
      await t.page.waitForFunction(() => (window as unknown as Partial<BenchWindow>).__tabtensorTest !== undefined, undefined, { timeout: 60_000 })
    }))
    const ids = await Promise.all(tabs.map(async t => await tabPeerId(t.page)))
    const [publisher, ...receivers] = tabs as [Tab, ...Tab[]]
    // The publisher reaches every receiver directly, as gossip's first hop will.
    await Promise.all(receivers.map(async (r, i) => { await waitPeer(publisher.page, ids[i + 1]!, 'direct', 60_000) }))
    const offsets: Array<{ page: Page, offset: number }> = []
    for (const [i, r] of receivers.entries()) {
      await link(publisher.page, 'publisher', r.page, `receiver-${i}`)
      offsets.push({ page: r.page, offset: await clockOffset(publisher.page, r.page, `receiver-${i}`) })
    }
    for (const r of receivers) await listen(r.page)
    // Every receiver is subscribed before anything is sent.
    const topic = await publisher.page.evaluate(() => (window as unknown as BenchWindow).__tabtensorTest.node.gossip!.topic({ kind: 'results', netuid: 1 }))
    const deadline = Date.now() + 30_000
    while (await publisher.page.evaluate(t => (window as unknown as BenchWindow).__tabtensorTest.node.libp2p.services.pubsub.getSubscribers(t).length, topic) < receivers.length) {
      if (Date.now() > deadline) throw new Error('the receivers did not subscribe within 30 s')
      await new Promise(r => setTimeout(r, 100))
    }
    // Warm-up of both paths, then the measured runs, alternating so that load drifts hit both alike.
    await send(publisher.page, 'raw', 0, WARMUP)
    await send(publisher.page, 'gossip', 0, WARMUP)
    const half = MESSAGES / 2
    await send(publisher.page, 'gossip', WARMUP, half)
    await send(publisher.page, 'raw', WARMUP, half)
    await send(publisher.page, 'gossip', WARMUP + half, half)
    await send(publisher.page, 'raw', WARMUP + half, half)
    const gossip = await latencies(publisher.page, offsets, 'gossip', WARMUP, MESSAGES)
    const raw = await latencies(publisher.page, offsets, 'raw', WARMUP, MESSAGES)
    if (gossip.lost > 0 || raw.lost > 0) throw new Error(`messages were lost: ${gossip.lost} by gossip, ${raw.lost} over raw channels`)
    const offsetsText = offsets.map(o => o.offset.toFixed(2)).join(', ')
    const publishMs = (await publisher.page.evaluate(() => (window as unknown as BenchWindow).__publishMs)).sort((a, b) => a - b)
    console.log(`[bench gossip] ${count} tabs, ${MESSAGES} messages of ${PAYLOAD_BYTES} B every ${PACE_MS} ms to ${receivers.length} receivers; clock offsets ${offsetsText} ms; ` +
      `gossip p50 ${quantile(gossip.ms, 0.5).toFixed(2)} p99 ${quantile(gossip.ms, 0.99).toFixed(2)} max ${gossip.ms.at(-1)!.toFixed(2)} ms; ` +
      `raw p50 ${quantile(raw.ms, 0.5).toFixed(2)} p99 ${quantile(raw.ms, 0.99).toFixed(2)} max ${raw.ms.at(-1)!.toFixed(2)} ms; ` +
      `publish call p50 ${quantile(publishMs, 0.5).toFixed(2)} ms`)
    const against = `bare RTCDataChannel from the same tab to the same ${receivers.length} tab${receivers.length === 1 ? '' : 's'}, same payloads and pace`
    return [
      figure(`gossip latency p50, ${count} tabs`, quantile(gossip.ms, 0.5), quantile(raw.ms, 0.5), 'ms', `${against} (p50)`),
      figure(`gossip latency p99, ${count} tabs`, quantile(gossip.ms, 0.99), quantile(raw.ms, 0.99), 'ms', `${against} (p99)`)
    ]
  } finally {
    await closeTabs(tabs)
  }
}

export async function gossipFigures (): Promise<Figure[]> {
  assertLoopbackOnlyNetwork()
  const staticDir = buildPage()
  const relay = await startRelayProcess({ staticDir, blockTimeMs: 1000 })
  try {
    return [...await measure(relay, 2), ...await measure(relay, 6)]
  } finally {
    await relay.dispose()
    rmSync(staticDir, { recursive: true, force: true })
  }
}
