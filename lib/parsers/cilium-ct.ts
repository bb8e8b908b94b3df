/**
 * parseCiliumCt — `cilium bpf ct list global` (and per-endpoint `cilium bpf ct list <id>`), every era.
 *
 *   TCP OUT 10.244.0.213:46486 -> 1.0.0.1:80 expires=17755044 RxPackets=4 … Flags=0x0013 [ RxClosing TxClosing SeenNonSyn ] RevNAT=0 SourceSecurityID=42837 IfIndex=0
 *   → { line: 1, protocol: 'TCP', direction: 'OUT', src: '10.244.0.213', sport: 46486, dst: '1.0.0.1', dport: 80,
 *       expires: 17755044, flagsValue: '0x0013', flags: ['RxClosing', 'TxClosing', 'SeenNonSyn'], revNat: 0,
 *       sourceSecurityId: 42837, ifIndex: 0, text: '<the line, trimmed>' }
 *
 * Formats read:
 * - 2018: `TCP IN [f00d::…]:12865 -> [f00d::…]:41471  expires=2156 rx_packets=2 … flags=13 revnat=0 src_sec_id=55058`
 * - 1.5: `TCP IN 10.15.0.1 9090:34382 expires=… Flags=13 RevNAT=0 SourceSecurityID=2` — one address and the
 *   port pair as printed (sport:dport); which end the address is, the line does not say: it goes to
 *   `address`, src/dst stay ''.
 * - ~1.14: `… -> … service expires=… RxFlagsSeen=… RevNAT=5 SourceSecurityID=0 IfIndex=0`
 * - 2025: `TCP SVC …`, `Packets=`/`Bytes=`, `BackendID=`, `NatPort=`.
 * `related` and `service` words become flags of the record; an `SVC` entry is a service entry.
 *
 * A node's table holds 100,000s of entries and a walk looks for one flow, so a line is read in two
 * steps. Up front: line, text, protocol, direction (constants, no copies) and the shape that makes
 * the line an entry (`<src> -> <dst>`, found with a native search for `>`; the 1.5 form's address
 * and ports). Read on first access and cached (prototype getters): the tuple — src, sport, dst,
 * dport together (cutting two addresses out of 100,000 lines up front costs twice the line split
 * on its own, measured; the engine reads them entry by entry when it matches a flow) — and the
 * `Key=value` tail: expires, flags, RevNAT, identity, related/service… The record has the same
 * fields and values as if read whole. Whether a line is an entry is decided by its head exactly as
 * before (neither the tuple's contents nor the tail ever made a line unreadable), so the
 * diagnostics are the same; an oddity found later leaves its field undefined, as it always did.
 */
import type { CiliumCtRecord, Diagnostic, ParseResult } from '@/lib/model/records'
import { LineCursor } from './common'
import * as scan from './scan'
import { noteSkipped } from './skipped'

// Bound once: under a CommonJS transpile an imported name is a property read on every call.
const { endsAt, isAt, setOwn, skipBlanks, trimmedFrom, uintOr, withoutUndefined, wordEnd } = scan

export function parseCiliumCt(text: string): ParseResult<CiliumCtRecord> {
  const records: CiliumCtRecord[] = []
  const diagnostics: Diagnostic[] = []
  // the next tab of the text: lines before it have none, and take the quick reading
  let tab = text.indexOf('\t')
  const lines = new LineCursor(text)
  while (lines.next()) {
    const { ln, from, stop } = lines
    if (stop === from) continue
    if (tab !== -1 && tab < from) tab = text.indexOf('\t', from)
    const raw = text.slice(from, stop)
    const rec = ctEntry(ln, raw, tab === -1 || tab >= stop)
    if (rec) records.push(rec)
    else noteSkipped(diagnostics, ln, raw, 'a Cilium conntrack entry')
  }
  return { records, diagnostics }
}

/** The decoded tail of an entry, built on first access of any of its fields. */
class CtTail {
  related: boolean | undefined = undefined
  service: boolean | undefined = undefined
  revNat: number | undefined = undefined
  sourceSecurityId: number | undefined = undefined
  ifIndex: number | undefined = undefined
  flags: string[] | undefined = undefined
  expires: number | undefined = undefined
  flagsValue: string | undefined = undefined
  backendId: number | undefined = undefined
  natPort: number | undefined = undefined
}

/** The tuple of an entry: read on first access of src, sport, dst or dport. */
interface CtTuple {
  src: string
  sport: number | undefined
  dst: string
  dport: number | undefined
}

/**
 * One entry. Own fields, set in the constructor in one fixed order (every entry has one shape):
 * line, text, protocol, direction, address. The tuple (src, sport, dst, dport) is read from `text`
 * on first access of any of its fields, the tail fields on first access of any of them; the caches
 * are private fields, so a record's keys, its JSON and its equality are its fields.
 */
class CtEntry implements CiliumCtRecord {
  declare line: number
  declare text: string
  declare protocol: string
  declare direction: string
  declare address: string | undefined
  #tuple: CtTuple | undefined
  #tail: CtTail | undefined

  constructor(line: number, text: string, protocol: string, direction: string, address: string | undefined, tuple: CtTuple | undefined) {
    this.line = line
    this.text = text
    this.protocol = protocol
    this.direction = direction
    this.address = address
    this.#tuple = tuple
    this.#tail = undefined
  }

  #tp(): CtTuple {
    return (this.#tuple ??= readTuple(this.text))
  }

  #t(): CtTail {
    return (this.#tail ??= readTail(this.text, head(this.text, 0), this.direction === 'SVC'))
  }

  get src(): string { return this.#tp().src }
  set src(v: string) { setOwn(this, 'src', v) }
  get sport(): number | undefined { return this.#tp().sport }
  set sport(v: number | undefined) { setOwn(this, 'sport', v) }
  get dst(): string { return this.#tp().dst }
  set dst(v: string) { setOwn(this, 'dst', v) }
  get dport(): number | undefined { return this.#tp().dport }
  set dport(v: number | undefined) { setOwn(this, 'dport', v) }
  get related(): boolean | undefined { return this.#t().related }
  set related(v: boolean | undefined) { setOwn(this, 'related', v) }
  get service(): boolean | undefined { return this.#t().service }
  set service(v: boolean | undefined) { setOwn(this, 'service', v) }
  get revNat(): number | undefined { return this.#t().revNat }
  set revNat(v: number | undefined) { setOwn(this, 'revNat', v) }
  get sourceSecurityId(): number | undefined { return this.#t().sourceSecurityId }
  set sourceSecurityId(v: number | undefined) { setOwn(this, 'sourceSecurityId', v) }
  get ifIndex(): number | undefined { return this.#t().ifIndex }
  set ifIndex(v: number | undefined) { setOwn(this, 'ifIndex', v) }
  get flags(): string[] | undefined { return this.#t().flags }
  set flags(v: string[] | undefined) { setOwn(this, 'flags', v) }
  get expires(): number | undefined { return this.#t().expires }
  set expires(v: number | undefined) { setOwn(this, 'expires', v) }
  get flagsValue(): string | undefined { return this.#t().flagsValue }
  set flagsValue(v: string | undefined) { setOwn(this, 'flagsValue', v) }
  get backendId(): number | undefined { return this.#t().backendId }
  set backendId(v: number | undefined) { setOwn(this, 'backendId', v) }
  get natPort(): number | undefined { return this.#t().natPort }
  set natPort(v: number | undefined) { setOwn(this, 'natPort', v) }

  /** Every field, the lazy ones included, undefined ones left out (JSON.stringify, logs, test comparisons). */
  toJSON(): CiliumCtRecord {
    return withoutUndefined({
      line: this.line, text: this.text, protocol: this.protocol, direction: this.direction, src: this.src, sport: this.sport,
      dst: this.dst, dport: this.dport, address: this.address, related: this.related, service: this.service, revNat: this.revNat,
      sourceSecurityId: this.sourceSecurityId, ifIndex: this.ifIndex, flags: this.flags, expires: this.expires,
      flagsValue: this.flagsValue, backendId: this.backendId, natPort: this.natPort,
    })
  }
}

/** src, sport, dst, dport of an entry's text (an entry in the `src -> dst` form: the 1.5 form's are set when it is read). */
function readTuple(text: string): CtTuple {
  head(text, 0)
  const sport = portOf(text, hA, hAe)
  const dport = portOf(text, hB, hBe)
  return {
    src: hostAt(text, hA, portColon(text, hA, hAe)),
    sport: sport < 0 ? undefined : sport,
    dst: hostAt(text, hB, portColon(text, hB, hBe)),
    dport: dport < 0 ? undefined : dport,
  }
}

// What readHead last read (one line is read at a time: no object per line).
let hProtocol: string | undefined
let hDirection: string | undefined
/** `src -> dst` (true) or the 1.5 `address sport:dport` */
let hArrow = false
let hA = 0
let hAe = 0
let hB = 0
let hBe = 0

/**
 * Reads `TCP OUT <src> -> <dst>` or the 1.5 `TCP IN <address> <sport>:<dport>` from p0, the line's
 * first non-blank. Returns where the head ends (the tail starts), or -1 when the line is not an
 * entry; what it read is left in h*. Words end at a space (a native search) — or, when `tabs`, at a
 * space or a tab: head() reads again that way when the head holds a tab.
 */
function readHead(raw: string, p0: number, tabs: boolean): number {
  hProtocol = protocolAt(raw, p0)
  if (hProtocol === undefined) return -1
  const p1 = next(raw, p0 + hProtocol.length)
  hDirection = directionAt(raw, p1)
  if (hDirection === undefined) return -1
  const p2 = next(raw, p1 + hDirection.length)
  const p2e = end(raw, p2, tabs)
  const p3 = next(raw, p2e)
  const p3e = end(raw, p3, tabs)
  if (p2e === p2 || p3e === p3) return -1
  hA = p2
  hAe = p2e
  hArrow = p3e - p3 === 2 && raw.charCodeAt(p3) === 45 && raw.charCodeAt(p3 + 1) === 62 /* -> */
  if (!hArrow) {
    hB = p3
    hBe = p3e
    return p3e
  }
  const p4 = next(raw, p3e)
  const p4e = end(raw, p4, tabs)
  if (p4e === p4) return -1
  hB = p4
  hBe = p4e
  return p4e
}

/** End of the word at i: the next space, or with `tabs` the next space or tab. */
function end(raw: string, i: number, tabs: boolean): number {
  if (tabs) return wordEnd(raw, i)
  const e = raw.indexOf(' ', i)
  return e === -1 ? raw.length : e
}

/** Start of the word at or after i, where i is usually the one blank before it. */
function next(raw: string, i: number): number {
  const c = raw.charCodeAt(i)
  if (c !== 32 && c !== 9) return i < raw.length ? i : raw.length
  const d = raw.charCodeAt(i + 1)
  return d === 32 || d === 9 ? skipBlanks(raw, i + 1) : i + 1
}

/** readHead, again with tabs as separators when the head it read holds one. */
function head(raw: string, p0: number): number {
  const e = readHead(raw, p0, false)
  if (e === -1) return -1
  const tab = raw.indexOf('\t', p0)
  return tab !== -1 && tab < e ? readHead(raw, p0, true) : e
}

function ctEntry(line: number, raw: string, noTab: boolean): CtEntry | undefined {
  // the usual spelling, `TCP OUT <src> -> <dst> …` with single spaces: recognised with two native
  // searches and a few characters, the tuple left in the text
  if (noTab) {
    const protocol = quickProtocol(raw)
    const direction = protocol === undefined ? undefined : quickDirection(raw, protocol.length + 1)
    if (protocol !== undefined && direction !== undefined) {
      const a = protocol.length + direction.length + 2
      const arrow = raw.indexOf('>', a)
      if (
        arrow > a + 2 &&
        raw.charCodeAt(arrow - 1) === 45 /* - */ &&
        raw.charCodeAt(arrow - 2) === 32 &&
        raw.charCodeAt(arrow + 1) === 32 &&
        raw.charCodeAt(arrow + 2) > 32 &&
        raw.indexOf(' ', a) === arrow - 2
      ) {
        return new CtEntry(line, trimmedFrom(raw, 0), protocol, direction, undefined, undefined)
      }
    }
  }
  // any other spelling: word by word
  let p0 = 0
  const c = raw.charCodeAt(0)
  if (c === 32 || c === 9) p0 = skipBlanks(raw, 0)
  if (head(raw, p0) === -1) return undefined
  const protocol = hProtocol as string
  const direction = hDirection as string
  const text = trimmedFrom(raw, p0)
  if (hArrow) return new CtEntry(line, text, protocol, direction, undefined, undefined)
  // 1.5: `TCP IN 10.15.0.1 9090:34382`
  const colon = raw.indexOf(':', hB)
  if (colon === -1 || colon > hBe) return undefined
  const sport = uintOr(raw, hB, colon)
  const dport = uintOr(raw, colon + 1, hBe)
  if (sport < 0 || dport < 0) return undefined
  return new CtEntry(line, text, protocol, direction, raw.slice(hA, hAe), { src: '', sport, dst: '', dport })
}

/** TCP/UDP/ICMP followed by one space at the start of `raw`, by char codes; else undefined. */
function quickProtocol(raw: string): string | undefined {
  const c = raw.charCodeAt(0)
  const c1 = raw.charCodeAt(1)
  const c2 = raw.charCodeAt(2)
  const c3 = raw.charCodeAt(3)
  if (c === 84 && c1 === 67 && c2 === 80 && c3 === 32) return 'TCP'
  if (c === 85 && c1 === 68 && c2 === 80 && c3 === 32) return 'UDP'
  if (c === 73 && c1 === 67 && c2 === 77 && c3 === 80 && raw.charCodeAt(4) === 32) return 'ICMP'
  return undefined
}

/** OUT/IN/SVC followed by one space at a, by char codes; else undefined. */
function quickDirection(raw: string, a: number): string | undefined {
  const c = raw.charCodeAt(a)
  const c1 = raw.charCodeAt(a + 1)
  const c2 = raw.charCodeAt(a + 2)
  if (c === 79 && c1 === 85 && c2 === 84 && raw.charCodeAt(a + 3) === 32) return 'OUT'
  if (c === 73 && c1 === 78 && c2 === 32) return 'IN'
  if (c === 83 && c1 === 86 && c2 === 67 && raw.charCodeAt(a + 3) === 32) return 'SVC'
  return undefined
}

/**
 * The port of the `addr:port` word s[a, b), or -1. Read from the end: the digits, then the colon,
 * which must be the word's only one (a bare IPv6 address has no port); other spellings (brackets,
 * a port that is not a number) go the long way.
 */
function portOf(s: string, a: number, b: number): number {
  let v = 0
  let mul = 1
  let i = b - 1
  for (; i > a && mul <= 10000; i--) {
    const d = s.charCodeAt(i) - 48
    if (d < 0 || d > 9) break
    v += d * mul
    mul *= 10
  }
  if (mul > 1 && s.charCodeAt(i) === 58 && s.charCodeAt(a) !== 91) return s.indexOf(':', a) === i && v <= 65535 ? v : -1
  const c = portColon(s, a, b)
  if (c >= b) return -1
  const p = uintOr(s, c + 1, b)
  return p <= 65535 ? p : -1
}

const PROTOCOLS = ['TCP', 'UDP', 'ICMP', 'ICMPv6', 'SCTP']




/** raw[a, b) when it is one of `words` (returning the constant: no copy per entry), else undefined. */
function oneOf(raw: string, a: number, b: number, words: readonly string[]): string | undefined {
  const len = b - a
  for (let k = 0; k < words.length; k++) {
    const w = words[k] as string
    if (w.length === len && isAt(raw, a, w)) return w
  }
  return undefined
}



/**
 * The protocol word at a: TCP, UDP, ICMP… as constants (compared by char codes: no copy, no
 * search), or an unnamed protocol printed upper-case or as a number.
 */
function protocolAt(raw: string, a: number): string | undefined {
  const c = raw.charCodeAt(a)
  // a protocol starts with a capital or a digit: most lines that are not entries stop here
  if (!((c >= 65 && c <= 90) || (c >= 48 && c <= 57))) return undefined
  const c1 = raw.charCodeAt(a + 1)
  const c2 = raw.charCodeAt(a + 2)
  if (c === 84 && c1 === 67 && c2 === 80 && endsAt(raw, a + 3)) return 'TCP'
  if (c === 85 && c1 === 68 && c2 === 80 && endsAt(raw, a + 3)) return 'UDP'
  const b = wordEnd(raw, a)
  const known = oneOf(raw, a, b, PROTOCOLS)
  if (known) return known
  return b - a <= 8 ? raw.slice(a, b) : undefined
}

/** OUT, IN or SVC at a, else undefined. */
function directionAt(raw: string, a: number): string | undefined {
  const c = raw.charCodeAt(a)
  const c1 = raw.charCodeAt(a + 1)
  if (c === 79 && c1 === 85 && raw.charCodeAt(a + 2) === 84 && endsAt(raw, a + 3)) return 'OUT'
  if (c === 73 && c1 === 78 && endsAt(raw, a + 2)) return 'IN'
  if (c === 83 && c1 === 86 && raw.charCodeAt(a + 2) === 67 && endsAt(raw, a + 3)) return 'SVC'
  return undefined
}


/** Index of the colon before the port in s[a, b), or b when there is none (bare IPv6 included). */
function portColon(s: string, a: number, b: number): number {
  if (s.charCodeAt(a) === 91 /* [ */) {
    const close = s.indexOf(']', a)
    return close !== -1 && close + 1 < b && s.charCodeAt(close + 1) === 58 ? close + 1 : b
  }
  // the last colon of the word is the port's when it is the only one
  const c = s.lastIndexOf(':', b - 1)
  if (c < a) return b
  return s.indexOf(':', a) === c ? c : b
}

/** The address before `end`, without IPv6 brackets. */
function hostAt(s: string, a: number, end: number): string {
  return s.charCodeAt(a) === 91 && s.charCodeAt(end - 1) === 93 ? s.slice(a + 1, end - 1) : s.slice(a, end)
}


const FLAG_NAMES = ['RxClosing', 'TxClosing', 'SeenNonSyn', 'Nat64', 'LBLoopback', 'NodePort', 'ProxyRedirect', 'DSR', 'FromL7LB', 'FromTunnel']

/**
 * The `word` marks and `Key=value` pairs after the tuple, from p: one pass over the words, keys told
 * apart by their first letter and length before any comparison (most words of a modern entry are
 * counters we do not keep). Words end at the next space, found by native search — a character loop
 * costs several times more — or, in a line with tabs, at the next space or tab.
 */
function readTail(raw: string, p: number, svc: boolean): CtTail {
  const t = new CtTail()
  if (svc) t.service = true
  const n = raw.length
  const tabs = raw.indexOf('\t', p) !== -1
  for (;;) {
    const a = next(raw, p)
    if (a >= n) break
    const b = end(raw, a, tabs)
    p = b
    const len = b - a
    switch (raw.charCodeAt(a)) {
      case 101: // e
        if (len > 8 && isAt(raw, a, 'expires=')) t.expires = numAt(raw, a + 8, b, t.expires)
        break
      case 114: // r
        if (len === 7 && isAt(raw, a, 'related')) t.related = true
        else if (len > 7 && raw.charCodeAt(a + 6) === 61 && isAt(raw, a, 'revnat')) t.revNat = numAt(raw, a + 7, b, t.revNat)
        break
      case 82: // R
        if (len > 7 && raw.charCodeAt(a + 6) === 61 && isAt(raw, a, 'RevNAT')) t.revNat = numAt(raw, a + 7, b, t.revNat)
        break
      case 83: // S
        if (len > 17 && isAt(raw, a, 'SourceSecurityID=')) t.sourceSecurityId = numAt(raw, a + 17, b, t.sourceSecurityId)
        break
      case 115: // s
        if (len === 7 && isAt(raw, a, 'service')) t.service = true
        else if (len > 11 && isAt(raw, a, 'src_sec_id=')) t.sourceSecurityId = numAt(raw, a + 11, b, t.sourceSecurityId)
        break
      case 73: // I
        if (len > 8 && isAt(raw, a, 'IfIndex=')) t.ifIndex = numAt(raw, a + 8, b, t.ifIndex)
        break
      case 66: // B
        if (len > 10 && isAt(raw, a, 'BackendID=')) t.backendId = numAt(raw, a + 10, b, t.backendId)
        break
      case 78: // N
        if (len > 8 && isAt(raw, a, 'NatPort=')) t.natPort = numAt(raw, a + 8, b, t.natPort)
        break
      case 70: // F
      case 102: // f
        if (len >= 6 && raw.charCodeAt(a + 5) === 61 && (isAt(raw, a, 'Flags') || isAt(raw, a, 'flags'))) p = readFlags(t, raw, a + 6, b, tabs)
        break
    }
  }
  return t
}

/** The number at raw[a, b), or `previous` when it is not one (a later key never erases an earlier value). */
function numAt(raw: string, a: number, b: number, previous: number | undefined): number | undefined {
  const v = uintOr(raw, a, b)
  return v >= 0 ? v : previous
}

/** `Flags=0x0013 [ RxClosing TxClosing SeenNonSyn ]` from the value at v; returns where reading goes on. */
function readFlags(t: CtTail, raw: string, v: number, b: number, tabs: boolean): number {
  t.flagsValue = raw.slice(v, b)
  const open = next(raw, b)
  if (raw.charCodeAt(open) !== 91 || !endsAt(raw, open + 1)) return b
  const names: string[] = []
  let i = next(raw, open + 1)
  while (i < raw.length && raw.charCodeAt(i) !== 93) {
    const e = end(raw, i, tabs)
    names.push(oneOf(raw, i, e, FLAG_NAMES) ?? raw.slice(i, e))
    i = next(raw, e)
  }
  t.flags = names
  return i < raw.length ? i + 1 : i
}
