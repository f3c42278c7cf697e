/**
 * One inbound WebSocket (the `ws` module's server socket) as a libp2p multiaddr connection, the
 * same adaptation `@libp2p/websockets` makes for its own listener (which is not exported): binary
 * frames in, backpressure out by polling `bufferedAmount`, a clean close as a close and anything
 * else as a reset.
 */
import { AbstractMultiaddrConnection, repeatingTask, type RepeatingTask } from '@libp2p/utils'
import type { AbortOptions, Logger } from '@libp2p/interface'
import type { Multiaddr } from '@multiformats/multiaddr'
import type { WebSocket } from 'ws'
import { MAX_WEBSOCKET_BUFFERED_BYTES, WEBSOCKET_DRAIN_POLL_MS } from './constants.ts'

class WebSocketConnection extends AbstractMultiaddrConnection {
  readonly #socket: WebSocket
  readonly #drainCheck: RepeatingTask

  constructor (socket: WebSocket, remoteAddr: Multiaddr, log: Logger) {
    super({ remoteAddr, direction: 'inbound', log })
    this.#socket = socket
    this.#drainCheck = repeatingTask(() => {
      if (this.#socket.bufferedAmount === 0) {
        this.#drainCheck.stop()
        this.safeDispatchEvent('drain')
      }
    }, WEBSOCKET_DRAIN_POLL_MS)
    socket.on('message', (data, isBinary) => {
      if (!isBinary || !(data instanceof Uint8Array)) {
        this.abort(new Error('the peer sent a WebSocket frame that is not binary'))
        return
      }
      this.onData(data)
    })
    socket.addEventListener('close', event => {
      this.#drainCheck.stop()
      if (event.wasClean) this.onTransportClosed()
      else this.onRemoteReset()
    }, { once: true })
    socket.on('error', err => { this.log.error('websocket error - %e', err) })
  }

  sendData (data: Parameters<AbstractMultiaddrConnection['sendData']>[0]): { sentBytes: number, canSendMore: boolean } {
    for (const buf of data) this.#socket.send(buf)
    const canSendMore = this.#socket.bufferedAmount < MAX_WEBSOCKET_BUFFERED_BYTES
    if (!canSendMore) this.#drainCheck.start()
    return { sentBytes: data.byteLength, canSendMore }
  }

  sendReset (): void {
    // No close handshake: the peer sees an abnormal closure (1006), as after a dropped connection.
    this.#socket.terminate()
  }

  async sendClose (options?: AbortOptions): Promise<void> {
    this.#socket.close()
    options?.signal?.throwIfAborted()
  }

  // WebSockets have no read backpressure.
  sendPause (): void {}
  sendResume (): void {}
}

export function webSocketToConnection (socket: WebSocket, remoteAddr: Multiaddr, log: Logger): AbstractMultiaddrConnection {
  return new WebSocketConnection(socket, remoteAddr, log)
}
