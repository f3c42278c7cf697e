/**
 * A subnet's bundle: what its miners and validators download, as a small canonical index of named
 * files, each a bundle of its own (content-addressed, fetched by block exchange). The index is
 * published as a bundle too, so one CID names everything a subnet ships: the prices subnet's
 * baseline model and replay series, the storage subnet's shards.
 */
import { decode, encode, readList, readString, readUint, record } from '../core/codec.ts'
import { LedgerError } from '../core/errors.ts'
import { SubnetInputError } from './subnet.ts'

export interface SubnetBundleFile {
  name: string
  /** The file's bundle (manifest) CID. */
  cid: string
  /** Bytes. */
  size: number
}

export interface SubnetBundle {
  subnet: string
  files: SubnetBundleFile[]
}

/** Largest index we decode, in bytes. */
export const MAX_INDEX_BYTES = 64 * 1024
const MAX_FILES = 1024
const MAX_NAME = 64
const MAX_CID = 128

export function encodeSubnetBundle (bundle: SubnetBundle): Uint8Array {
  return encode({ files: bundle.files.map(f => ({ cid: f.cid, name: f.name, size: f.size })), subnet: bundle.subnet })
}

export function decodeSubnetBundle (bytes: Uint8Array): SubnetBundle {
  try {
    const f = record(decode(bytes, MAX_INDEX_BYTES, 'subnet bundle'), ['files', 'subnet'], 'subnet bundle')
    return {
      subnet: readString(f.subnet, 'subnet', MAX_NAME),
      files: readList(f.files, 'files', MAX_FILES).map((v, i) => {
        const r = record(v, ['cid', 'name', 'size'], `files[${i}]`)
        return { cid: readString(r.cid, 'cid', MAX_CID), name: readString(r.name, 'name', MAX_NAME), size: readUint(r.size, 'size', Number.MAX_SAFE_INTEGER) }
      })
    }
  } catch (err) {
    if (err instanceof LedgerError) throw new SubnetInputError(err.code, err.message)
    throw err
  }
}

/** The file called `name`; a clear error when the bundle lacks it. */
export function bundleFile (bundle: SubnetBundle, name: string): SubnetBundleFile {
  const file = bundle.files.find(f => f.name === name)
  if (file === undefined) throw new SubnetInputError('MISSING_FILE', `The ${bundle.subnet} bundle has no file ${name}; the relay publishes an older version.`)
  return file
}
