/**
 * WebRTC tests may send traffic to loopback only, and Chromium gathers loopback ICE candidates
 * only when the machine has no other interface. `npm test` (scripts/test.mjs) runs the suite in
 * such a network namespace when it is root; this check makes a WebRTC test fail loudly, never
 * skip, when it runs anywhere else.
 */
import { networkInterfaces } from 'node:os'

export function assertLoopbackOnlyNetwork (): void {
  const others = Object.keys(networkInterfaces()).filter(name => name !== 'lo')
  if (others.length > 0) {
    throw new Error(
      `This WebRTC test needs a network namespace with only the loopback interface, but ${others.join(', ')} ${others.length === 1 ? 'is' : 'are'} present. ` +
      'Run `npm test` as root: it runs the tests under `unshare -n` with only `lo` up.'
    )
  }
}
