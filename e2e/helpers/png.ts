/** PNG checks for exported slides: the 8-byte signature and the IHDR width/height. */
export const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]

export function isPng(buf: Uint8Array): boolean {
  return PNG_SIGNATURE.every((b, i) => buf[i] === b)
}

/** Width and height from the IHDR chunk, which always follows the signature. */
export function pngSize(buf: Uint8Array): { width: number; height: number } {
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength)
  return { width: view.getUint32(16), height: view.getUint32(20) }
}
