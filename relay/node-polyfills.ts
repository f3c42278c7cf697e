/**
 * What libp2p 3 expects of its host and Node 20 lacks: `Promise.withResolvers` (ES2024) and a
 * global `WebSocket` (Node 22 has one; Node 20 only behind `--experimental-websocket`), which
 * `@libp2p/websockets` dials with when this relay peers with other relays. Import this module
 * before anything that loads libp2p; on a Node that has both it does nothing.
 */
import { WebSocket as NodeWebSocket } from 'ws'

if (typeof (Promise as { withResolvers?: unknown }).withResolvers !== 'function') {
  Object.defineProperty(Promise, 'withResolvers', {
    configurable: true,
    writable: true,
    value: function withResolvers<T> () {
      let resolve!: (value: T | PromiseLike<T>) => void
      let reject!: (reason?: unknown) => void
      const promise = new Promise<T>((res, rej) => { resolve = res; reject = rej })
      return { promise, resolve, reject }
    }
  })
}

if (typeof globalThis.WebSocket !== 'function') {
  Object.defineProperty(globalThis, 'WebSocket', { configurable: true, writable: true, value: NodeWebSocket })
}

export {}
