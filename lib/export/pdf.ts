/**
 * A minimal PDF 1.4 writer for handouts: one page per image, each image a JPEG embedded as is
 * (DCTDecode, so no re-encoding and no dependency) and scaled to fill a 16:9 page. Pure: bytes in,
 * bytes out; the browser loads it on demand with the export code.
 */

export interface JpegPage {
  /** The JPEG file's bytes. */
  jpeg: Uint8Array
  /** Its pixel size (the canvas it was encoded from). */
  width: number
  height: number
}

/** 13.333 × 7.5 in, the widescreen slide size of presentation software, in points. */
export const PAGE_16_9 = { width: 960, height: 540 } as const

const ascii = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0) & 0xff)

/** A PDF text string: UTF-16BE with a byte-order mark, in hex, so any title survives. */
export function pdfText(s: string): string {
  let hex = 'FEFF'
  for (let i = 0; i < s.length; i++) hex += s.charCodeAt(i).toString(16).padStart(4, '0').toUpperCase()
  return `<${hex}>`
}

/** The pixel size stored in a JPEG's start-of-frame segment, or undefined if there is none. */
export function jpegSize(b: Uint8Array): { width: number; height: number } | undefined {
  if (b[0] !== 0xff || b[1] !== 0xd8) return undefined
  let i = 2
  while (i + 9 < b.length) {
    if (b[i] !== 0xff) return undefined
    const marker = b[i + 1]!
    const len = (b[i + 2]! << 8) | b[i + 3]!
    // SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC) carry the frame size.
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc)
      return { height: (b[i + 5]! << 8) | b[i + 6]!, width: (b[i + 7]! << 8) | b[i + 8]! }
    i += 2 + len
  }
  return undefined
}

/** One PDF with a page per JPEG, in order, every page `page` points large. */
export function pdfOfJpegs(pages: JpegPage[], opts: { title?: string; page?: { width: number; height: number } } = {}): Uint8Array {
  const page = opts.page ?? PAGE_16_9
  const parts: Uint8Array[] = []
  const offsets: number[] = []
  let size = 0
  const push = (b: Uint8Array) => {
    parts.push(b)
    size += b.length
  }
  const object = (n: number, dict: string, stream?: Uint8Array) => {
    offsets[n] = size
    if (!stream) return push(ascii(`${n} 0 obj\n${dict}\nendobj\n`))
    push(ascii(`${n} 0 obj\n${dict}\nstream\n`))
    push(stream)
    push(ascii('\nendstream\nendobj\n'))
  }
  // Objects: 1 catalog, 2 page tree, 3 info, then per page: page, content, image.
  const pageObj = (i: number) => 4 + i * 3
  push(ascii('%PDF-1.4\n'))
  push(Uint8Array.from([0x25, 0xe2, 0xe3, 0xcf, 0xd3, 0x0a])) // binary marker line
  object(1, '<< /Type /Catalog /Pages 2 0 R >>')
  const kids = pages.map((_, i) => `${pageObj(i)} 0 R`).join(' ')
  object(2, `<< /Type /Pages /Kids [${kids}] /Count ${pages.length} >>`)
  object(3, `<< /Producer (packetwalk)${opts.title ? ` /Title ${pdfText(opts.title)}` : ''} >>`)
  pages.forEach((p, i) => {
    const n = pageObj(i)
    const draw = ascii(`q ${page.width} 0 0 ${page.height} 0 0 cm /Im0 Do Q`)
    object(
      n,
      `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${page.width} ${page.height}] /Resources << /XObject << /Im0 ${n + 2} 0 R >> >> /Contents ${n + 1} 0 R >>`,
    )
    object(n + 1, `<< /Length ${draw.length} >>`, draw)
    object(
      n + 2,
      `<< /Type /XObject /Subtype /Image /Width ${p.width} /Height ${p.height} /ColorSpace /DeviceRGB /BitsPerComponent 8 /Filter /DCTDecode /Length ${p.jpeg.length} >>`,
      p.jpeg,
    )
  })
  const count = 4 + pages.length * 3
  const xref = size
  let table = `xref\n0 ${count}\n0000000000 65535 f \n`
  for (let n = 1; n < count; n++) table += `${String(offsets[n]).padStart(10, '0')} 00000 n \n`
  push(ascii(`${table}trailer\n<< /Size ${count} /Root 1 0 R /Info 3 0 R >>\nstartxref\n${xref}\n%%EOF\n`))
  const out = new Uint8Array(size)
  let at = 0
  for (const b of parts) {
    out.set(b, at)
    at += b.length
  }
  return out
}
