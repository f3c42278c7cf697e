/**
 * A libp2p transport whose listener is the page's own HTTP server: a WebSocket upgrade at `/` on
 * the relay's HTTP port becomes a libp2p connection, so a tab reaches the relay at the page's
 * origin (`ws://host:port` for an http page, `wss://` behind a TLS proxy) with no second port
 * and no proxy hop. `@libp2p/websockets` cannot do this: its listener always binds a socket of
 * its own. Dialing (a relay peering with other relays) is delegated to `@libp2p/websockets`.
 *
 * Connections keep their real remote address (the TCP peer of the upgrade request), so libp2p's
 * per-host limits and the connection gater see each tab's host.
 */
import type { IncomingMessage, Server } from 'node:http'
import type { Duplex } from 'node:stream'
import { TypedEventEmitter, serviceCapabilities, transportSymbol } from '@libp2p/interface'
import type { ComponentLogger, CreateListenerOptions, DialTransportOptions, Listener, ListenerEvents, Logger, Transport, Upgrader } from '@libp2p/interface'
import { getThinWaistAddresses, ipPortToMultiaddr } from '@libp2p/utils'
import { webSockets, type WebSocketsComponents } from '@libp2p/websockets'
import type { Multiaddr } from '@multiformats/multiaddr'
import { WebSockets } from '@multiformats/multiaddr-matcher'
import { WebSocketServer, type WebSocket } from 'ws'
import { MAX_WEBSOCKET_BUFFERED_BYTES, MAX_WEBSOCKET_FRAME_BYTES, WEBSOCKET_DRAIN_POLL_MS, WEBSOCKET_PATH } from './constants.ts'
import { webSocketToConnection } from './ws-connection.ts'

export interface OriginWebSocketsInit {
  /** The HTTP server that serves the page; it must be listening before libp2p starts. */
  server: Server
}

class OriginWebSocketsListener extends TypedEventEmitter<ListenerEvents> implements Listener {
  readonly #server: Server
  readonly #upgrader: Upgrader
  readonly #log: Logger
  readonly #logger: ComponentLogger
  readonly #wss = new WebSocketServer({ noServer: true, maxPayload: MAX_WEBSOCKET_FRAME_BYTES })
  readonly #sockets = new Set<WebSocket>()
  readonly #shutdown = new AbortController()
  #listening: Multiaddr | undefined

  constructor (server: Server, upgrader: Upgrader, logger: ComponentLogger) {
    super()
    this.#server = server
    this.#upgrader = upgrader
    this.#logger = logger
    this.#log = logger.forComponent('tabtensor:origin-websockets')
  }

  readonly #onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    const path = (req.url ?? '/').split('?')[0]
    if (path !== WEBSOCKET_PATH) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n')
      return
    }
    this.#wss.handleUpgrade(req, socket, head, ws => { this.#onWebSocket(ws, req) })
  }

  #onWebSocket (ws: WebSocket, req: IncomingMessage): void {
    this.#sockets.add(ws)
    ws.once('close', () => this.#sockets.delete(ws))
    const remoteAddr = ipPortToMultiaddr(req.socket.remoteAddress ?? '0.0.0.0', req.socket.remotePort ?? 0).encapsulate('/ws')
    const maConn = webSocketToConnection(ws, remoteAddr, this.#logger.forComponent('tabtensor:origin-websockets:connection'))
    this.#upgrader.upgradeInbound(maConn, { signal: this.#shutdown.signal }).catch(err => {
      this.#log.error('inbound connection from %a failed to upgrade - %e', remoteAddr, err)
      maConn.abort(err as Error)
    })
  }

  async listen (ma: Multiaddr): Promise<void> {
    if (!this.#server.listening) throw new Error('The HTTP server must listen before the relay\'s libp2p node starts.')
    this.#listening = ma
    this.#server.on('upgrade', this.#onUpgrade)
    this.safeDispatchEvent('listening')
  }

  getAddrs (): Multiaddr[] {
    const address = this.#server.address()
    if (this.#listening === undefined || address === null || typeof address === 'string') return []
    return getThinWaistAddresses(this.#listening, address.port).map(ma => ma.encapsulate('/ws'))
  }

  updateAnnounceAddrs (): void {}

  async close (): Promise<void> {
    this.#server.off('upgrade', this.#onUpgrade)
    this.#shutdown.abort()
    for (const ws of this.#sockets) ws.terminate()
    await new Promise<void>(resolve => { this.#wss.close(() => resolve()) })
    this.safeDispatchEvent('close')
  }
}

class OriginWebSockets implements Transport {
  readonly [transportSymbol] = true
  readonly [Symbol.toStringTag] = 'tabtensor:origin-websockets'
  readonly [serviceCapabilities] = ['@libp2p/transport']
  readonly #dialer: Transport
  readonly #server: Server
  readonly #logger: ComponentLogger

  constructor (components: WebSocketsComponents, init: OriginWebSocketsInit) {
    this.#dialer = webSockets({ maxBufferedAmount: MAX_WEBSOCKET_BUFFERED_BYTES, bufferedAmountPollInterval: WEBSOCKET_DRAIN_POLL_MS })(components)
    this.#server = init.server
    this.#logger = components.logger
  }

  async dial (ma: Multiaddr, options: DialTransportOptions): ReturnType<Transport['dial']> {
    return await this.#dialer.dial(ma, options)
  }

  createListener (options: CreateListenerOptions): Listener {
    return new OriginWebSocketsListener(this.#server, options.upgrader, this.#logger)
  }

  listenFilter (multiaddrs: Multiaddr[]): Multiaddr[] {
    return multiaddrs.filter(ma => WebSockets.exactMatch(ma))
  }

  dialFilter (multiaddrs: Multiaddr[]): Multiaddr[] {
    return this.#dialer.dialFilter(multiaddrs)
  }
}

/** WebSockets at the page's origin for listening, `@libp2p/websockets` for dialing. */
export function originWebSockets (init: OriginWebSocketsInit): (components: WebSocketsComponents) => Transport {
  return components => new OriginWebSockets(components, init)
}
