/**
 * The relay's two reads for the demo screen: who is connected to it and which of them hold direct
 * links to each other (`/api/network`), and the address phones join at (`/api/join`). Same request
 * rules as the other clients; an answer of the wrong shape is refused with a sentence.
 */
import { count, field, isBoolean, isString, malformed, relayRequester, type Json, type RelayClientOptions } from './relay-client.ts'

/** A uid the tab's hotkey holds (relay/network-api.ts computes these; the page reads them). */
export interface PeerRole {
  netuid: number
  subnet: string
  uid: number
  /** Holds a validator permit from the last epoch. */
  validator: boolean
}

export interface ConnectedPeer {
  peerId: string
  /** The peer's key as a `tt1…` address: a tab's hotkey. Null for a key that is not ed25519. */
  hotkey: string | null
  /** The relay holds a circuit-relay reservation for it, so other tabs can reach it through the relay. */
  reserved: boolean
  /** When its oldest open connection to the relay opened, in ms since the epoch. */
  since: number
  roles: PeerRole[]
}

export interface NetworkView {
  height: number
  relayPeerId: string
  peers: ConnectedPeer[]
  /** Direct WebRTC links between listed tabs that both ends reported, as pairs of peer ids. */
  links: Array<[string, string]>
}

export interface JoinAddresses {
  urls: string[]
  /** Whether other devices on the local network can open them. */
  lan: boolean
}

export interface DemoClient {
  network (): Promise<NetworkView>
  join (): Promise<JoinAddresses>
}

const isArray = (v: unknown): v is Json[] => Array.isArray(v)
const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v)

export function createDemoClient (options: RelayClientOptions = {}): DemoClient {
  const request = relayRequester(options)
  return {
    async network () {
      const path = '/api/network'
      const json = await request('GET', path)
      const relay = json.relay as Json | undefined
      if (relay === null || typeof relay !== 'object') throw malformed(path, 'relay')
      return {
        height: count(json, 'height', path),
        relayPeerId: field(relay, 'peerId', isString, path),
        peers: field(json, 'peers', isArray, path).map(p => ({
          peerId: field(p, 'peerId', isString, path),
          hotkey: p.hotkey === null ? null : field(p, 'hotkey', isString, path),
          reserved: field(p, 'reserved', isBoolean, path),
          since: field(p, 'since', isNumber, path),
          roles: field(p, 'roles', isArray, path).map(r => ({
            netuid: count(r, 'netuid', path),
            subnet: field(r, 'subnet', isString, path),
            uid: count(r, 'uid', path),
            validator: field(r, 'validator', isBoolean, path)
          }))
        })),
        links: field(json, 'links', isArray, path).map(l => {
          if (!Array.isArray(l) || l.length !== 2 || !l.every(isString)) throw malformed(path, 'links')
          return [l[0], l[1]] as [string, string]
        })
      }
    },

    async join () {
      const path = '/api/join'
      const json = await request('GET', path)
      const urls = field(json, 'urls', isArray, path)
      if (urls.length === 0 || !urls.every(u => typeof u === 'string')) throw malformed(path, 'urls')
      return { urls: urls as unknown as string[], lan: field(json, 'lan', isBoolean, path) }
    }
  }
}
