/**
 * The mining view's per-epoch charts, end to end with the real relay and real headless Chromium:
 * a folding miner tab, a weaker one, and a validator tab on a subnet with a short tempo. While the miner
 * registers, the card shows its empty state and the chart code has not been fetched; once epochs
 * with its uid have run (the validator's weights revealed, so some are paid), hovering the charts
 * shows, for every epoch, the score, rank and earnings the relay's API reports for that hotkey.
 * Screenshots in light and dark, desktop and phone width; no serious axe violations.
 */
import { mkdirSync } from 'node:fs'
import AxeBuilder from '@axe-core/playwright'
import type { Page } from 'playwright-core'
import { afterAll, describe, expect, it } from 'vitest'
import { chainIdOf, type GenesisSpec } from '../../src/core/genesis.ts'
import { keypairFromLabel } from '../../src/core/keys.ts'
import { parseTokens } from '../../src/participant/format.ts'
import { faucetKey } from '../../relay/identity.ts'
import { openMiner, openValidatorTab, until, type MinerTab } from '../helpers/mining.ts'
import { NodeClient } from '../helpers/node-client.ts'
import { buildPage, startRelayProcess, type RelayProcess } from '../helpers/relay.ts'

const TOKEN = 1_000_000_000n
const TEMPO = 10
const BLOCK_MS = 300
const SHOTS = 'test-results/mining-charts'
const producer = keypairFromLabel('mining-charts/producer')
const spec: GenesisSpec = {
  chain: 'mining-charts',
  time: Date.now(),
  producer: producer.publicKey,
  balances: [{ key: faucetKey(producer).publicKey, amount: 1_000_000n * TOKEN }],
  subnets: [{ name: 'folding', owner: producer.publicKey, params: { tempo: BigInt(TEMPO), maxRegistrationsPerBlock: 8n, immunityPeriod: 10_000n, commitRevealPeriod: 2n } }],
  params: {}
}

interface ApiEpoch { height: number, uid: number, sharePpm: number, rank: number, miners: number, earned: string }
interface Shown { height: number, score: string, rank: string, earned: string }

/** Moves the mouse across the score chart; the charts' cursors are synced, so every legend follows. */
async function sweep (page: Page): Promise<Map<number, Shown>> {
  const over = page.getByTestId('epoch-chart-score').locator('.u-over')
  await over.scrollIntoViewIfNeeded()
  const box = (await over.boundingBox())!
  const seen = new Map<number, Shown>()
  for (let x = 1; x < box.width; x += 6) {
    await page.mouse.move(box.x + x, box.y + box.height / 2)
    const legend = async (key: string): Promise<string[]> => await page.getByTestId(`epoch-chart-${key}`).locator('.u-legend .u-series .u-value').allTextContents()
    const [score, rank, earned] = await Promise.all([legend('score'), legend('rank'), legend('earned')])
    const height = Number(score[0])
    if (!Number.isSafeInteger(height) || rank[0] !== score[0] || earned[0] !== score[0]) continue
    seen.set(height, { height, score: score[1]!, rank: rank[1]!, earned: earned[1]! })
  }
  return seen
}

describe('the mining view\'s per-epoch charts', () => {
  let relay: RelayProcess | undefined
  let miner: MinerTab | undefined
  let rival: MinerTab | undefined
  let validator: Awaited<ReturnType<typeof openValidatorTab>> | undefined
  afterAll(async () => {
    await miner?.browser.close()
    await rival?.browser.close()
    await validator?.browser.close()
    await relay?.dispose()
  })

  it('charts the score, rank and earnings the relay reports for the tab\'s uid at each epoch', async () => {
    mkdirSync(SHOTS, { recursive: true })
    relay = await startRelayProcess({ genesis: { spec, producer }, staticDir: buildPage(), blockTimeMs: BLOCK_MS })
    const client = new NodeClient(relay.url, chainIdOf(spec))
    const chartCode = async (page: Page): Promise<boolean> =>
      await page.evaluate(() => performance.getEntriesByType('resource').some(r => /epoch-plot/.test(r.name)))

    let emptyWhileRegistering = false
    let chartCodeEarly = true
    miner = await openMiner(`${relay.url}/`, 'charted', {
      subnet: 'folding',
      started: async page => {
        await page.getByTestId('epoch-charts-empty').waitFor({ timeout: 30_000 })
        emptyWhileRegistering = await page.getByTestId('miner-uid').getAttribute('data-uid') === ''
        chartCodeEarly = await chartCode(page)
        await page.getByTestId('epoch-charts').screenshot({ path: `${SHOTS}/charts-empty.png` })
      }
    })
    expect(emptyWhileRegistering).toBe(true)
    expect(chartCodeEarly).toBe(false)
    // A weaker second miner, so that ranks are contested.
    rival = await openMiner(`${relay.url}/`, 'rival', { subnet: 'folding', hook: { moveSet: 'local', maxStepsPerUnit: 100_000 } })
    validator = await openValidatorTab(relay.url, 'folding')
    const page = miner.page
    const hotkey: string = (await client.get('/api/subnets/1')).neurons[miner.uid].hotkey
    const history = async (): Promise<ApiEpoch[]> => (await client.get(`/api/epochs/1/miners/${hotkey}`)).epochs

    // Two paid epochs: the validator's weights were revealed and Yuma paid this miner.
    await until('two paid epochs', async () => (await history()).filter(e => e.sharePpm > 0).length >= 2, 240_000)
    await until('the charts to show them', async () =>
      await page.locator('[data-testid="epoch-table"] tbody tr').count() >= 3 && await chartCode(page), 30_000)
    await page.getByTestId('epoch-chart-score').locator('canvas').waitFor()

    const tableHeights = async (): Promise<number[]> =>
      await page.locator('[data-testid="epoch-table"] tbody tr').evaluateAll(rows => rows.map(r => Number(r.getAttribute('data-height'))))
    // An epoch's figures never change; reads before and after the sweep cover an epoch landing meanwhile.
    const reported = new Map((await history()).map(e => [e.height, e]))
    const before = await tableHeights()
    const shown = await sweep(page)
    const after = await tableHeights()
    for (const e of await history()) reported.set(e.height, e)
    const legendHtml = await page.getByTestId('epoch-chart-score').locator('.u-legend').innerHTML()
    expect(shown.size, legendHtml).toBeGreaterThanOrEqual(3)
    // Every epoch the table listed throughout the sweep was a point on the charts (an epoch may land meanwhile).
    expect(before.filter(h => after.includes(h) && !shown.has(h))).toEqual([])
    let paid = 0
    for (const point of shown.values()) {
      const e = reported.get(point.height)
      expect(e, `epoch ${point.height} is not in the relay's answer`).toBeDefined()
      expect(e!.uid).toBe(miner.uid)
      expect(Math.round(Number(point.score.replace(' %', '')) * 10_000)).toBe(e!.sharePpm)
      expect(point.rank).toBe(`${e!.rank} of ${e!.miners}`)
      expect(parseTokens(point.earned)).toBe(BigInt(e!.earned))
      if (e!.sharePpm > 0) paid++
    }
    expect(paid).toBeGreaterThanOrEqual(1)
    // The table, the charts' text alternative, holds the same figures.
    const table = await page.locator('[data-testid="epoch-table"] tbody tr').evaluateAll(rows => rows.map(r => [...r.children].map(c => c.textContent ?? '')))
    for (const [height, score, rank, earned] of table) {
      const e = reported.get(Number(height))!
      expect([Math.round(Number(score!.replace(' %', '')) * 10_000), rank, parseTokens(earned!)]).toEqual([e.sharePpm, `${e.rank} of ${e.miners}`, BigInt(e.earned)])
    }
    console.log(`[mining-charts] ${shown.size} epochs charted: ${[...shown.values()].map(p => `${p.height} ${p.score} ${p.rank} ${p.earned}`).join('; ')}`)

    await page.mouse.move(0, 0)
    await page.getByTestId('epoch-charts').screenshot({ path: `${SHOTS}/charts-desktop-light.png` })
    await page.screenshot({ path: `${SHOTS}/mining-desktop-light.png`, fullPage: true })
    const { violations } = await new AxeBuilder({ page }).analyze()
    const serious = violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
    expect(serious.map(v => `${v.id} (${v.impact}) ${v.nodes.map(n => n.target.join(' ')).join(', ')}`)).toEqual([])

    await page.emulateMedia({ colorScheme: 'dark' })
    await page.setViewportSize({ width: 390, height: 844 })
    await page.waitForTimeout(500)
    const width = await page.getByTestId('epoch-chart-earned').locator('canvas').evaluate(c => c.getBoundingClientRect().width)
    expect(width).toBeLessThanOrEqual(390)
    await page.getByTestId('epoch-charts').screenshot({ path: `${SHOTS}/charts-phone-dark.png` })
    const dark = await new AxeBuilder({ page }).analyze()
    expect(dark.violations.filter(v => v.impact === 'serious' || v.impact === 'critical').map(v => v.id)).toEqual([])
    expect(miner.errors).toEqual([])
  }, 420_000)
})
