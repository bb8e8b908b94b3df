import { describe, expect, it } from 'vitest'
import { PAGE_16_9, jpegSize, pdfOfJpegs, pdfText } from './pdf'
import { readPdf } from './pdf-read'

/** Image payloads that contain the words a naive reader would stop at. */
const payload = (i: number) => Uint8Array.from(`\xff\xd8 page ${i}\nendstream\nendobj\n%%EOF binary \x00\x01\xfe`, (c) => c.charCodeAt(0))

describe('PDF writer', () => {
  it('writes one 16:9 page per image with a valid cross-reference table', () => {
    const pages = [1, 2, 3].map((i) => ({ jpeg: payload(i), width: 1920, height: 1080 }))
    const pdf = readPdf(pdfOfJpegs(pages, { title: 'Étape — pod → 1.0.0.1 (test)' }))
    expect(pdf.count).toBe(3)
    expect(pdf.pages).toHaveLength(3)
    pdf.pages.forEach((p, i) => {
      expect(p.mediaBox).toEqual([0, 0, PAGE_16_9.width, PAGE_16_9.height])
      expect(p.image).toMatchObject({ width: 1920, height: 1080, filter: 'DCTDecode' })
      expect([...p.image.bytes]).toEqual([...payload(i + 1)])
    })
    expect(pdf.title).toBe('Étape — pod → 1.0.0.1 (test)')
    expect(PAGE_16_9.width / PAGE_16_9.height).toBeCloseTo(16 / 9, 5)
  })

  it('an empty walk gives a PDF with no page, not a broken file', () => {
    expect(readPdf(pdfOfJpegs([])).count).toBe(0)
  })

  it('encodes titles as UTF-16 so accents and arrows survive', () => {
    expect(pdfText('é→')).toBe('<FEFF00E92192>')
  })

  it('reads the frame size of a JPEG, and refuses what is not one', () => {
    // SOI, an APP0 segment of length 4, then SOF0 (length 17): height 0x0438 = 1080, width 0x0780 = 1920.
    const jpeg = Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x04, 0x00, 0x00, 0xff, 0xc0, 0x00, 0x11, 0x08, 0x04, 0x38, 0x07, 0x80, 0x03, 0, 0, 0, 0, 0, 0])
    expect(jpegSize(jpeg)).toEqual({ width: 1920, height: 1080 })
    expect(jpegSize(Uint8Array.from([0x89, 0x50, 0x4e, 0x47]))).toBeUndefined()
  })
})
