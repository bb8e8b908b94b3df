/**
 * parseNfConntrack — `/proc/net/nf_conntrack` and `conntrack -L` (also grep'd subsets of both).
 *
 *   ipv4 2 tcp 6 117 TIME_WAIT src=10.244.0.213 dst=1.0.0.1 sport=41708 dport=80 src=1.0.0.1 dst=164.92.138.123 sport=80 dport=41708 [ASSURED] mark=0 zone=0 use=2
 *   → { line: 1, family: 'ipv4', protocol: 'tcp', protocolNumber: 6, timeout: 117, state: 'TIME_WAIT',
 *       original: { src: '10.244.0.213', dst: '1.0.0.1', sport: 41708, dport: 80 },
 *       reply: { src: '1.0.0.1', dst: '164.92.138.123', sport: 80, dport: 41708 },
 *       flags: ['ASSURED'], mark: 0, zone: 0, use: 2, text: '<the line, trimmed>' }
 *
 * `conntrack -L` lines are the same without the leading `ipv4 2`. The first tuple is the
 * original direction, the second the reply: a reply whose addresses differ from the swapped
 * original is NAT (here the reply goes to 164.92.138.123, the node: masquerade). ICMP tuples
 * carry type/code/id instead of ports. The `conntrack v1.4.6 (conntrack-tools): N flow entries
 * have been shown.` trailer is skipped; other lines (netstat, kubectl) become diagnostics.
 *
 * A node's table has 100,000s of entries and a walk looks for one flow, so a line is read in two
 * steps. Up front, with native searches and no copies: line, family, protocol, protocolNumber,
 * timeout, and a cheap test that the line is an entry — that head, then ` src=`. The rest is read
 * from the line on first access and cached: the text (the record keeps the line's bounds in the
 * output: one object per entry instead of two, which at 200,000 entries is most of the garbage
 * collector's work), each tuple on its own (the engine reads every entry's original, and one
 * entry's reply), and state, flags, mark, zone and use together. The values are those a whole read
 * gives. The full test of the old reader — both tuples, each with its dst — is made when a tuple is
 * first read: a line that passes the cheap test but fails that one (no real output does) is an
 * entry whose tuples read as { src: '', dst: '' }, where it used to be a diagnostic. Netstat,
 * kubectl and prompt lines still fail the cheap test and are reported.
 */
import type { ConntrackTuple, Diagnostic, NfConntrackRecord, ParseResult } from '@/lib/model/records'
import { LineCursor } from './common'
import * as scan from './scan'
import { noteSkipped } from './skipped'

// Bound once: under a CommonJS transpile an imported name is a property read on every call.
const { endsAt, isAt, setOwn, skipBlanks, spaceAfter, uintAt, withoutUndefined, wordEnd } = scan

export function parseNfConntrack(text: string): ParseResult<NfConntrackRecord> {
  const records: NfConntrackRecord[] = []
  const diagnostics: Diagnostic[] = []
  const lines = new LineCursor(text)
  while (lines.next()) {
    const { ln, from, stop } = lines
    if (stop === from) continue
    const raw = text.slice(from, stop)
    if (readHead(raw)) {
      // the line's bounds are kept rather than a copy: its text is cut out on first access
      const last = raw.charCodeAt(raw.length - 1)
      const first = raw.charCodeAt(hStart)
      const plain = first > 32 && first < 127 && last > 32 && last < 127
      records.push(new NfEntry(ln, text, from + hStart, stop, plain ? undefined : raw.trim(), hFamily, hProtocol, hProtocolNumber, hTimeout))
    } else if (!isAt(raw, 0, 'conntrack v')) noteSkipped(diagnostics, ln, raw, 'a conntrack entry')
  }
  return { records, diagnostics }
}

/** What is read on first access of state, flags, mark, zone or use. */
interface NfMore {
  state: string | undefined
  flags: string[]
  mark: number | undefined
  zone: number | undefined
  use: number | undefined
}

/** What an entry reads on first access: its tuples (each on its own) and the rest. */
interface NfLazy {
  original: ConntrackTuple | undefined
  reply: ConntrackTuple | undefined
  more: NfMore | undefined
}

/**
 * One entry: the up-front fields as own properties set in one order (one shape for all entries),
 * the rest behind getters whose caches are private fields — a record's keys, its JSON and its
 * equality are its fields. The text is kept as the bounds of the line in the output (one object
 * per entry instead of two: 200,000 entries are mostly garbage-collector work otherwise).
 */
class NfEntry implements NfConntrackRecord {
  declare line: number
  declare family: 'ipv4' | 'ipv6' | undefined
  declare protocol: string
  declare protocolNumber: number
  declare timeout: number
  #output: string
  #from: number
  #to: number
  #text: string | undefined
  #lazy: NfLazy | undefined

  constructor(
    line: number, output: string, from: number, to: number, text: string | undefined,
    family: 'ipv4' | 'ipv6' | undefined, protocol: string, protocolNumber: number, timeout: number,
  ) {
    this.line = line
    this.family = family
    this.protocol = protocol
    this.protocolNumber = protocolNumber
    this.timeout = timeout
    this.#output = output
    this.#from = from
    this.#to = to
    this.#text = text
    this.#lazy = undefined
  }

  #l(): NfLazy {
    return (this.#lazy ??= { original: undefined, reply: undefined, more: undefined })
  }
  #m(): NfMore {
    const l = this.#l()
    return (l.more ??= readMore(this.text))
  }

  /** the line, trimmed */
  get text(): string { return (this.#text ??= this.#output.slice(this.#from, this.#to)) }
  set text(v: string) { setOwn(this, 'text', v) }
  get original(): ConntrackTuple {
    const l = this.#l()
    return (l.original ??= readTuple(this.text, false))
  }
  set original(v: ConntrackTuple) { setOwn(this, 'original', v) }
  get reply(): ConntrackTuple {
    const l = this.#l()
    return (l.reply ??= readTuple(this.text, true))
  }
  set reply(v: ConntrackTuple) { setOwn(this, 'reply', v) }
  get state(): string | undefined { return this.#m().state }
  set state(v: string | undefined) { setOwn(this, 'state', v) }
  get flags(): string[] { return this.#m().flags }
  set flags(v: string[]) { setOwn(this, 'flags', v) }
  get mark(): number | undefined { return this.#m().mark }
  set mark(v: number | undefined) { setOwn(this, 'mark', v) }
  get zone(): number | undefined { return this.#m().zone }
  set zone(v: number | undefined) { setOwn(this, 'zone', v) }
  get use(): number | undefined { return this.#m().use }
  set use(v: number | undefined) { setOwn(this, 'use', v) }

  /** Every field, the lazy ones included, undefined ones left out (JSON.stringify, logs, test comparisons). */
  toJSON(): NfConntrackRecord {
    return withoutUndefined({
      line: this.line, text: this.text, family: this.family, protocol: this.protocol, protocolNumber: this.protocolNumber,
      timeout: this.timeout, state: this.state, original: this.original, reply: this.reply, flags: this.flags, mark: this.mark,
      zone: this.zone, use: this.use,
    })
  }
}

// What readHead last read (one line at a time: no object per line).
let hStart = 0
let hFamily: 'ipv4' | 'ipv6' | undefined
let hProtocol = ''
let hProtocolNumber = 0
let hTimeout = 0
/** where the word after the timeout starts (the state, when before s1) */
let hAfter = 0
/** ` src=` of the original and of the reply tuple */
let s1 = 0
let s2 = 0

/**
 * The test that makes a line an entry, kept cheap: the head `[ipv4 2] proto protonum timeout` and
 * a ` src=` after it. What it read is left in h* and s1.
 */
function readHead(raw: string): boolean {
  let i = paddedHead(raw)
  if (i === -1) {
    i = skipBlanks(raw, 0)
    hStart = i
    hFamily = undefined
    if (raw.charCodeAt(i) === 105 /* i */ && endsAt(raw, i + 4) && isAt(raw, i, 'ipv')) {
      const v = raw.charCodeAt(i + 3)
      if (v === 52 || v === 54) {
        hFamily = v === 52 ? 'ipv4' : 'ipv6'
        i = skipBlanks(raw, wordEnd(raw, skipBlanks(raw, i + 4)))
      }
    }
    const e = protocolAt(raw, i)
    if (hProtocol.length === 0) return false
    hProtocolNumber = numberWord(raw, skipBlanks(raw, e))
    if (hProtocolNumber < 0) return false
  }
  hTimeout = numberWord(raw, skipBlanks(raw, wordStop))
  if (hTimeout < 0) return false
  hAfter = skipBlanks(raw, wordStop)
  s1 = srcKeyFrom(raw, wordStop)
  return s1 !== -1
}

/**
 * The two tuples after readHead: the original's dst right after its src value (or at least before
 * the reply), the reply's ` src=` and its dst. Sets s2 and returns false when they are not all
 * there — for a line that passed readHead, an oddity found only now: its tuples read as empty.
 */
function readTuples(raw: string): boolean {
  const d1 = dstKeyAfter(raw, spaceAfter(raw, s1 + 5))
  if (d1 === -1) return false
  s2 = srcKeyFrom(raw, d1 === -2 ? s1 + 5 : d1 + 5)
  if (s2 === -1 || (d1 === -2 && (dstAt === -1 || dstAt > s2))) return false
  const srcEnd2 = spaceAfter(raw, s2 + 5)
  const d2 = dstKeyAfter(raw, srcEnd2)
  return d2 === srcEnd2 || (d2 === -2 && dstAt !== -1 && dstAt <= tupleEnd(raw, s2 + 5))
}

/**
 * Index of the first ` src=` at or after `from`, or -1. The native search for a one-character
 * needle is several times cheaper than for a word, so the `=` signs are visited and the three
 * letters before each checked; after a few misses, the word search takes over.
 */
function srcKeyFrom(raw: string, from: number): number {
  let eq = raw.indexOf('=', from + 4)
  for (let k = 0; k < 8 && eq !== -1; k++) {
    if (raw.charCodeAt(eq - 1) === 99 && raw.charCodeAt(eq - 2) === 114 && raw.charCodeAt(eq - 3) === 115 && raw.charCodeAt(eq - 4) === 32) return eq - 4
    eq = raw.indexOf('=', eq + 1)
  }
  return eq === -1 ? -1 : raw.indexOf(' src=', from)
}

/** Where dstKeyAfter found ` dst=` when it was not at once at `at` (-1: nowhere). */
let dstAt = -1

/**
 * ` dst=` at `at` (the blank after a src value) → `at`; -1 when the line ends there; otherwise
 * -2, with the first ` dst=` after `at` (or -1) left in dstAt for the caller's bounds check.
 */
function dstKeyAfter(raw: string, at: number): number {
  if (raw.charCodeAt(at + 1) === 100 && raw.charCodeAt(at + 2) === 115 && raw.charCodeAt(at + 3) === 116 && raw.charCodeAt(at + 4) === 61 && raw.charCodeAt(at) === 32) return at
  if (at >= raw.length) return -1
  dstAt = raw.indexOf(' dst=', at)
  return -2
}

/**
 * The kernel and conntrack -L pad the family and protocol names to 8 columns (`ipv4     2 tcp      6 `):
 * those heads are recognised whole, one native comparison each, instead of word by word. When
 * `raw` opens with one, reads it into h* (wordStop: the blank before the timeout) and returns where
 * the timeout starts; else -1.
 */
function paddedHead(raw: string): number {
  // `ipv4     2 ` (the kernel's file) or nothing (conntrack -L); the protocol head after it is told
  // by its first letter, so one comparison settles the whole head
  let i = 0
  let family: 'ipv4' | 'ipv6' | undefined
  if (raw.charCodeAt(0) === 105 /* i */ && raw.charCodeAt(1) === 112 /* p */) {
    const v = raw.charCodeAt(3)
    if (v === 52 /* 4 */) {
      i = 11
      family = 'ipv4'
    } else if (v === 54 /* 6 */) {
      i = 12
      family = 'ipv6'
    } else return -1
  }
  const c = raw.charCodeAt(i)
  const head = c === 116 ? PADDED_TCP : c === 117 ? PADDED_UDP : c === 105 ? PADDED_ICMP : undefined
  if (head === undefined) return -1
  const whole = i === 0 ? head[0] : family === 'ipv4' ? head[1] : head[2]
  if (!isAt(raw, 0, whole)) return -1
  hStart = 0
  hFamily = family
  hProtocol = head[3]
  hProtocolNumber = head[4]
  wordStop = whole.length - 1
  return whole.length
}

/** A padded protocol head: alone, after `ipv4     2 `, after `ipv6     10 `; the protocol and its number. */
type PaddedHead = [string, string, string, string, number]
const padded = (p: string, name: string, number: number): PaddedHead => [p, 'ipv4     2 ' + p, 'ipv6     10 ' + p, name, number]
const PADDED_TCP = padded('tcp      6 ', 'tcp', 6)
const PADDED_UDP = padded('udp      17 ', 'udp', 17)
const PADDED_ICMP = padded('icmp     1 ', 'icmp', 1)

const PROTOCOLS = ['tcp', 'udp', 'icmp', 'icmpv6', 'sctp', 'gre', 'unknown']
const STATES = ['ESTABLISHED', 'TIME_WAIT', 'SYN_SENT', 'SYN_RECV', 'CLOSE', 'CLOSE_WAIT', 'FIN_WAIT', 'LAST_ACK', 'NONE']
const FLAGS = ['ASSURED', 'UNREPLIED', 'OFFLOAD', 'HW_OFFLOAD']

/** Reads the protocol word at i into hProtocol (tcp/udp/icmp compared by char codes: no copy) and returns its end. */
function protocolAt(raw: string, i: number): number {
  const c = raw.charCodeAt(i)
  const c1 = raw.charCodeAt(i + 1)
  const c2 = raw.charCodeAt(i + 2)
  if (c === 116 && c1 === 99 && c2 === 112 && endsAt(raw, i + 3)) {
    hProtocol = 'tcp'
    return i + 3
  }
  if (c === 117 && c1 === 100 && c2 === 112 && endsAt(raw, i + 3)) {
    hProtocol = 'udp'
    return i + 3
  }
  const e = wordEnd(raw, i)
  hProtocol = known(raw, i, e, PROTOCOLS)
  return e
}

/** End of the word numberWord last read. */
let wordStop = 0

/** The word at i as a decimal number (-1 when it is not one), its end left in wordStop. */
function numberWord(raw: string, i: number): number {
  let v = 0
  let k = i
  for (; k < raw.length && k - i < 15; k++) {
    const d = raw.charCodeAt(k) - 48
    if (d < 0 || d > 9) break
    v = v * 10 + d
  }
  if (k > i && endsAt(raw, k)) {
    wordStop = k
    return v
  }
  wordStop = wordEnd(raw, i)
  return -1
}

/**
 * raw[a, b) as a string, reusing the constant when it is one of `common`: 200,000 entries hold a
 * handful of distinct protocols, states and flags, and a copy each would be most of the garbage.
 */
function known(raw: string, a: number, b: number, common: readonly string[]): string {
  const len = b - a
  for (const w of common) if (w.length === len && isAt(raw, a, w)) return w
  return raw.slice(a, b)
}

/** Entries without flags share this frozen empty list (most /proc/net/nf_conntrack lines have one flag or none). */
const NO_FLAGS = Object.freeze([]) as unknown as string[]

/** The original (false) or reply (true) tuple of an entry's text. */
function readTuple(text: string, reply: boolean): ConntrackTuple {
  if (!readHead(text) || !readTuples(text)) return { src: '', dst: '' }
  return (reply ? tuple(text, s2 + 5, tupleEnd(text, s2 + 5)) : tuple(text, s1 + 5, s2)) ?? { src: '', dst: '' }
}

/** state, flags, mark, zone and use of an entry's text. */
function readMore(raw: string): NfMore {
  const more: NfMore = { state: undefined, flags: NO_FLAGS, mark: undefined, zone: undefined, use: undefined }
  if (!readHead(raw)) return more
  if (hAfter < s1) more.state = known(raw, hAfter, wordEnd(raw, hAfter), STATES)
  // [UNREPLIED] sits between the tuples, [ASSURED] after them
  let f = raw.indexOf('[', s1)
  while (f !== -1) {
    const fe = wordEnd(raw, f)
    const flag = known(raw, f + 1, raw.charCodeAt(fe - 1) === 93 ? fe - 1 : fe, FLAGS)
    if (more.flags === NO_FLAGS) more.flags = [flag]
    else more.flags.push(flag)
    f = raw.indexOf('[', fe)
  }
  if (!readTuples(raw)) return more
  const n = raw.length
  const replyEnd = tupleEnd(raw, s2 + 5)
  more.mark = valueAfter(raw, ' mark=', n, replyEnd)
  more.zone = valueAfter(raw, ' zone=', n, replyEnd)
  more.use = valueAfter(raw, ' use=', n, replyEnd)
  return more
}

/** End of the tuple whose src value starts at `from`: before the first word that is not a tuple key. */
function tupleEnd(raw: string, from: number): number {
  // src value, then dst and sport/dport or type/code/id: at most five more words
  let e = spaceAfter(raw, from)
  for (let k = 0; k < 5; k++) {
    const next = e + 1
    if (next >= raw.length || !isTupleKey(raw, next)) return e
    e = spaceAfter(raw, next)
  }
  return e
}

function isTupleKey(raw: string, i: number): boolean {
  switch (raw.charCodeAt(i)) {
    case 100: // d
      return isAt(raw, i, 'dst=') || isAt(raw, i, 'dport=')
    case 115: // s
      return isAt(raw, i, 'sport=')
    case 116: // t
      return isAt(raw, i, 'type=')
    case 99: // c
      return isAt(raw, i, 'code=')
    case 105: // i
      return isAt(raw, i, 'id=')
  }
  return false
}

/** The tuple whose src value starts at `from` and that ends before `end`. */
function tuple(raw: string, from: number, end: number): ConntrackTuple | undefined {
  const srcEnd = spaceAfter(raw, from)
  const d = raw.indexOf(' dst=', srcEnd)
  if (d === -1 || d > end) return undefined
  const t: ConntrackTuple = { src: raw.slice(from, srcEnd), dst: raw.slice(d + 5, spaceAfter(raw, d + 5)) }
  const sport = valueAfter(raw, ' sport=', end, d)
  if (sport !== undefined) {
    t.sport = sport
    const dport = valueAfter(raw, ' dport=', end, d)
    if (dport !== undefined) t.dport = dport
    return t
  }
  const type = valueAfter(raw, ' type=', end, d)
  if (type !== undefined) {
    t.type = type
    const code = valueAfter(raw, ' code=', end, d)
    if (code !== undefined) t.code = code
    const id = valueAfter(raw, ' id=', end, d)
    if (id !== undefined) t.id = id
  }
  return t
}

/** The number after `key` (searched from `from`), when the key occurs before `end`. */
function valueAfter(raw: string, key: string, end: number, from = 0): number | undefined {
  const k = raw.indexOf(key, from)
  if (k === -1 || k > end) return undefined
  const v = k + key.length
  return uintAt(raw, v, spaceAfter(raw, v))
}
