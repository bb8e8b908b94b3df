/**
 * Small helpers every parser shares: line splitting, address checks, MAC normalisation and the
 * recognition of lines that are not output at all (echoed prompts and commands, author elisions,
 * markdown fences) — real outputs pasted in blogs, issues and lab notes carry all of them.
 *
 * Kept allocation-light: parsers run over 100k-line inputs in the browser.
 */
import { isIPv4, parseIPv4 } from '@/lib/net/ipv4'

/**
 * Lines of `text`, without their terminator (`\n` or `\r\n`). A trailing newline does not add an
 * empty last line, so index + 1 is the 1-based line number an editor shows.
 */
export function splitLines(text: string): string[] {
  const out: string[] = []
  const n = text.length
  if (n === 0) return out
  let start = 0
  while (start < n) {
    let end = text.indexOf('\n', start)
    if (end === -1) end = n
    let stop = end
    if (stop > start && text.charCodeAt(stop - 1) === 13) stop--
    out.push(text.slice(start, stop))
    start = end + 1
  }
  return out
}

/**
 * The lines of a text found in place, cut exactly as splitLines cuts them, without building an
 * array of lines: the hot parsers (100k-line conntrack tables) walk outputs with it.
 *
 *   const lines = new LineCursor(text)
 *   while (lines.next()) use(lines.ln, lines.from, lines.stop) // line = text.slice(from, stop)
 */
export class LineCursor {
  /** 1-based number of the current line */
  ln = 0
  /** the current line is text[from, stop), its terminator excluded */
  from = 0
  stop = 0
  private start = 0
  /** the next escape (`ip -c` colours) at or after `from`: lines before it need no stripAnsi */
  private esc: number
  constructor(readonly text: string) {
    this.esc = text.indexOf('\x1b')
  }

  next(): boolean {
    const text = this.text
    const start = this.start
    if (start >= text.length) return false
    let end = text.indexOf('\n', start)
    if (end === -1) end = text.length
    let stop = end
    if (stop > start && text.charCodeAt(stop - 1) === 13) stop--
    this.ln++
    this.from = start
    this.stop = stop
    this.start = end + 1
    return true
  }

  /** The current line as printed. */
  raw(): string {
    return this.text.slice(this.from, this.stop)
  }

  /** The current line with colour codes removed. */
  plain(): string {
    const raw = this.text.slice(this.from, this.stop)
    if (this.esc !== -1 && this.esc < this.from) this.esc = this.text.indexOf('\x1b', this.from)
    return this.esc !== -1 && this.esc < this.stop ? stripAnsi(raw) : raw
  }
}

/** IPv4 text forms have one implementation, in lib/net/ipv4; the parsers use it through here. */
export { isIPv4, formatIPv4 as intToIPv4, netmaskToPrefixLength as maskToPrefixLength, maskIntToPrefixLength } from '@/lib/net/ipv4'

/** A loose IPv6 check: hex groups and colons (with at most one `::`), optionally a dotted tail. */
export function isIPv6(s: string): boolean {
  if (s.length < 2 || s.length > 45 || s.indexOf(':') === -1) return false
  if (!/^[0-9a-fA-F:.]+$/.test(s)) return false
  const dbl = s.indexOf('::')
  if (dbl !== -1 && s.indexOf('::', dbl + 1) !== -1) return false
  return true
}

export interface Prefix {
  ip: string
  prefixLength: number
  family: 'inet' | 'inet6'
}

/**
 * `10.0.0.0/24` → { ip, prefixLength: 24 }; a bare address gets the host length (/32, /128);
 * `default` is 0.0.0.0/0. Anything else → undefined.
 */
export function parsePrefix(s: string): Prefix | undefined {
  if (s === 'default') return { ip: '0.0.0.0', prefixLength: 0, family: 'inet' }
  const slash = s.indexOf('/')
  const ip = slash === -1 ? s : s.slice(0, slash)
  let family: 'inet' | 'inet6'
  if (isIPv4(ip)) family = 'inet'
  else if (isIPv6(ip)) family = 'inet6'
  else return undefined
  const max = family === 'inet' ? 32 : 128
  if (slash === -1) return { ip, prefixLength: max, family }
  const lenText = s.slice(slash + 1)
  if (!/^\d{1,3}$/.test(lenText)) return undefined
  const prefixLength = Number(lenText)
  if (prefixLength > max) return undefined
  return { ip, prefixLength, family }
}

/**
 * `10.0.0.0/24` → `10.0.0.0/24`, `10.0.0.1` → `10.0.0.1/32`, `fe80::1` → `fe80::1/128`,
 * `default` → `0.0.0.0/0`; anything else → undefined. Like parsePrefix, without the object.
 */
export function normalisePrefix(s: string): string | undefined {
  const slash = s.indexOf('/')
  if (slash === -1) {
    if (isIPv4(s)) return s + '/32'
    if (s === 'default') return '0.0.0.0/0'
    return isIPv6(s) ? s + '/128' : undefined
  }
  const ip = s.slice(0, slash)
  const v4 = isIPv4(ip)
  if (!v4 && !isIPv6(ip)) return undefined
  const n = s.length - slash - 1
  if (n < 1 || n > 3) return undefined
  let len = 0
  for (let i = slash + 1; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c < 48 || c > 57) return undefined
    len = len * 10 + (c - 48)
  }
  return len <= (v4 ? 32 : 128) ? s : undefined
}

/** 32-bit unsigned value of a dotted quad (caller checked isIPv4). */
export function ipv4ToInt(ip: string): number {
  return parseIPv4(ip) ?? 0
}



const MAC_RE = /^[0-9a-fA-F]{1,2}([:-][0-9a-fA-F]{1,2}){5}$/

/**
 * `F6:93:7D:11:4D:37` / `f6-93-7d-11-4d-37` / `0:0:5e:0:1:c` → `f6:93:7d:11:4d:37`.
 * Only 6-byte Ethernet addresses; anything else (infiniband, `<incomplete>`) → undefined.
 */
export function normaliseMac(s: string): string | undefined {
  if (!MAC_RE.test(s)) return undefined
  if (s.length === 17 && s.indexOf('-') === -1) return s.toLowerCase()
  const parts = s.split(/[:-]/)
  let out = ''
  for (let i = 0; i < parts.length; i++) {
    const p = (parts[i] ?? '').toLowerCase()
    out += (i ? ':' : '') + (p.length === 1 ? '0' + p : p)
  }
  return out
}

// eslint-disable-next-line no-control-regex
const ANSI_RE = /\x1b\[[0-9;?]*[ -/]*[@-~]/g

/** Removes ANSI colour/escape sequences (`ip -c`). Returns the same string when there are none. */
export function stripAnsi(line: string): string {
  return line.indexOf('\x1b') === -1 ? line : line.replace(ANSI_RE, '')
}

/** Author elisions and fences that stand for or wrap omitted output: `...`, `[...]`, `<...>`, `…`, ``` ``` ```. */
export function isElisionOrFence(trimmed: string): boolean {
  if (trimmed.length === 0) return false
  const c = trimmed.charCodeAt(0)
  if (c === 96 /* ` */) return trimmed.startsWith('```')
  if (c === 126 /* ~ */) return trimmed.startsWith('~~~')
  return /^(?:\.{2,}|…+|\[\s*(?:\.{2,}|…)\s*\]|<\s*(?:\.{2,}|…)\s*>|\(\s*(?:\.{2,}|…)\s*\)|--+\s*(?:snip|cut)\s*--+|\.{2,}\s*\w[\w ]*\s*\.{2,})$/i.test(trimmed)
}

/**
 * Commands we expect to see echoed at the start of a pasted output; a line that starts with one
 * of them after a prompt (or on its own) is a command, not output.
 */
const COMMAND_WORDS = new Set([
  'ip', 'ifconfig', 'route', 'arp', 'cat', 'grep', 'egrep', 'tc', 'bpftool', 'iptables', 'iptables-save',
  'iptables-legacy', 'iptables-nft', 'ip6tables', 'ip6tables-save', 'conntrack', 'cilium', 'cilium-dbg',
  'kubectl', 'k', 'nsenter', 'sudo', 'docker', 'crictl', 'tcpdump', 'hubble', 'bridge', 'netstat', 'ss',
  'ping', 'curl', 'wget', 'nslookup', 'dig', 'ethtool', 'echo', 'export', 'sysctl', 'watch', 'ls',
])

/**
 * Matches a shell prompt at the start of a line: `root@k8s-ctr:~# `, `root@node-7o7xd:/# `,
 * `[root@node ~]# `, `user@host$ `, `(⎈|kind-kind:default) root@x:~# `, `# `, `$ `, `% `, `> `.
 * Group 1 is what follows the prompt.
 */
const PROMPT_RE =
  /^\s*(?:\([^)]*\)\s*)?(?:[\w.-]+@[\w.-]+(?::[^\s#$%>]*)?\s?[#$%>]|\[[\w.-]+@[\w.-]+[^\]]*\]\s?[#$%>]|(?:bash|sh|ash|zsh)-[\d.]+[#$]|[~/][^\s]*\s[#$]|[#$%>❯➜])\s?(.*)$/

/**
 * If `line` starts with a shell prompt, the command after it (possibly empty); else undefined.
 * `#route -n` → `route -n`; `root@k8s-ctr:~# ip -c route` → `ip -c route`.
 */
export function stripPrompt(line: string): string | undefined {
  const m = PROMPT_RE.exec(line)
  return m ? (m[1] ?? '').trim() : undefined
}

const BARE_COMMAND_WORDS = new Set([
  'ip', 'ifconfig', 'route', 'arp', 'cat', 'grep', 'egrep', 'tc', 'bpftool', 'iptables', 'iptables-save',
  'iptables-legacy', 'iptables-nft', 'ip6tables', 'ip6tables-save', 'conntrack', 'cilium', 'cilium-dbg',
  'kubectl', 'nsenter', 'sudo', 'tcpdump', 'hubble', 'bridge', 'netstat',
])

/** Second words that make `<command word> <word>` a command line rather than prose or output. */
const SUBCOMMANDS = new Set([
  'a', 'addr', 'address', 'link', 'l', 'r', 'ro', 'route', 'rule', 'ru', 'n', 'neigh', 'neighbor', 'neighbour',
  'netns', 'filter', 'qdisc', 'class', 'net', 'prog', 'map', 'cgroup', 'bpf', 'monitor', 'config', 'status',
  'endpoint', 'service', 'exec', 'get', 'describe', 'logs', 'observe', 'fdb', 'show', 'list',
])

function firstWordEnd(s: string): number {
  let end = 0
  while (end < s.length) {
    const c = s.charCodeAt(end)
    if (c === 32 || c === 9) break
    end++
  }
  return end
}

function startsWithCommandWord(s: string): boolean {
  const end = firstWordEnd(s)
  return end > 0 && COMMAND_WORDS.has(s.slice(0, end))
}

/**
 * True for a line that is an echoed prompt and/or command rather than command output:
 * `root@k8s-ctr:~# ip -c route`, `# arp -an`, `#ip a`, `$ route -n`, a bare `root@node:/#`,
 * or a bare `ip a | grep -A1 -B1 f6:93:…` line. A `#` followed by prose (iptables-save's
 * `# Generated by …`) is not a command; parsers that care treat `#` comments themselves.
 */
export function looksLikePromptOrCommand(line: string): boolean {
  const t = stripAnsi(line).trim()
  if (t.length === 0) return false
  const m = PROMPT_RE.exec(t)
  if (m) {
    const after = (m[1] ?? '').trim()
    // `root@host:~#` alone is a prompt; a lone `#`/`$` is too
    if (after.length === 0) return true
    // after `user@host:~$ `, `(NODE1) $ `, `bash-5.0# ` anything is a command; after a bare
    // `#` or `>` only a known command word is (`# Generated by…` is a comment, `> text` a quote)
    const prompt = t.slice(0, t.length - (m[1] ?? '').length).trim()
    if (prompt === '#' || prompt === '>') return startsWithCommandWord(after)
    return true
  }
  const end = firstWordEnd(t)
  if (end === 0 || !BARE_COMMAND_WORDS.has(t.slice(0, end))) return false
  if (end === t.length) return true
  const rest = t.slice(end).trimStart()
  const c = rest.charCodeAt(0)
  if (c === 45 /* - */ || c === 47 /* / */ || c === 124 /* | */) return true
  const second = rest.slice(0, firstWordEnd(rest))
  return SUBCOMMANDS.has(second) || /\s\|\s/.test(rest)
}

/** Whitespace-separated words of a line (spaces and tabs), no empty words. */
export function words(line: string): string[] {
  const out: string[] = []
  const n = line.length
  let i = 0
  while (i < n) {
    let c = line.charCodeAt(i)
    while (i < n && (c === 32 || c === 9)) c = line.charCodeAt(++i)
    if (i >= n) break
    const start = i
    while (i < n && c !== 32 && c !== 9) c = line.charCodeAt(++i)
    out.push(line.slice(start, i))
  }
  return out
}

/** Index of the first character that is not a space or tab (line.length when blank). */
export function indentOf(line: string): number {
  let i = 0
  while (i < line.length) {
    const c = line.charCodeAt(i)
    if (c !== 32 && c !== 9) break
    i++
  }
  return i
}

/**
 * Lines that carry no output and no error, and that every parser skips silently: blank lines,
 * author elisions and fences, grep's `--` group separator, echoed prompts and commands.
 * Expects a line with ANSI codes already stripped.
 */
export function isNoise(line: string): boolean {
  const t = line.trim()
  if (t.length === 0 || t === '--') return true
  return isElisionOrFence(t) || looksLikePromptOrCommand(t)
}

/** A line shortened for a diagnostic message. */
export function clip(s: string, max = 80): string {
  const t = s.trim()
  return t.length > max ? t.slice(0, max - 1) + '…' : t
}

/** Index of the first space or tab at or after `i` (line.length at the end). */
export function wordEnd(line: string, i: number): number {
  const n = line.length
  while (i < n) {
    const c = line.charCodeAt(i)
    if (c === 32 || c === 9) return i
    i++
  }
  return n
}

/** Index of the first character at or after `i` that is not a space or tab. */
export function skipBlanks(line: string, i: number): number {
  const n = line.length
  while (i < n) {
    const c = line.charCodeAt(i)
    if (c !== 32 && c !== 9) return i
    i++
  }
  return n
}

/** True when line[start, end) is exactly `word` (no allocation). */
export function wordIs(line: string, start: number, end: number, word: string): boolean {
  return end - start === word.length && line.startsWith(word, start)
}

/**
 * Finds the words of `line` without cutting them out: word k is line.slice(bounds[2k], bounds[2k+1]).
 * Returns the number of words; only the first bounds.length / 2 are recorded. Reuse one `bounds`
 * array across lines so a large table costs no per-line arrays.
 */
export function scanWords(line: string, bounds: Int32Array): number {
  const n = line.length
  const cap = bounds.length >> 1
  let count = 0
  let i = 0
  while (i < n) {
    let c = line.charCodeAt(i)
    while (c === 32 || c === 9) {
      if (++i >= n) return count
      c = line.charCodeAt(i)
    }
    const start = i
    while (i < n) {
      c = line.charCodeAt(i)
      if (c === 32 || c === 9) break
      i++
    }
    if (count < cap) {
      bounds[count << 1] = start
      bounds[(count << 1) + 1] = i
    }
    count++
  }
  return count
}
