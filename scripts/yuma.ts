/**
 * `npm run yuma -- FILE`: runs the Yuma epoch on one vector in the yuma-vectors.json format
 * (`params` with `steps[]`, or `params` with a top-level `block` and `epoch_inputs_derived`) and
 * prints `{"steps": [...]}`, one object per step with the fields and encodings of
 * `emulator_outputs_derived` (u64 amounts as JSON numbers up to 2^53 − 1, decimal strings above).
 *
 * A file that cannot be used (missing, not a file, over 16 MiB, not JSON, not one epoch vector)
 * gets one sentence on stderr and exit code 2; anything else that fails is a bug (exit code 1).
 * It lives in scripts/ because it needs Node's file system, which src/ never imports.
 */
import { readFileSync, statSync } from 'node:fs'
import { EpochInputError, InvalidVectorError } from '../src/core/yuma/errors.ts'
import { parseEpochVector, runVector } from '../src/core/yuma/vector-format.ts'

/** Largest vector file accepted, in bytes (the whole yuma-vectors.json is about 0.2 MiB). */
const MAX_FILE_BYTES = 16 * 1024 * 1024

/** Exit code for a file this command cannot use. */
const EXIT_BAD_FILE = 2

class BadFileError extends Error {
  static override name = 'BadFileError'
  override name = 'BadFileError'
}

function readJson (path: string): unknown {
  let size: number
  try {
    const stats = statSync(path)
    if (!stats.isFile()) throw new BadFileError(`${path} is not a regular file; pass a JSON file holding one epoch vector.`)
    size = stats.size
  } catch (error) {
    if (error instanceof BadFileError) throw error
    const code = (error as NodeJS.ErrnoException).code
    throw new BadFileError(code === 'ENOENT'
      ? `${path} does not exist; pass the path of a JSON file holding one epoch vector.`
      : `${path} cannot be read (${code ?? String(error)}); check the path and its permissions.`)
  }
  if (size > MAX_FILE_BYTES) throw new BadFileError(`${path} is ${size} bytes, over the 16 MiB limit for a vector file.`)
  const text = readFileSync(path, 'utf8')
  try {
    return JSON.parse(text)
  } catch (error) {
    throw new BadFileError(`${path} is not valid JSON (${(error as Error).message}).`)
  }
}

function main (args: string[]): number {
  if (args.length !== 1) {
    process.stderr.write('Usage: npm run yuma -- FILE (a JSON file holding one epoch vector).\n')
    return EXIT_BAD_FILE
  }
  const path = args[0]!
  try {
    const steps = runVector(parseEpochVector(readJson(path)))
    process.stdout.write(`${JSON.stringify({ steps })}\n`)
    return 0
  } catch (error) {
    if (error instanceof BadFileError || error instanceof InvalidVectorError || error instanceof EpochInputError) {
      const where = error instanceof BadFileError ? '' : `${path}: `
      process.stderr.write(`yuma: ${where}${error.message}\n`)
      return EXIT_BAD_FILE
    }
    throw error
  }
}

process.exitCode = main(process.argv.slice(2))
