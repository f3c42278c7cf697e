/**
 * The relay's keys and its network's genesis, kept in the data folder so that a restart is the
 * same network. A new folder gets a fresh producer key and, unless a genesis file is given, the
 * local network: three subnets (folding, prices, storage) and a faucet for test tokens.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { toAddress } from '../src/core/address.ts'
import { genesisFromJson, genesisToJson, type GenesisJson, type GenesisSpec } from '../src/core/genesis.ts'
import { fromHex, hash, toHex, utf8ToBytes } from '../src/core/hash.ts'
import { keypairFromSecret, randomKeypair, type Keypair } from '../src/core/keys.ts'
import { BASE_UNITS_PER_TOKEN } from '../src/core/supply.ts'

/** Tokens the local network's faucet starts with. */
const FAUCET_TOKENS = 1_000_000n
/** Blocks per epoch on the local network: about four minutes at 12 s blocks, so payouts are seen soon. */
const LOCAL_TEMPO = 20

export function loadProducerKey (dataDir: string, keyFile: string | undefined): Keypair {
  const path = keyFile ?? join(dataDir, 'producer.key')
  if (existsSync(path)) {
    const hex = readFileSync(path, 'utf8').trim()
    if (!/^[0-9a-f]{64}$/i.test(hex)) throw new Error(`${path} must hold a 32-byte secret key as 64 hex characters.`)
    return keypairFromSecret(fromHex(hex))
  }
  if (keyFile !== undefined) throw new Error(`The key file ${keyFile} does not exist.`)
  const key = randomKeypair()
  writeFileSync(path, toHex(key.secretKey) + '\n', { mode: 0o600 })
  return key
}

/** The faucet's key, derived from the producer's so one secret backs up the relay. */
export function faucetKey (producer: Keypair): Keypair {
  return keypairFromSecret(hash(utf8ToBytes('tabtensor/faucet'), producer.secretKey))
}

export function localGenesis (producer: Keypair, time: number): GenesisJson {
  const owner = toAddress(producer.publicKey)
  return {
    chain: 'tabtensor-local',
    time,
    producer: owner,
    balances: [{ address: toAddress(faucetKey(producer).publicKey), amount: (FAUCET_TOKENS * BASE_UNITS_PER_TOKEN).toString() }],
    subnets: ['folding', 'prices', 'storage'].map(name => ({ name, owner, params: { tempo: LOCAL_TEMPO } })),
    params: {}
  }
}

/** The genesis of the network in `dataDir`: stored there on first start, read back afterwards. */
export function loadGenesis (
  stored: string | undefined, genesisFile: string | undefined, producer: Keypair, now: number
): { spec: GenesisSpec, json: string } {
  const given = genesisFile === undefined ? undefined : readFileSync(genesisFile, 'utf8')
  if (stored !== undefined && given !== undefined && JSON.stringify(JSON.parse(given)) !== JSON.stringify(JSON.parse(stored))) {
    throw new Error(`The data folder already holds another network; use a new --data-dir for ${genesisFile}.`)
  }
  const json = stored ?? given ?? JSON.stringify(localGenesis(producer, now))
  const spec = genesisFromJson(JSON.parse(json) as GenesisJson)
  if (toAddress(spec.producer) !== toAddress(producer.publicKey)) {
    throw new Error('The genesis names another producer than this relay\'s key; pass the right --key.')
  }
  return { spec, json: JSON.stringify(genesisToJson(spec)) }
}
