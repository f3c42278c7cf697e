/**
 * How this project launches Chromium, shared by the tests and `npm run validator`: the binary
 * (Debian's, never downloaded) and the flags measured in /work/shared/reference/browser-stack.md.
 */

/** Flags every Chromium we start gets. */
export const BASE_CHROMIUM_ARGS: readonly string[] = [
  '--no-sandbox',
  // Without these Chromium keeps trying to reach the internet.
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
]

/**
 * Flags and permissions WebRTC between tabs needs: without them Chromium gathers no ICE
 * candidates in a loopback-only network namespace.
 */
export const WEBRTC_CHROMIUM_ARGS: readonly string[] = ['--allow-loopback-in-peer-connection']
export const WEBRTC_PERMISSIONS: readonly string[] = ['camera', 'microphone']

/** Path of the Chromium binary: $CHROMIUM_PATH, else /usr/bin/chromium. */
export function chromiumPath (): string {
  const fromEnv = process.env['CHROMIUM_PATH']
  return fromEnv !== undefined && fromEnv !== '' ? fromEnv : '/usr/bin/chromium'
}
