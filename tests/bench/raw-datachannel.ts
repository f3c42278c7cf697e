/**
 * The baseline for block exchange: the same bytes between the same two tabs over a bare
 * RTCDataChannel, with what a careful hand-written transfer does — 64 KiB messages, the send
 * buffer kept between 1 and 4 MiB (`bufferedAmountLowThreshold`), the receiver acknowledging the
 * last byte. The test driver carries the SDP between the pages (no trickle: each side waits for
 * ICE gathering to finish).
 */
import type { Page } from 'playwright-core'

type RawWindow = Window & { __raw: { pc: RTCPeerConnection, channel?: RTCDataChannel, received?: number } }

/** Opens a data channel from `sender` to `receiver`, both fresh RTCPeerConnections with host candidates only. */
export async function connectRaw (sender: Page, receiver: Page): Promise<void> {
  const offer = await sender.evaluate(async () => {
    const pc = new RTCPeerConnection({ iceServers: [] })
    const channel = pc.createDataChannel('raw', { ordered: true })
    channel.binaryType = 'arraybuffer'
    ;(window as unknown as RawWindow).__raw = { pc, channel }
    await pc.setLocalDescription(await pc.createOffer())
    await new Promise<void>(resolve => { if (pc.iceGatheringState === 'complete') resolve(); else pc.addEventListener('icegatheringstatechange', () => { if (pc.iceGatheringState === 'complete') resolve() }) })
    return pc.localDescription!.toJSON() as RTCSessionDescriptionInit
  })
  const answer = await receiver.evaluate(async offer => {
    const pc = new RTCPeerConnection({ iceServers: [] })
    const raw: RawWindow['__raw'] = { pc }
    ;(window as unknown as RawWindow).__raw = raw
    pc.addEventListener('datachannel', event => {
      raw.channel = event.channel
      raw.channel.binaryType = 'arraybuffer'
    })
    await pc.setRemoteDescription(offer)
    await pc.setLocalDescription(await pc.createAnswer())
    await new Promise<void>(resolve => { if (pc.iceGatheringState === 'complete') resolve(); else pc.addEventListener('icegatheringstatechange', () => { if (pc.iceGatheringState === 'complete') resolve() }) })
    return pc.localDescription!.toJSON() as RTCSessionDescriptionInit
  }, offer)
  await sender.evaluate(async answer => {
    const { pc, channel } = (window as unknown as RawWindow).__raw
    await pc.setRemoteDescription(answer)
    if (channel!.readyState !== 'open') await new Promise(resolve => channel!.addEventListener('open', resolve, { once: true }))
  }, answer)
  await receiver.waitForFunction(() => (window as unknown as RawWindow).__raw.channel?.readyState === 'open')
}

/** Sends `size` pseudo-random bytes (seed `seed`) from `sender` to `receiver`; returns the milliseconds from the first send to the receiver's acknowledgement of the last byte. */
export async function rawTransfer (sender: Page, receiver: Page, size: number, seed: number): Promise<number> {
  await receiver.evaluate(size => {
    const raw = (window as unknown as RawWindow).__raw
    let received = 0
    raw.channel!.onmessage = event => {
      received += (event.data as ArrayBuffer).byteLength
      if (received === size) raw.channel!.send('done')
    }
  }, size)
  return await sender.evaluate(async ({ size, seed }) => {
    const bytes = new Uint8Array(size)
    let x = seed | 0 || 1
    for (let i = 0; i < size; i++) {
      x ^= x << 13; x ^= x >>> 17; x ^= x << 5
      bytes[i] = x & 0xff
    }
    const channel = (window as unknown as RawWindow).__raw.channel!
    const MESSAGE = 64 * 1024
    const HIGH = 4 * 1024 * 1024
    channel.bufferedAmountLowThreshold = 1024 * 1024
    const done = new Promise<void>(resolve => { channel.onmessage = () => { resolve() } })
    const started = performance.now()
    for (let offset = 0; offset < size; offset += MESSAGE) {
      if (channel.bufferedAmount > HIGH) await new Promise(resolve => channel.addEventListener('bufferedamountlow', resolve, { once: true }))
      channel.send(bytes.subarray(offset, offset + MESSAGE))
    }
    await done
    return performance.now() - started
  }, { size, seed })
}
