/**
 * splitChainOutput — one recorded run of a command chain (`ip route; ip rule`, `sh -c 'a && b'`)
 * printed the outputs of several commands into one stdout. This finds which lines each command
 * printed, from the shape of the outputs alone, or says why it cannot.
 *
 * Each known command's parser reads the whole stdout; the lines it takes as records are that
 * command's claims. An echoed prompt line (`root@node:/# tc filter show dev X egress`) starts the
 * output of the command it names; an `echo TEXT` claims the lines equal to TEXT. The outputs come
 * in the chain's order, so every line gets the one command that can own it in that order; lines
 * no parser reads (headers, blank lines) go to the command that follows them, since headers come
 * before records. When a record line could belong to two commands (two outputs of the same
 * shape), when claims contradict the chain's order, when a command we do not read printed
 * something, or when a command printed nothing we read but some lines could be its: no split,
 * and the reason. Never a guess.
 *
 * Each segment keeps the stdout's line numbers: lines outside it are blanked, so evidence still
 * cites lines of the recorded run.
 */
import type { CommandInfo, CommandKind } from '@/lib/model/commands'
import { stripPrompt } from '@/lib/parsers/common'
import { basename } from './shell-words'
import { classifyCommand } from './classify'
import { parseIpAddr } from '@/lib/parsers/ip-addr'
import { parseIfconfig } from '@/lib/parsers/ifconfig'
import { parseIpRoute } from '@/lib/parsers/ip-route'
import { parseRouteN } from '@/lib/parsers/route-n'
import { parseProcNetRoute } from '@/lib/parsers/proc-net-route'
import { parseIpRule } from '@/lib/parsers/ip-rule'
import { parseIpNeigh } from '@/lib/parsers/ip-neigh'
import { parseArp } from '@/lib/parsers/arp'
import { parseProcNetArp } from '@/lib/parsers/proc-net-arp'
import { parseIflink } from '@/lib/parsers/iflink'
import { parseTcFilter } from '@/lib/parsers/tc-filter'
import { parseBpftoolNet } from '@/lib/parsers/bpftool-net'
import { parseIptablesSave } from '@/lib/parsers/iptables-save'
import { parseIptablesList } from '@/lib/parsers/iptables-list'
import { parseNfConntrack } from '@/lib/parsers/nf-conntrack'
import { parseCiliumCt } from '@/lib/parsers/cilium-ct'
import { parseCiliumMonitor } from '@/lib/parsers/cilium-monitor'
import { parseCiliumNat } from '@/lib/parsers/cilium-nat'
import { parseCiliumConfig } from '@/lib/parsers/cilium-config'
import { parseCiliumStatus } from '@/lib/parsers/cilium-status'
import { parseCiliumEndpointList } from '@/lib/parsers/cilium-endpoint-list'
import { parseCiliumServiceList } from '@/lib/parsers/cilium-service-list'
import { parseCiliumLbList } from '@/lib/parsers/cilium-lb-list'
import { parseCiliumIpcache } from '@/lib/parsers/cilium-ipcache'

export interface OutputSegment {
  /** index of the command in the chain */
  index: number
  info: CommandInfo
  /** the stdout with every line outside this command's output blanked (line numbers kept) */
  text: string
  /** 1-based stdout lines of this output that hold something (empty when it printed nothing) */
  lines: number[]
}

export type SplitResult = { ok: true; segments: OutputSegment[] } | { ok: false; reason: string }

type Records = { records: unknown[] }

const PARSERS: Partial<Record<CommandKind, (text: string, info: CommandInfo) => Records>> = {
  'ip-addr': parseIpAddr,
  ifconfig: parseIfconfig,
  'ip-route': parseIpRoute,
  'route-n': parseRouteN,
  'proc-net-route': parseProcNetRoute,
  'ip-rule': parseIpRule,
  'ip-neigh': parseIpNeigh,
  arp: parseArp,
  'proc-net-arp': parseProcNetArp,
  iflink: parseIflink,
  'tc-filter': parseTcFilter,
  'bpftool-net': parseBpftoolNet,
  'iptables-save': (t) => {
    const r = parseIptablesSave(t)
    return { records: [...r.records, ...r.chains] }
  },
  'iptables-list': (t, info) => {
    const r = parseIptablesList(t, { table: info.table })
    return { records: [...r.records, ...r.chains] }
  },
  'nf-conntrack': parseNfConntrack,
  'cilium-ct': parseCiliumCt,
  'cilium-monitor': parseCiliumMonitor,
  'cilium-nat': parseCiliumNat,
  'cilium-config': parseCiliumConfig,
  'cilium-status': (t) => ({ records: parseCiliumStatus(t).status.entries }),
  'cilium-endpoint-list': parseCiliumEndpointList,
  'cilium-service-list': parseCiliumServiceList,
  'cilium-lb-list': parseCiliumLbList,
  'cilium-ipcache': parseCiliumIpcache,
}

/** The stdout lines a parser reads as records of `info`'s kind (its "recogniser"). */
export function recordLines(info: CommandInfo, text: string): number[] {
  const parse = PARSERS[info.kind]
  if (!parse) return []
  const out = new Set<number>()
  for (const r of parse(text, info).records) {
    const rec = r as { line?: unknown; lines?: unknown; nexthops?: unknown }
    if (typeof rec.line === 'number') out.add(rec.line)
    if (Array.isArray(rec.lines)) for (const l of rec.lines) if (typeof l === 'number') out.add(l)
    if (Array.isArray(rec.nexthops)) for (const h of rec.nexthops as { line?: unknown }[]) if (typeof h.line === 'number') out.add(h.line)
  }
  return [...out].sort((a, b) => a - b)
}

/** Commands that print nothing on stdout: harmless in a chain. */
const SILENT = new Set(['cd', 'export', 'set', 'unset', 'true', 'false', ':', 'sleep', 'umask', 'alias', 'shopt', 'trap', 'wait', 'ulimit', 'source', '.'])

function echoText(argv: string[]): string | undefined {
  if (argv[0] === undefined || basename(argv[0]) !== 'echo') return undefined
  let i = 1
  while (i < argv.length && /^-[neE]+$/.test(argv[i] as string)) i++
  return argv.slice(i).join(' ').trim()
}

const show = (chain: readonly CommandInfo[], i: number) => `command ${i + 1} (\`${(chain[i] as CommandInfo).argv.join(' ')}\`)`

/** Each known command's parser reads the whole output once: a longer chain is not split. */
export const MAX_CHAIN = 16

export function splitChainOutput(chain: readonly CommandInfo[], stdout: string): SplitResult {
  if (chain.length > MAX_CHAIN) return { ok: false, reason: `more than ${MAX_CHAIN} commands in one line` }
  // the same command twice reads the same lines: parse once
  const cache = new Map<string, number[]>()
  const claimsOf = (c: CommandInfo) => {
    const k = `${c.kind}\u0000${c.table ?? ''}`
    let r = cache.get(k)
    if (!r) cache.set(k, (r = recordLines(c, stdout)))
    return r
  }
  const lines = stdout.split('\n')
  const n = lines.length
  const m = chain.length
  // who may own each line: undefined = anyone (nobody reads it as a record)
  const claims: (Set<number> | undefined)[] = new Array(n)
  const markers: (Set<number> | undefined)[] = new Array(n)
  const claim = (at: (Set<number> | undefined)[], line: number, i: number) => {
    const s = at[line - 1] ?? new Set<number>()
    s.add(i)
    at[line - 1] = s
  }

  for (let i = 0; i < m; i++) {
    const c = chain[i] as CommandInfo
    if (c.kind !== 'unknown') {
      for (const l of claimsOf(c)) claim(claims, l, i)
      continue
    }
    const echo = echoText(c.argv)
    if (echo !== undefined) {
      if (echo === '') continue
      lines.forEach((t, k) => t.trim() === echo && claim(claims, k + 1, i))
      continue
    }
    const b = c.argv[0] === undefined ? '' : basename(c.argv[0])
    if (!SILENT.has(b)) return { ok: false, reason: `${show(chain, i)} prints an output packetwalk does not read, and it could be any of the lines` }
  }

  // echoed prompts: `root@x:/# tc filter show dev X egress` starts the output of that command
  const key = (c: CommandInfo) => `${c.kind}\u0000${c.argv.join('\u0000')}`
  const keys = chain.map(key)
  const texts = chain.map((c) => c.argv.join(' '))
  lines.forEach((t, k) => {
    const cmd = stripPrompt(t)
    if (cmd !== undefined && cmd !== '') {
      const info = classifyCommand(cmd)
      if (info.kind !== 'unknown') keys.forEach((kk, i) => kk === key(info) && claim(markers, k + 1, i))
    }
    // prompts our pattern does not know (`root@<>:/home/cilium# …`, anonymised by a reporter):
    // the exact command after a prompt character
    const line = t.trimEnd()
    texts.forEach((txt, i) => {
      if (chain[i]?.kind === 'unknown' || txt === '' || !line.endsWith(txt)) return
      if (/[#$%>❯]\s*$/.test(line.slice(0, line.length - txt.length))) claim(markers, k + 1, i)
    })
  })

  // the lowest and highest command each line can belong to, outputs following the chain's order
  const lo = new Int32Array(n)
  const hi = new Int32Array(n)
  let cur = 0
  for (let k = 0; k < n; k++) {
    const allowed = markers[k] ?? claims[k]
    if (allowed) {
      const next = [...allowed].filter((i) => i >= cur).sort((a, b) => a - b)[0]
      if (next === undefined) return { ok: false, reason: `line ${k + 1} belongs to a command that ran earlier than the output above it` }
      cur = next
    }
    lo[k] = cur
  }
  cur = m - 1
  for (let k = n - 1; k >= 0; k--) {
    const mk = markers[k]
    const allowed = mk ?? claims[k]
    if (allowed) {
      const prev = [...allowed].filter((i) => i <= cur).sort((a, b) => b - a)[0]
      if (prev === undefined) return { ok: false, reason: `line ${k + 1} belongs to a command that ran later than the output below it` }
      cur = prev
    }
    hi[k] = cur
    // the echoed command line comes before its output: what is above it ran earlier
    if (mk) cur--
  }

  const owner = new Int32Array(n)
  for (let k = 0; k < n; k++) {
    const claimed = markers[k] ?? claims[k]
    if (claimed && lo[k] !== hi[k]) {
      const names = [lo[k] as number, hi[k] as number].map((i) => show(chain, i))
      return { ok: false, reason: `line ${k + 1} could be the output of ${names.join(' or ')} (same shape)` }
    }
    owner[k] = claimed ? (lo[k] as number) : (hi[k] as number)
  }

  const segments: OutputSegment[] = []
  for (let i = 0; i < m; i++) {
    const info = chain[i] as CommandInfo
    if (info.kind === 'unknown') continue
    const mine: number[] = []
    let claimedHere = 0
    for (let k = 0; k < n; k++) {
      if (owner[k] !== i || (lines[k] as string).trim() === '') continue
      mine.push(k + 1)
      if (claims[k]?.has(i)) claimedHere++
    }
    if (claimedHere === 0) {
      // it printed no record: an empty output is a fact only if no unread line could be its own
      const maybe = lines.findIndex((t, k) => t.trim() !== '' && !claims[k] && !markers[k] && (lo[k] as number) <= i && i <= (hi[k] as number))
      if (maybe !== -1) return { ok: false, reason: `${show(chain, i)} printed no line packetwalk reads, and line ${maybe + 1} could be its output` }
    }
    const text = lines.map((t, k) => (owner[k] === i ? t : '')).join('\n')
    // the split must not change what the parser reads: same record lines alone as in the whole
    const alone = recordLines(info, text)
    const whole = claimsOf(info).filter((l) => owner[l - 1] === i)
    if (alone.join() !== whole.join()) return { ok: false, reason: `${show(chain, i)} does not read the same records from its part of the output alone` }
    segments.push({ index: i, info, text, lines: mine })
  }
  return { ok: true, segments }
}
