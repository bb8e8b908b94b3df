/**
 * buildFacts: every run of a capture, recognised (classifyCommand) and parsed once, grouped by
 * host and by what it tells (interfaces, routes, neighbours…). Each parsed output keeps its
 * Source — host, run index, command, stream — so any record can be cited as Evidence.
 *
 * The engine reads facts only through this module; it never looks at raw text again.
 */
import type { Capture, CaptureHost } from '@/lib/model/capture'
import type { CommandInfo } from '@/lib/model/commands'
import type {
  BpftoolNetRecord,
  CiliumCtRecord,
  CiliumEndpointRecord,
  CiliumIpcacheRecord,
  CiliumLbRecord,
  CiliumMonitorRecord,
  CiliumNatRecord,
  CiliumServiceRecord,
  CiliumStatusRecord,
  Diagnostic,
  InterfaceRecord,
  IptablesChain,
  IptablesRule,
  KeyValueRecord,
  MissingMapRecord,
  NeighborRecord,
  NfConntrackRecord,
  RouteRecord,
  RuleRecord,
  TcFilterRecord,
} from '@/lib/model/records'
import type { Evidence } from '@/lib/model/walk'
import { classifyChain } from '@/lib/commands/classify'
import { splitChainOutput } from '@/lib/commands/split-output'
import { parseFocused } from './focus'
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
import { findMissingMaps, parseCiliumNat } from '@/lib/parsers/cilium-nat'
import { parseCiliumConfig } from '@/lib/parsers/cilium-config'
import { parseCiliumStatus } from '@/lib/parsers/cilium-status'
import { parseCiliumEndpointList } from '@/lib/parsers/cilium-endpoint-list'
import { parseCiliumServiceList } from '@/lib/parsers/cilium-service-list'
import { parseCiliumLbList } from '@/lib/parsers/cilium-lb-list'
import { parseCiliumIpcache } from '@/lib/parsers/cilium-ipcache'

// parsers imported one by one (not through lib/parsers/index.ts) so the engine's bundle only
// pulls what it reads
const P = {
  parseIpAddr, parseIfconfig, parseIpRoute, parseRouteN, parseProcNetRoute, parseIpRule, parseIpNeigh, parseArp,
  parseProcNetArp, parseIflink, parseTcFilter, parseBpftoolNet, parseIptablesSave, parseIptablesList, parseNfConntrack,
  parseCiliumCt, parseCiliumMonitor, parseCiliumNat, findMissingMaps, parseCiliumConfig, parseCiliumStatus,
  parseCiliumEndpointList, parseCiliumServiceList, parseCiliumLbList, parseCiliumIpcache,
}

/** Where a parsed output came from: enough to cite it. */
export interface Source {
  host: string
  run: number
  command: string
  info: CommandInfo
  stream: 'stdout' | 'stderr'
  exitCode: number
  /** the text had no records at all (an empty output is a fact too: "no filter attached") */
  empty: boolean
  /** the command failed (non-zero exit): the first line of what it said, for messages */
  failure?: string
}

/** `\`cmd\` on host` plus why it proves nothing when it failed. */
export function describeSource(s: Source): string {
  return s.failure !== undefined ? `\`${s.command}\` failed on ${s.host} (${s.failure})` : `\`${s.command}\` on ${s.host}`
}

export interface Parsed<T> {
  source: Source
  records: T[]
  diagnostics: Diagnostic[]
}

export interface IflinkRecord {
  line: number
  ifindex: number
}

export interface ParsedIptables extends Parsed<IptablesRule> {
  chains: IptablesChain[]
}

export interface ParsedStatus {
  source: Source
  status: CiliumStatusRecord
}

export interface HostFacts {
  id: string
  host: CaptureHost
  interfaces: Parsed<InterfaceRecord>[]
  routes: Parsed<RouteRecord>[]
  rules: Parsed<RuleRecord>[]
  neighbors: Parsed<NeighborRecord>[]
  iflinks: Parsed<IflinkRecord>[]
  tcFilters: Parsed<TcFilterRecord>[]
  bpftoolNet: Parsed<BpftoolNetRecord>[]
  iptables: ParsedIptables[]
  nfConntrack: Parsed<NfConntrackRecord>[]
  ciliumCt: Parsed<CiliumCtRecord>[]
  ciliumMonitor: Parsed<CiliumMonitorRecord>[]
  ciliumNat: Parsed<CiliumNatRecord>[]
  missingMaps: Parsed<MissingMapRecord>[]
  ciliumConfig: Parsed<KeyValueRecord>[]
  ciliumStatus: ParsedStatus[]
  endpoints: Parsed<CiliumEndpointRecord>[]
  services: Parsed<CiliumServiceRecord>[]
  lbs: Parsed<CiliumLbRecord>[]
  ipcache: Parsed<CiliumIpcacheRecord>[]
  /** outputs that are counts (`grep -c`, `wc -l`): they prove nothing about single records */
  counts: Source[]
  /** commands the engine does not read */
  unrecognised: Source[]
}

export interface Facts {
  hosts: Record<string, HostFacts>
  /** runs whose chained commands' outputs could not be told apart (one sentence per run) */
  warnings: string[]
}

/** The Evidence that cites `lines` of a source's output. */
export function cite(source: Source, lines: readonly number[]): Evidence {
  const e: Evidence = { host: source.host, command: source.command, lines: [...new Set(lines)].sort((a, b) => a - b), run: source.run }
  if (source.stream === 'stderr') e.stream = 'stderr'
  return e
}

function emptyHost(id: string, host: CaptureHost): HostFacts {
  return {
    id,
    host,
    interfaces: [],
    routes: [],
    rules: [],
    neighbors: [],
    iflinks: [],
    tcFilters: [],
    bpftoolNet: [],
    iptables: [],
    nfConntrack: [],
    ciliumCt: [],
    ciliumMonitor: [],
    ciliumNat: [],
    missingMaps: [],
    ciliumConfig: [],
    ciliumStatus: [],
    endpoints: [],
    services: [],
    lbs: [],
    ipcache: [],
    counts: [],
    unrecognised: [],
  }
}

function parsed<T>(source: Source, r: { records: T[]; diagnostics: Diagnostic[] }): Parsed<T> {
  source.empty = r.records.length === 0
  return { source, records: r.records, diagnostics: r.diagnostics }
}

export interface BuildOptions {
  /**
   * Addresses the walk is about (the flow's source and destination). When given, the big
   * per-connection tables — Cilium CT and NAT, netfilter conntrack — are parsed only on the lines
   * that mention one of them (see focus.ts); everything else is parsed whole.
   */
  focus?: string[]
}

/**
 * Parses one run's output into the matching bucket of `hf`. A chain of several known commands
 * (`route -n; arp -an`) is split into one output per command when their shapes tell them apart
 * (lib/commands/split-output.ts); each keeps the run's line numbers. When they cannot be told
 * apart, nothing of the run is read and `warnings` says why.
 */
function addRun(hf: HostFacts, runIndex: number, opts: BuildOptions, warnings: string[]): void {
  const run = hf.host.runs[runIndex]
  if (!run) return
  const chain = classifyChain(run.command)
  const known = chain.filter((c) => c.kind !== 'unknown')
  if (known.length < 2) {
    addOutput(hf, runIndex, known[0] ?? chain[0] ?? { kind: 'unknown', argv: [], filters: [], complete: true, countOnly: false }, run.stdout, opts)
    return
  }
  const split = splitChainOutput(chain, run.stdout)
  if (!split.ok) {
    warnings.push(
      `\`${run.command}\` on ${hf.id} ran ${known.length} commands whose outputs cannot be told apart (${split.reason}): none of them is read. Record each command as its own run.`,
    )
    addOutput(hf, runIndex, { kind: 'unknown', argv: known[0]?.argv ?? [], filters: [], complete: true, countOnly: false }, run.stdout, opts)
    return
  }
  for (const seg of split.segments) addOutput(hf, runIndex, seg.info, seg.text, opts)
}

/** Parses `text` (a run's stdout, or its part printed by one command of a chain) as `info` says. */
function addOutput(hf: HostFacts, runIndex: number, info: CommandInfo, text: string, opts: BuildOptions): void {
  const run = hf.host.runs[runIndex]
  if (!run) return
  const source: Source = { host: hf.id, run: runIndex, command: run.command, info, stream: 'stdout', exitCode: run.exitCode, empty: false }
  if (run.exitCode !== 0 && run.stdout.trim() === '') {
    source.failure = (run.stderr.trim().split('\n')[0] ?? '').slice(0, 200) || `exit code ${run.exitCode}`
  }
  if (info.countOnly) {
    hf.counts.push(source)
    return
  }
  const focus = opts.focus ?? []
  switch (info.kind) {
    case 'ip-addr':
      hf.interfaces.push(parsed(source, P.parseIpAddr(text)))
      break
    case 'ifconfig':
      hf.interfaces.push(parsed(source, P.parseIfconfig(text)))
      break
    case 'ip-route':
      hf.routes.push(parsed(source, P.parseIpRoute(text)))
      break
    case 'route-n':
      hf.routes.push(parsed(source, P.parseRouteN(text)))
      break
    case 'proc-net-route':
      hf.routes.push(parsed(source, P.parseProcNetRoute(text)))
      break
    case 'ip-rule':
      hf.rules.push(parsed(source, P.parseIpRule(text)))
      break
    case 'ip-neigh':
      hf.neighbors.push(parsed(source, P.parseIpNeigh(text)))
      break
    case 'arp':
      hf.neighbors.push(parsed(source, P.parseArp(text)))
      break
    case 'proc-net-arp':
      hf.neighbors.push(parsed(source, P.parseProcNetArp(text)))
      break
    case 'iflink':
      hf.iflinks.push(parsed(source, P.parseIflink(text)))
      break
    case 'tc-filter':
      hf.tcFilters.push(parsed(source, P.parseTcFilter(text)))
      break
    case 'bpftool-net':
      hf.bpftoolNet.push(parsed(source, P.parseBpftoolNet(text)))
      break
    case 'iptables-save': {
      const r = P.parseIptablesSave(text)
      hf.iptables.push({ ...parsed(source, r), chains: r.chains })
      break
    }
    case 'iptables-list': {
      const r = P.parseIptablesList(text, { table: info.table })
      hf.iptables.push({ ...parsed(source, r), chains: r.chains })
      break
    }
    case 'nf-conntrack':
      hf.nfConntrack.push(parsed(source, parseFocused(text, focus, P.parseNfConntrack)))
      break
    case 'cilium-ct':
      hf.ciliumCt.push(parsed(source, parseFocused(text, focus, P.parseCiliumCt)))
      break
    case 'cilium-monitor':
      hf.ciliumMonitor.push(parsed(source, P.parseCiliumMonitor(text)))
      break
    case 'cilium-nat': {
      hf.ciliumNat.push(parsed(source, parseFocused(text, focus, P.parseCiliumNat)))
      // "Unable to open …cilium_snat_v4_external" goes to stderr: evidence that BPF masquerading is off
      const fromOut = P.findMissingMaps(text, 'stdout')
      if (fromOut.length) hf.missingMaps.push(parsed({ ...source }, { records: fromOut, diagnostics: [] }))
      const fromErr = P.findMissingMaps(run.stderr, 'stderr')
      if (fromErr.length) hf.missingMaps.push(parsed({ ...source, stream: 'stderr' }, { records: fromErr, diagnostics: [] }))
      break
    }
    case 'cilium-config':
      hf.ciliumConfig.push(parsed(source, P.parseCiliumConfig(text)))
      break
    case 'cilium-status': {
      const r = P.parseCiliumStatus(text)
      source.empty = r.status.entries.length === 0
      hf.ciliumStatus.push({ source, status: r.status })
      break
    }
    case 'cilium-endpoint-list':
      hf.endpoints.push(parsed(source, P.parseCiliumEndpointList(text)))
      break
    case 'cilium-service-list':
      hf.services.push(parsed(source, P.parseCiliumServiceList(text)))
      break
    case 'cilium-lb-list':
      hf.lbs.push(parsed(source, P.parseCiliumLbList(text)))
      break
    case 'cilium-ipcache':
      hf.ipcache.push(parsed(source, P.parseCiliumIpcache(text)))
      break
    default:
      hf.unrecognised.push(source)
  }
}

/** Classifies and parses every run of every host. Pure; never throws on odd outputs (parsers don't). */
export function buildFacts(capture: Capture, opts: BuildOptions = {}): Facts {
  const hosts: Record<string, HostFacts> = {}
  const warnings: string[] = []
  for (const [id, host] of Object.entries(capture.hosts)) {
    const hf = emptyHost(id, host)
    for (let i = 0; i < host.runs.length; i++) addRun(hf, i, opts, warnings)
    hosts[id] = hf
  }
  return { hosts, warnings }
}

/** Every record of `list`, each with its source (a flat view over several outputs). */
export function* eachRecord<T>(list: readonly Parsed<T>[]): Generator<{ record: T; source: Source }> {
  for (const p of list) for (const record of p.records) yield { record, source: p.source }
}
