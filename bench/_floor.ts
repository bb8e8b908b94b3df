import { parserCases } from './parsers.bench'
import { interleavedMedians } from './measure'
import { splitLines } from '@/lib/parsers/common'
class Rec { declare line: number; declare text: string; declare a: string; declare b: number; declare c: number; #x: unknown
  constructor(line: number, text: string) { this.line = line; this.text = text; this.a = 'tcp'; this.b = 6; this.c = 1; this.#x = undefined }
  get x() { return this.#x } }
class Rec4 { declare line: number; declare text: string; declare a: string; #x: unknown
  constructor(line: number, text: string) { this.line = line; this.text = text; this.a = 'tcp'; this.#x = undefined }
  get x() { return this.#x } }
class Rec9 { declare line: number; declare text: string; declare a: string; declare b: number; declare c: number; declare d: string; #x: unknown; #y: unknown; #z: unknown
  constructor(line: number, text: string) { this.line = line; this.text = text; this.a = 'tcp'; this.b = 6; this.c = 1; this.d = 'ipv4'; this.#x = undefined; this.#y = undefined; this.#z = undefined }
  get x() { return this.#x } get y() { return this.#y } get z() { return this.#z } }
function floor4(text: string) { const out: Rec4[] = []; const n = text.length; let start = 0; let ln = 0
  while (start < n) { let end = text.indexOf('\n', start); if (end === -1) end = n; out.push(new Rec4(++ln, text.slice(start, end))); start = end + 1 } return out }
function floor9(text: string) { const out: Rec9[] = []; const n = text.length; let start = 0; let ln = 0
  while (start < n) { let end = text.indexOf('\n', start); if (end === -1) end = n; out.push(new Rec9(++ln, text.slice(start, end))); start = end + 1 } return out }
class Rec2 { declare line: number; declare input: string; declare start: number; declare end: number; declare a: string; #x: unknown
  constructor(line: number, input: string, start: number, end: number) { this.line = line; this.input = input; this.start = start; this.end = end; this.a = 'tcp'; this.#x = undefined }
  get x() { return this.#x } }
function floor(text: string) { const out: Rec[] = []; const n = text.length; let start = 0; let ln = 0
  while (start < n) { let end = text.indexOf('\n', start); if (end === -1) end = n; out.push(new Rec(++ln, text.slice(start, end))); start = end + 1 } return out }
function floorNoSlice(text: string) { const out: Rec2[] = []; const n = text.length; let start = 0; let ln = 0
  while (start < n) { let end = text.indexOf('\n', start); if (end === -1) end = n; out.push(new Rec2(++ln, text, start, end)); start = end + 1 } return out }
const which = process.argv[2] ?? 'Nf'
for (const c of parserCases().filter((c) => c.name.includes(which))) {
  const m = interleavedMedians([() => splitLines(c.input), () => floor(c.input), () => floorNoSlice(c.input), () => c.parse(c.input), () => floor4(c.input), () => floor9(c.input)], { runs: 11 })
  const [b, f, f2, p, f4, f9] = m.ms as number[]
  console.log('floor4', (f4! / b!).toFixed(2), 'floor9', (f9! / b!).toFixed(2))
  console.log(c.name, 'base', b!.toFixed(2), 'floor(obj+slice)', f!.toFixed(2), (f! / b!).toFixed(2), 'floor(obj only)', f2!.toFixed(2), (f2! / b!).toFixed(2), 'parse', p!.toFixed(2), (p! / b!).toFixed(2))
}
