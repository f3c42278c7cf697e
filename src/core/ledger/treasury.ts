import { hash, utf8ToBytes } from '../hash.ts'

/**
 * The network treasury: it receives block rewards only while no subnet takes emission. Its key
 * is a hash, not a public key anyone holds, so nobody can spend from it by signature.
 */
export const TREASURY = hash(utf8ToBytes('tabtensor/treasury'))
