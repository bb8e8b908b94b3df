/**
 * Reads back what the PDF writer wrote, for tests: follows startxref to the cross-reference table,
 * checks that every offset points at its object, and lists the pages with their images. It knows
 * only the subset `pdfOfJpegs` writes (one xref section, uncompressed dictionaries).
 */
export interface ReadPdf {
  count: number
  pages: { mediaBox: number[]; image: { width: number; height: number; filter: string; bytes: Uint8Array } }[]
  title?: string
}

const text = (b: Uint8Array, from = 0, to = b.length) => {
  let s = ''
  for (let i = from; i < to; i++) s += String.fromCharCode(b[i]!)
  return s
}

export function readPdf(b: Uint8Array): ReadPdf {
  const all = text(b)
  if (!all.startsWith('%PDF-')) throw new Error('not a PDF: no %PDF- header')
  const sx = /startxref\s+(\d+)\s+%%EOF\s*$/.exec(all)
  if (!sx) throw new Error('no startxref at the end')
  const xrefAt = Number(sx[1])
  const head = /^xref\s+0 (\d+)\s+/.exec(all.slice(xrefAt))
  if (!head) throw new Error(`startxref ${xrefAt} does not point at an xref table`)
  const size = Number(head[1])
  const rows = all.slice(xrefAt + head[0].length).split('\n').slice(0, size)
  const objects = new Map<number, { dict: string; stream?: Uint8Array }>()
  rows.forEach((row, n) => {
    if (n === 0) return
    const m = /^(\d{10}) 00000 n $/.exec(row)
    if (!m) throw new Error(`xref row ${n} malformed: ${JSON.stringify(row)}`)
    const at = Number(m[1])
    const start = `${n} 0 obj\n`
    if (all.slice(at, at + start.length) !== start) throw new Error(`xref offset of object ${n} points elsewhere`)
    const body = at + start.length
    const streamAt = all.indexOf('\nstream\n', body)
    const endObj = all.indexOf('\nendobj', body)
    if (streamAt >= 0 && streamAt < endObj) {
      const dict = all.slice(body, streamAt)
      const len = Number(/\/Length (\d+)/.exec(dict)?.[1])
      const from = streamAt + '\nstream\n'.length
      if (all.slice(from + len, from + len + '\nendstream'.length) !== '\nendstream') throw new Error(`object ${n}: /Length ${len} does not end at endstream`)
      objects.set(n, { dict, stream: b.slice(from, from + len) })
    } else objects.set(n, { dict: all.slice(body, endObj) })
  })
  const ref = (dict: string, key: string) => Number(new RegExp(`/${key} (\\d+) 0 R`).exec(dict)?.[1])
  const trailer = all.slice(all.lastIndexOf('trailer'))
  const catalog = objects.get(ref(trailer, 'Root'))
  if (!catalog) throw new Error('no catalog')
  const tree = objects.get(ref(catalog.dict, 'Pages'))
  if (!tree) throw new Error('no page tree')
  const count = Number(/\/Count (\d+)/.exec(tree.dict)?.[1])
  const kids = [.../\/Kids \[([^\]]*)\]/.exec(tree.dict)?.[1]?.matchAll(/(\d+) 0 R/g) ?? []].map((m) => Number(m[1]))
  const pages = kids.map((k) => {
    const p = objects.get(k)
    if (!p || !/\/Type \/Page\b/.test(p.dict)) throw new Error(`kid ${k} is not a page`)
    const mediaBox = (/\/MediaBox \[([^\]]*)\]/.exec(p.dict)?.[1] ?? '').trim().split(/\s+/).map(Number)
    const im = objects.get(Number(/\/Im0 (\d+) 0 R/.exec(p.dict)?.[1]))
    if (!im?.stream) throw new Error(`page ${k} has no image`)
    return {
      mediaBox,
      image: {
        width: Number(/\/Width (\d+)/.exec(im.dict)?.[1]),
        height: Number(/\/Height (\d+)/.exec(im.dict)?.[1]),
        filter: /\/Filter \/(\w+)/.exec(im.dict)?.[1] ?? '',
        bytes: im.stream,
      },
    }
  })
  const info = objects.get(ref(trailer, 'Info'))
  const hex = info && /\/Title <FEFF([0-9A-F]*)>/.exec(info.dict)?.[1]
  const title = hex ? String.fromCharCode(...(hex.match(/.{4}/g) ?? []).map((h) => parseInt(h, 16))) : undefined
  return { count, pages, title }
}
