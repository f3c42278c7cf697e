/**
 * The validator command's options and key file. The key file holds the validator's BIP-39
 * recovery phrase (plain text), or JSON `{ "mnemonic": "...", "hotkey": 0 }` to pick another
 * hotkey of the same wallet. It must not be readable by other users; the phrase goes to the page
 * through a Playwright binding, never through a URL, a command line or the page's storage.
 */
import { readFileSync, statSync } from 'node:fs'
import { isValidMnemonic } from '../../src/core/keys.ts'

/** Largest key file read, in bytes. */
const MAX_KEY_FILE_BYTES = 4096

export const SUBNETS = ['folding', 'prices', 'storage'] as const

export interface ValidatorOptions {
  keyFile: string
  relay: string
  subnet: string
  chromium: string
}

export interface ValidatorKey {
  mnemonic: string
  hotkey: number
}

/** A usage error: printed as one sentence, exit code 2. */
export class UsageError extends Error {
  static override name = 'UsageError'
  override name = 'UsageError'
}

export const USAGE = 'usage: npm run validator -- --key FILE [--relay URL] [--subnet folding|prices|storage] [--chromium PATH]'

export function parseOptions (argv: readonly string[], env: NodeJS.ProcessEnv = process.env): ValidatorOptions {
  const values = new Map<string, string>()
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!
    if (!['--key', '--relay', '--subnet', '--chromium'].includes(flag)) throw new UsageError(`Unknown argument ${flag}. ${USAGE}`)
    const value = argv[++i]
    if (value === undefined || value.startsWith('--')) throw new UsageError(`${flag} needs a value. ${USAGE}`)
    values.set(flag, value)
  }
  const keyFile = values.get('--key')
  if (keyFile === undefined) throw new UsageError(`--key FILE is required. ${USAGE}`)
  const relay = values.get('--relay') ?? 'http://localhost:8080'
  let url: URL
  try {
    url = new URL(relay)
  } catch {
    throw new UsageError(`--relay ${relay} is not a URL; give the relay's address, e.g. http://localhost:8080.`)
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError(`--relay must be an http(s) address, not ${relay}.`)
  const subnet = values.get('--subnet') ?? 'folding'
  if (!(SUBNETS as readonly string[]).includes(subnet)) throw new UsageError(`--subnet must be one of ${SUBNETS.join(', ')}, not ${subnet}.`)
  const chromium = values.get('--chromium') ?? env['CHROMIUM_PATH'] ?? '/usr/bin/chromium'
  return { keyFile, relay: url.origin, subnet, chromium }
}

export function readKeyFile (path: string): ValidatorKey {
  let text: string
  try {
    if (statSync(path).size > MAX_KEY_FILE_BYTES) throw new UsageError(`${path} is over ${MAX_KEY_FILE_BYTES} bytes; a key file holds one recovery phrase.`)
    text = readFileSync(path, 'utf8').trim()
  } catch (err) {
    if (err instanceof UsageError) throw err
    const code = (err as NodeJS.ErrnoException).code
    throw new UsageError(code === 'ENOENT' ? `The key file ${path} does not exist.` : `The key file ${path} cannot be read (${code ?? String(err)}).`)
  }
  let key: ValidatorKey = { mnemonic: text, hotkey: 0 }
  if (text.startsWith('{')) {
    let json: { mnemonic?: unknown, hotkey?: unknown }
    try {
      json = JSON.parse(text) as typeof json
    } catch {
      throw new UsageError(`The key file ${path} starts like JSON but is not valid JSON.`)
    }
    const hotkey = json.hotkey ?? 0
    if (typeof json.mnemonic !== 'string' || !Number.isSafeInteger(hotkey) || (hotkey as number) < 0) {
      throw new UsageError(`The key file ${path} must hold {"mnemonic": "…", "hotkey": 0}.`)
    }
    key = { mnemonic: json.mnemonic, hotkey: hotkey as number }
  }
  if (!isValidMnemonic(key.mnemonic)) throw new UsageError(`The key file ${path} does not hold a valid recovery phrase.`)
  return key
}
