/**
 * `npm run publish-bundle -- FILE [--name NAME] [--chunk-size BYTES] [--relay URL]`: publishes
 * FILE on a running relay (default http://localhost:8080) as a content-addressed bundle, which the
 * relay then seeds to tabs, and prints `{cid, name, size, chunkSize, chunks}`. The relay accepts
 * this only from its own machine. A file or an answer that cannot be used gets one sentence on
 * stderr and exit code 2.
 */
import { readFileSync, statSync } from 'node:fs'
import { basename } from 'node:path'
import { parseArgs } from 'node:util'

/** Exit code for a file or an answer this command cannot use. */
const EXIT_FAILED = 2

function fail (message: string): never {
  console.error(message)
  process.exit(EXIT_FAILED)
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { name: { type: 'string' }, 'chunk-size': { type: 'string' }, relay: { type: 'string' } }
})
const file = positionals[0]
if (file === undefined || positionals.length > 1) fail('Usage: npm run publish-bundle -- FILE [--name NAME] [--chunk-size BYTES] [--relay URL]')
let bytes: Buffer
try {
  if (!statSync(file).isFile()) fail(`${file} is not a regular file.`)
  bytes = readFileSync(file)
} catch (err) {
  fail(`${file} cannot be read (${(err as Error).message}).`)
}
const relay = values.relay ?? process.env.TABTENSOR_RELAY ?? 'http://localhost:8080'
const query = new URLSearchParams({ name: values.name ?? basename(file) })
if (values['chunk-size'] !== undefined) query.set('chunkSize', values['chunk-size'])
let res: Response
try {
  res = await fetch(`${relay}/api/bundles?${query.toString()}`, { method: 'POST', headers: { 'content-type': 'application/octet-stream' }, body: new Uint8Array(bytes.buffer as ArrayBuffer, bytes.byteOffset, bytes.byteLength) })
} catch (err) {
  fail(`The relay at ${relay} did not answer (${(err as Error).message}); is it running? Give another with --relay URL.`)
}
const body = await res.json().catch(() => ({})) as { message?: string }
if (!res.ok) fail(body.message ?? `The relay answered ${res.status}.`)
console.log(JSON.stringify(body))
