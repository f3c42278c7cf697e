/** The `npm run yuma -- FILE` command (scripts/yuma.ts), run as a child process. */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { loadVectors, vectorById, type Json } from './reference.ts'

const ROOT = path.resolve(import.meta.dirname, '../../../..')
const file = loadVectors()
const dir = mkdtempSync(path.join(tmpdir(), 'yuma-cli-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

function yuma (...args: string[]): { status: number | null, stdout: string, stderr: string } {
  const run = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/yuma.ts', ...args], { cwd: ROOT, encoding: 'utf8' })
  return { status: run.status, stdout: run.stdout, stderr: run.stderr }
}

function write (name: string, content: string): string {
  const target = path.join(dir, name)
  writeFileSync(target, content)
  return target
}

describe('npm run yuma', () => {
  it.each([
    ['steps form', 'subtensor.epoch.test_bonds'],
    ['single-step form', 'subtensor.epoch_logs.test_validators_weight_two_distinct_servers']
  ])('prints every step of a vector in the %s as the emulator does', (_, id) => {
    const vector = vectorById(file, id)
    const result = yuma(write(`${id}.json`, JSON.stringify(vector)))
    expect(result.stderr).toBe('')
    expect(result.status).toBe(0)
    const printed = JSON.parse(result.stdout) as { steps: Json[] }
    const steps = (vector.steps ?? [vector]) as Json[]
    expect(printed.steps).toHaveLength(steps.length)
    steps.forEach((step, k) => {
      for (const [name, want] of Object.entries(step.emulator_outputs_derived as Json)) {
        expect(printed.steps[k]![name], `step ${k} ${name}`).toEqual(want)
      }
    })
  }, 30_000)

  it.each([
    ['a missing file', () => path.join(dir, 'missing.json'), /does not exist/],
    ['a directory', () => dir, /not a regular file/],
    ['a file that is not JSON', () => write('broken.json', '{"params": '), /not valid JSON/],
    ['the whole vector collection', () => write('all.json', JSON.stringify(file)), /whole vector collection/],
    ['a vector with a wrong type', () => {
      const vector = structuredClone(vectorById(file, 'subtensor.epoch_logs.test_simple'))
      ;(vector.params as Json).kappa_u16 = '32767'
      return write('typed.json', JSON.stringify(vector))
    }, /params\.kappa_u16 must be an integer/],
    ['a vector with a wrong shape', () => {
      const { params } = vectorById(file, 'subtensor.epoch_logs.test_simple')
      return write('shape.json', JSON.stringify({ params, steps: 3 }))
    }, /steps must be a JSON list/],
    ['a file over 16 MiB', () => {
      const target = write('huge.json', '{}')
      truncateSync(target, 16 * 1024 * 1024 + 1)
      return target
    }, /over the 16 MiB limit/]
  ])('rejects %s with one sentence on stderr and exit code 2', (_, target, message) => {
    const result = yuma(target())
    expect(result.status).toBe(2)
    expect(result.stdout).toBe('')
    expect(result.stderr).toMatch(message)
    expect(result.stderr.trim().split('\n')).toHaveLength(1)
  }, 30_000)

  it('explains its usage when not given exactly one file', () => {
    const result = yuma()
    expect(result.status).toBe(2)
    expect(result.stderr).toMatch(/^Usage: npm run yuma -- FILE/)
  }, 30_000)
})
