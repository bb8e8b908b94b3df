/**
 * parseCiliumMonitor — `cilium monitor` / `cilium-dbg monitor` (trace, drop events), 1.5 to today.
 *
 *   -> endpoint 762 flow 0x0 identity world->42837 state reply ifindex lxcf4cd39e34601 orig-ip 1.0.0.1: 1.0.0.1:80 -> 10.244.0.213:59242 tcp SYN, ACK
 *   → { line: 1, arrow: '->', point: 'endpoint', endpointId: 762, flow: '0x0', identitySrc: 'world', identityDst: '42837',
 *       state: 'reply', ifindex: 'lxcf4cd39e34601', origIp: '1.0.0.1', src: '1.0.0.1', sport: 80, dst: '10.244.0.213',
 *       dport: 59242, protocol: 'tcp', tcpFlags: ['SYN', 'ACK'], text: '<the line, trimmed>' }
 *
 *   xx drop (Policy denied) flow 0x0 to endpoint 1234, ifindex 5, file bpf_lxc.c:1234, , identity 2->3: 10.0.0.1:1 -> 10.0.0.2:80 tcp SYN
 *   → { arrow: 'xx', drop: 'Policy denied', endpointId: 1234, … }
 *
 *   Policy verdict log: flow 0x48357586 local EP ID 211, remote ID world, proto 6, ingress, action deny, match none, 172.26.50.201:60556 -> 10.0.1.185:8082 tcp SYN
 *   → { point: 'policy-verdict', verdict: 'deny', endpointId: 211, flow: '0x48357586', src: '172.26.50.201', … }
 *
 * The header and the tuple are split at the last ": ". A record whose tuple stops after the source
 * (a blog wrapped the line) takes the next line starting `-> <address>` as its continuation; its
 * `lines` then lists both. Addresses are kept as printed, so anonymised `IP_A:59428` reads as
 * address `IP_A`, port 59428. `level=… msg=…` agent log lines, `Press Ctrl-C to quit`, `Listening
 * for events…` and `----` separators are not events and are skipped silently.
 */
import type { CiliumMonitorRecord, Diagnostic, ParseResult } from '@/lib/model/records'
import { splitLines, stripAnsi, words } from './common'
import { parseUint, splitAddrPort } from './addr-port'
import { noteSkipped } from './skipped'

export function parseCiliumMonitor(text: string): ParseResult<CiliumMonitorRecord> {
  const records: CiliumMonitorRecord[] = []
  const diagnostics: Diagnostic[] = []
  const lines = splitLines(text)
  let wrapped: CiliumMonitorRecord | undefined

  for (let i = 0; i < lines.length; i++) {
    const ln = i + 1
    const line = stripAnsi(lines[i] as string).trim()
    if (line.length === 0 || isChatter(line)) continue
    const w = words(line)
    const arrow = w[0] as string
    if (arrow === '->' || arrow === '<-' || arrow === 'xx') {
      if (wrapped && arrow === '->' && isAddressWord(w[1])) {
        readTuple(wrapped, line.slice(2).trim())
        wrapped.text += ' ' + line
        ;(wrapped.lines ??= [wrapped.line]).push(ln)
        wrapped = undefined
        continue
      }
      const rec = event(ln, line, w)
      records.push(rec)
      wrapped = rec.src !== undefined && rec.dst === undefined ? rec : undefined
      continue
    }
    wrapped = undefined
    if (line.startsWith('Policy verdict log:')) {
      records.push(policyVerdict(ln, line))
      continue
    }
    noteSkipped(diagnostics, ln, line, 'a cilium monitor event')
  }
  return { records, diagnostics }
}

function isChatter(line: string): boolean {
  return (
    line.startsWith('level=') ||
    line.startsWith('Press Ctrl-C') ||
    line.startsWith('Listening for events') ||
    (line.charCodeAt(0) === 45 && /^-{3,}$/.test(line))
  )
}

/** An address (possibly anonymised) rather than an observation point word such as `stack`. */
function isAddressWord(s: string | undefined): boolean {
  if (!s) return false
  return s.indexOf(':') !== -1 || s.indexOf('.') !== -1 || s.charCodeAt(0) === 91
}

function event(line: number, text: string, w: string[]): CiliumMonitorRecord {
  const rec: CiliumMonitorRecord = { line, text, arrow: w[0] as string }
  let sep = text.lastIndexOf(': ')
  const header = sep === -1 ? w : words(text.slice(0, sep))
  let p = 1
  if (rec.arrow === 'xx') {
    // `xx drop (Policy denied (L3)) flow …`: the reason is the balanced parenthesis after `drop`
    const open = text.indexOf('(')
    if (open !== -1) {
      let depth = 0
      let k = open
      for (; k < text.length; k++) {
        const c = text.charCodeAt(k)
        if (c === 40) depth++
        else if (c === 41 && --depth === 0) break
      }
      rec.drop = text.slice(open + 1, k)
      // a ": " inside the reason (`CT: Map insertion failed`) is not the tuple separator
      if (sep < k) sep = -1
      const after = words(text.slice(k + 1, sep > k ? sep : text.length))
      header.length = 0
      header.push('xx', ...after)
    }
  } else if (header[1]) {
    rec.point = header[1]
    p = 2
    const id = parseUint(header[2])
    if (rec.point === 'endpoint' && id !== undefined) {
      rec.endpointId = id
      p = 3
    }
  }
  for (; p < header.length; p++) {
    const t = header[p] as string
    const next = header[p + 1] === undefined ? undefined : stripPunct(header[p + 1] as string)
    switch (t) {
      case 'flow':
        if (next) rec.flow = next
        p++
        break
      case 'identity':
      case 'identity,': {
        if (next) {
          const arrowAt = next.indexOf('->')
          if (arrowAt !== -1) {
            rec.identitySrc = next.slice(0, arrowAt)
            rec.identityDst = next.slice(arrowAt + 2)
          }
        }
        p++
        break
      }
      case 'state':
        if (next) rec.state = next
        p++
        break
      case 'ifindex':
        if (next) rec.ifindex = next
        p++
        break
      case 'orig-ip':
        if (next) rec.origIp = next
        p++
        break
      case 'endpoint': {
        const id = next === undefined ? undefined : parseUint(next)
        if (id !== undefined) rec.endpointId = id
        p++
        break
      }
    }
  }
  if (sep !== -1) readTuple(rec, text.slice(sep + 2).trim())
  return rec
}

/**
 * `Policy verdict log: flow 0x48357586 local EP ID 211, remote ID world, proto 6, ingress, action deny, match none, 172.26.50.201:60556 -> 10.0.1.185:8082 tcp SYN`
 * → point 'policy-verdict', verdict 'deny', endpointId 211, the tuple after the last ", ".
 */
function policyVerdict(line: number, text: string): CiliumMonitorRecord {
  const rec: CiliumMonitorRecord = { line, text, point: 'policy-verdict' }
  const flow = /\bflow (\S+)/.exec(text)
  if (flow) rec.flow = stripPunct(flow[1] as string)
  const ep = /\blocal EP ID (\d+)/.exec(text)
  if (ep) rec.endpointId = Number(ep[1])
  const action = /\baction (\w+)/.exec(text)
  if (action) rec.verdict = action[1]
  const last = text.lastIndexOf(', ')
  if (last !== -1) readTuple(rec, text.slice(last + 2).trim())
  return rec
}

function stripPunct(s: string): string {
  let end = s.length
  while (end > 0 && (s.charCodeAt(end - 1) === 44 || s.charCodeAt(end - 1) === 58)) end--
  return s.slice(0, end)
}

/** `10.244.0.213:59242 -> 1.0.0.1:80 tcp SYN, ACK`, or a source alone when the line was wrapped. */
function readTuple(rec: CiliumMonitorRecord, tuple: string): void {
  const w = words(tuple)
  let p = 0
  if (w[1] === '->' || w.length === 1) {
    const a = splitAddrPort(w[0] as string)
    rec.src = a.addr
    if (a.port !== undefined) rec.sport = a.port
    p = w.length === 1 ? 1 : 2
  }
  const dst = w[p]
  if (dst === undefined) return
  const b = splitAddrPort(dst)
  rec.dst = b.addr
  if (b.port !== undefined) rec.dport = b.port
  const protocol = w[p + 1]
  if (protocol === undefined) return
  rec.protocol = protocol
  if (protocol === 'tcp' && w.length > p + 2) {
    rec.tcpFlags = w
      .slice(p + 2)
      .join(' ')
      .split(',')
      .map((f) => f.trim())
      .filter((f) => f.length > 0)
  }
}
