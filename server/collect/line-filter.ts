/**
 * The streaming filter of big tables (`cilium bpf ct list global`, `cilium bpf nat list`,
 * /proc/net/nf_conntrack): a node can hold a million entries, more than any output cap, and the
 * flow's entry may be anywhere. The stream is scanned chunk by chunk as it arrives; only the lines
 * naming one of the flow's addresses are kept, with their line numbers in the full output and the
 * count of lines seen, so the capture says exactly what was left out. Memory stays at one chunk
 * plus the kept lines, whatever the table's size.
 */

export interface FilterNote {
  /** the addresses a kept line names */
  needles: string[]
  /** lines of the full output */
  totalLines: number
  keptLines: number
  /** 1-based line numbers, in the full output, of the kept lines (stdout line i is lineNumbers[i-1]) */
  lineNumbers: number[]
  /** the kept lines went over the byte cap: later matches were dropped */
  truncated?: boolean
}

const NL = 10
const isDigit = (c: number | undefined) => c !== undefined && c >= 48 && c <= 57

/** `10.0.0.1` must not match inside `110.0.0.1` or `10.0.0.12` (nor `10.0.0.1.5`). */
function standsAlone(b: Buffer, at: number, len: number): boolean {
  const before = at > 0 ? b[at - 1] : undefined
  if (isDigit(before) || before === 46 || before === 58) return before === 58 && !isHex(b[at - 2]) // `[::ffff:` style prefixes
  const after = b[at + len]
  if (isDigit(after)) return false
  if (after === 46 && isDigit(b[at + len + 1])) return false
  return true
}
const isHex = (c: number | undefined) => c !== undefined && (isDigit(c) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70))

function countNewlines(b: Buffer, from: number, to: number): number {
  let n = 0
  let i = b.indexOf(NL, from)
  while (i !== -1 && i < to) {
    n++
    i = b.indexOf(NL, i + 1)
  }
  return n
}

export class LineFilter {
  private readonly needles: Buffer[]
  private carry: Buffer = Buffer.alloc(0)
  private kept: Buffer[] = []
  private keptBytes = 0
  private lines = 0
  private readonly lineNumbers: number[] = []
  private over = false

  constructor(
    readonly needleText: readonly string[],
    private readonly maxBytes: number,
  ) {
    this.needles = [...new Set(needleText.filter((n) => n !== ''))].map((n) => Buffer.from(n, 'latin1'))
  }

  push(chunk: Buffer): void {
    const buf = this.carry.length ? Buffer.concat([this.carry, chunk]) : chunk
    const lastNl = buf.lastIndexOf(NL)
    if (lastNl === -1) {
      this.carry = Buffer.from(buf)
      return
    }
    this.scan(buf, lastNl + 1)
    // a copy: a slice would pin the whole chunk in memory until the next one
    this.carry = lastNl + 1 < buf.length ? Buffer.from(buf.subarray(lastNl + 1)) : Buffer.alloc(0)
  }

  /** Call once the stream has ended: a last line without a newline is scanned too. */
  end(): void {
    if (this.carry.length) {
      const last = Buffer.concat([this.carry, Buffer.from([NL])])
      this.carry = Buffer.alloc(0)
      this.scan(last, last.length)
    }
  }

  /** Scans b[0, end), which ends with a newline. */
  private scan(b: Buffer, end: number): void {
    const starts = new Set<number>()
    for (const n of this.needles) {
      let i = b.indexOf(n, 0)
      while (i !== -1 && i < end) {
        if (standsAlone(b, i, n.length)) starts.add(i === 0 ? 0 : b.lastIndexOf(NL, i - 1) + 1)
        i = b.indexOf(n, i + n.length)
      }
    }
    const base = this.lines
    if (starts.size) {
      let pos = 0
      let lineNo = base
      for (const s of [...starts].sort((x, y) => x - y)) {
        lineNo += countNewlines(b, pos, s)
        pos = s
        const e = b.indexOf(NL, s)
        const line = b.subarray(s, e + 1)
        if (this.keptBytes + line.length > this.maxBytes) {
          this.over = true
          continue
        }
        this.kept.push(Buffer.from(line))
        this.keptBytes += line.length
        this.lineNumbers.push(lineNo + 1)
      }
    }
    this.lines = base + countNewlines(b, 0, end)
  }

  text(): string {
    return new TextDecoder('utf-8', { fatal: false }).decode(Buffer.concat(this.kept))
  }

  note(): FilterNote {
    const n: FilterNote = { needles: this.needles.map((b) => b.toString('latin1')), totalLines: this.lines + (this.carry.length ? 1 : 0), keptLines: this.lineNumbers.length, lineNumbers: [...this.lineNumbers] }
    if (this.over) n.truncated = true
    return n
  }
}
