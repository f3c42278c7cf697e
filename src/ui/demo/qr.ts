/**
 * A QR code as an SVG path, from qrcode-generator (MIT, pinned): medium error correction
 * (15 % of the code may be covered or smudged and it still scans from across a room), the
 * smallest version that fits, one `M x y h1 v1 h-1 z` square per dark module.
 */
import qrcode from 'qrcode-generator'

export interface QrPath {
  /** Modules per side, without the quiet zone. */
  size: number
  /** The dark modules, in module units. */
  d: string
}

export function qrPath (text: string): QrPath {
  const qr = qrcode(0, 'M')
  qr.addData(text, 'Byte')
  qr.make()
  const size = qr.getModuleCount()
  let d = ''
  for (let row = 0; row < size; row++) {
    for (let col = 0; col < size; col++) if (qr.isDark(row, col)) d += `M${col} ${row}h1v1h-1z`
  }
  return { size, d }
}
