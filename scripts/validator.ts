/**
 * `npm run validator -- --key FILE [--relay URL] [--subnet NAME] [--chromium PATH]`: runs a
 * validator as a headless Chromium tab of the relay's page, kept alive across crashes, its log
 * streamed here. Ctrl-C (or SIGTERM) closes the tab and Chromium and exits 0; a second Ctrl-C
 * exits at once. Bad arguments or key file: one sentence, exit code 2.
 */
import { existsSync } from 'node:fs'
import { homedir } from 'node:os'
import { join } from 'node:path'
import { walletFromMnemonic } from '../src/core/keys.ts'
import { toAddress } from '../src/core/address.ts'
import { UsageError, parseOptions, readKeyFile } from './validator/options.ts'
import { superviseValidator } from './validator/supervisor.ts'

const EXIT_USAGE = 2

function main (): void {
  let options, key
  try {
    options = parseOptions(process.argv.slice(2))
    key = readKeyFile(options.keyFile)
    if (!existsSync(options.chromium)) {
      throw new UsageError(`Chromium not found at ${options.chromium}; install it (apt-get install -y chromium) or pass --chromium PATH.`)
    }
  } catch (err) {
    if (!(err instanceof UsageError)) throw err
    console.error(err.message)
    process.exit(EXIT_USAGE)
  }
  const hotkey = toAddress(walletFromMnemonic(key.mnemonic).hotkey(key.hotkey).publicKey)
  // One profile per hotkey, so a validator's scores survive restarts and two validators never share one.
  const profile = join(process.env['TABTENSOR_HOME'] ?? join(homedir(), '.tabtensor'), 'validators', hotkey)
  const stamp = (): string => new Date().toISOString().slice(11, 19)
  const log = (line: string): void => { console.log(`${stamp()} ${line}`) }
  log(`[validator] hotkey ${hotkey}, subnet ${options.subnet}, relay ${options.relay}`)
  const supervisor = superviseValidator(options, key, profile, log)
  let interrupted = false
  const stop = (): void => {
    if (interrupted) process.exit(130)
    interrupted = true
    log('[validator] stopping')
    void supervisor.stop().then(() => { log('[validator] stopped'); process.exit(0) })
  }
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
}

main()
