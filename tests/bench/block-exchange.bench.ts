/**
 * Block-exchange throughput between two tabs of the real page on the real relay, against a bare
 * RTCDataChannel transfer of the same bytes between the same two tabs in the same run. The block
 * figure is a whole fetch as a tab does it: manifest, `have` round, 256 KiB chunks over the tabs'
 * direct libp2p WebRTC connection, every chunk hashed and written to IndexedDB. The serving tab
 * has just published the bundle, so it answers from the blocks its cache keeps in memory, as a
 * publisher or a tab that just fetched a bundle does. Each run publishes a bundle of its own (so
 * nothing is cached on the fetching side), then makes both transfers, in turn raw first and block
 * exchange first, so that neither always follows the publish; medians are compared, and the
 * ratios within each run, which share the machine's load of the moment, are printed too. One
 * transfer of each kind before the runs is not counted: the bare channel is new, and a new
 * association starts slowly (the first bare run was often a third of the others).
 */
import { rmSync } from 'node:fs'
import { availableParallelism, loadavg } from 'node:os'
import { fetchInPage, publishInPage, waitForNode } from '../helpers/blocks-page.ts'
import { assertLoopbackOnlyNetwork } from '../helpers/netns.ts'
import { buildPage, startRelayProcess } from '../helpers/relay.ts'
import { closeTabs, openTab, tabPeerId, waitOnline, waitPeer } from '../helpers/tabs.ts'
import { figure, type Figure } from './figure.ts'
import { connectRaw, rawTransfer } from './raw-datachannel.ts'

const MIB = 1024 * 1024
/** Bytes moved per run. */
const SIZE = 16 * MIB
/** Runs of each kind; the medians are compared (with 9, the bare channel's median ranged 17.7–22.5 MiB/s over five runs of the bench). */
const RUNS = 15

export async function blockExchangeFigures (): Promise<Figure[]> {
  assertLoopbackOnlyNetwork()
  const staticDir = buildPage()
  // The network's default block time (12 s) rather than the demo's 1 s (which measured the same:
  // 0.71 and 0.73 against 0.73 and 0.72), so that fewer headers land in the middle of a transfer.
  const relay = await startRelayProcess({ staticDir, blockTimeMs: 12_000 })
  const tabs = await Promise.all([openTab(relay.url, { testHooks: true }), openTab(relay.url, { testHooks: true })])
  try {
    const [a, b] = tabs
    await Promise.all(tabs.map(async t => { await waitOnline(t.page); await waitForNode(t.page) }))
    const [idA, idB] = await Promise.all([tabPeerId(a.page), tabPeerId(b.page)])
    await Promise.all([waitPeer(a.page, idB, 'direct'), waitPeer(b.page, idA, 'direct')])
    await connectRaw(a.page, b.page)
    const warmUp = await publishInPage(a.page, SIZE, 99, 'bench-warm-up.bin')
    await fetchInPage(b.page, warmUp)
    await rawTransfer(a.page, b.page, SIZE, 99)
    const blockMs: number[] = []
    const rawMs: number[] = []
    for (let run = 0; run < RUNS; run++) {
      const seed = 100 + run
      const cid = await publishInPage(a.page, SIZE, seed, `bench-${run}.bin`)
      const fetch = async (): Promise<void> => {
        const fetched = await fetchInPage(b.page, cid)
        if (fetched.byPeer[idA] !== SIZE) throw new Error(`the bundle came from ${JSON.stringify(fetched.byPeer)}, not all from the other tab`)
        blockMs.push(fetched.ms)
      }
      if (run % 2 === 1) await fetch()
      rawMs.push(await rawTransfer(a.page, b.page, SIZE, seed))
      if (run % 2 === 0) await fetch()
    }
    const mibps = (ms: number): number => SIZE / MIB / (ms / 1000)
    const blocks = mibps(median(blockMs))
    const raw = mibps(median(rawMs))
    const paired = blockMs.map((ms, i) => rawMs[i]! / ms)
    console.log(`[bench block-exchange] load average ${loadavg()[0]!.toFixed(1)} on ${availableParallelism()} cores; ${SIZE / MIB} MiB per run; block exchange ${blockMs.map(ms => mibps(ms).toFixed(1)).join(', ')} MiB/s; raw data channel ${rawMs.map(ms => mibps(ms).toFixed(1)).join(', ')} MiB/s; run by run ${paired.map(r => r.toFixed(2)).join(', ')} (median ${median(paired).toFixed(2)})`)
    return [figure(`block exchange, ${SIZE / MIB} MiB tab to tab (hashed, cached in IndexedDB)`, blocks, raw, 'MiB/s', 'raw RTCDataChannel, same tabs, same bytes', 'at least 0.8 of raw')]
  } finally {
    await closeTabs(tabs)
    await relay.dispose()
    rmSync(staticDir, { recursive: true, force: true })
  }
}

function median (xs: number[]): number {
  const sorted = [...xs].sort((x, y) => x - y)
  return sorted[Math.floor(sorted.length / 2)]!
}
