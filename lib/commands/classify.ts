/**
 * classifyCommand — what a recorded command line is: which parser reads its output, and which
 * filters (device, direction, table, `| grep`) shaped what it printed.
 *
 *   "root@node:/# kubectl exec -ti client -- ip -4 -br addr show dev eth0 | grep UP"
 *   → { kind: 'ip-addr', argv: ['ip', '-4', '-br', 'addr', 'show', 'dev', 'eth0'], device: 'eth0',
 *       filters: ['grep UP'], complete: false, countOnly: false }
 *
 * Wrappers that only choose where or how the command runs (sudo, nsenter, ip netns exec,
 * kubectl/docker/crictl exec, chroot, timeout, env, sh -c) are removed, each with its own options.
 * A script or tool we do not know whose trailing arguments are a known command
 * (`./collect.sh node1 ip route`) is read as that command: the longest such suffix wins.
 * A line holding several commands (`a; b`) is classified by the first one we recognise;
 * classifyChain gives all of them, for outputs that must be split. Never throws: anything else is
 * `unknown`.
 */
import type { CommandInfo, CommandKind } from '@/lib/model/commands'
import { stripAnsi, stripPrompt } from '@/lib/parsers/common'
import { basename, shellPipelines, type Pipeline } from './shell-words'

type Found = Omit<CommandInfo, 'argv' | 'filters' | 'complete' | 'countOnly'> & { complete?: boolean; countOnly?: boolean }

const UNKNOWN: Found = { kind: 'unknown' }
const unknownInfo = (argv: string[] = []): CommandInfo => ({ kind: 'unknown', argv, filters: [], complete: true, countOnly: false })

export function classifyCommand(command: string): CommandInfo {
  const chain = classifyChain(command)
  return chain.find((c) => c.kind !== 'unknown') ?? chain[0] ?? unknownInfo()
}

/**
 * Every command of the line in the order the shell runs them (`a; b && c`, and the commands of
 * an `sh -c '…'` string), each classified. Commands that print nothing we can read are `unknown`.
 */
export function classifyChain(command: string): CommandInfo[] {
  try {
    return chainOf(command, 0)
  } catch {
    return [unknownInfo()]
  }
}

function chainOf(command: string, depth: number): CommandInfo[] {
  let line = stripAnsi(String(command ?? '')).trim()
  const afterPrompt = stripPrompt(line)
  if (afterPrompt !== undefined && afterPrompt.length > 0) line = afterPrompt
  return shellPipelines(line).flatMap((p) => classifyPipeline(p, depth))
}

function classifyPipeline(p: Pipeline, depth: number): CommandInfo[] {
  const head = p[0]
  if (!head) return []
  const stages = p.slice(1).map((s) => s.words)
  const filters = p.slice(1).map((s) => s.text)
  const words = dropRedirections(head.words)
  const direct = classifyWords(words, depth)
  if (direct.length > 0 && direct.some((c) => c.kind !== 'unknown')) return direct.map((c) => withFilters(c, stages, filters))
  // an unknown script or tool whose trailing arguments are a known command: the longest suffix
  if (suffixAllowed(unwrap(words))) {
    const argv = unwrap(words)
    for (let k = 1; k < argv.length; k++) {
      const sub = classifyWords(argv.slice(k), depth)
      if (sub.some((c) => c.kind !== 'unknown')) return sub.map((c) => withFilters(c, stages, filters))
    }
  }
  return direct.map((c) => withFilters(c, stages, filters))
}

/** One simple command's words, wrappers removed: a command, or the chain inside `sh -c '…'`. */
function classifyWords(words: string[], depth: number): CommandInfo[] {
  const argv = unwrap(words)
  // `sh -c "…"` / `bash -c '…'`: the command is the string
  const shell = argv[0] !== undefined ? basename(argv[0]) : ''
  if (SHELLS.has(shell) && depth < 4) {
    const c = argv.findIndex((w, i) => i > 0 && /^-[a-zA-Z]*c[a-zA-Z]*$/.test(w))
    const inner = c === -1 ? undefined : argv[c + 1]
    if (inner !== undefined) return chainOf(inner, depth + 1)
  }
  const found = classifyArgv(argv)
  const info: CommandInfo = {
    kind: found.kind,
    argv,
    filters: [],
    complete: found.complete ?? true,
    countOnly: found.countOnly ?? false,
  }
  if (found.device !== undefined) info.device = found.device
  if (found.direction !== undefined) info.direction = found.direction
  if (found.table !== undefined) info.table = found.table
  if (found.chain !== undefined) info.chain = found.chain
  if (found.ciliumBinary !== undefined) info.ciliumBinary = found.ciliumBinary
  return [info]
}

const SHELLS = new Set(['sh', 'bash', 'ash', 'zsh', 'dash', 'busybox-sh'])

/** Filters that print every line they receive. */
const PRESERVING_FILTERS = new Set(['cat', 'tee', 'less', 'more', 'sort', 'column', 'nl'])
const GREPS = new Set(['grep', 'egrep', 'fgrep', 'zgrep', 'rg'])

/** Pipeline stages after the command: which of them may drop lines, which turn the output into a count. */
function withFilters(info: CommandInfo, stages: string[][], texts: string[]): CommandInfo {
  if (stages.length === 0) return info
  const out: CommandInfo = { ...info, filters: [...info.filters, ...texts] }
  for (const words of stages) {
    const name = words[0] !== undefined ? basename(words[0]) : ''
    if (PRESERVING_FILTERS.has(name)) continue
    out.complete = false
    if (name === 'wc') out.countOnly = true
    if (GREPS.has(name) && words.some((w) => w === '--count' || /^-[a-zA-Z]*c[a-zA-Z]*$/.test(w))) out.countOnly = true
  }
  return out
}

/** `2>/dev/null`, `2>&1`, `> out.txt`: not arguments. */
function dropRedirections(words: string[]): string[] {
  const out: string[] = []
  for (let i = 0; i < words.length; i++) {
    const w = words[i] as string
    const m = /^(\d*|&)(>>?|<)(.*)$/.exec(w)
    if (m) {
      if (m[3] === '') i++ // the target is the next word
      continue
    }
    out.push(w)
  }
  return out
}

/** Commands we read ourselves: their arguments are never another command. */
const CLASSIFIED = new Set([
  'ip', 'ifconfig', 'route', 'arp', 'netstat', 'cat', 'head', 'tail', 'grep', 'egrep', 'fgrep', 'zgrep', 'conntrack', 'tc',
  'bpftool', 'cilium', 'cilium-dbg',
])
/** Commands whose arguments are text or a topic, not a command they run (`echo ip route`, `man ip`). */
const NOT_RUNNERS = new Set([
  'echo', 'printf', 'man', 'info', 'help', 'which', 'type', 'whatis', 'whereis', 'apropos', 'tldr', 'history', 'alias',
  'tcpdump', 'tshark', 'hubble', 'curl', 'wget', 'ping', 'traceroute', 'mtr', 'dig', 'nslookup', 'host', 'git', 'journalctl',
  'bridge', 'ss', 'ethtool', 'sysctl', 'ls', 'find', 'test', '[',
])

function suffixAllowed(argv: string[]): boolean {
  const head = argv[0]
  if (head === undefined || argv.length < 2) return false
  const b = basename(head)
  return !CLASSIFIED.has(b) && !NOT_RUNNERS.has(b) && !SHELLS.has(b) && !/^ip6?tables/.test(b)
}

/**
 * How a wrapper is read: options taking a value (as the next word unless written `--x=v` or
 * `-xv`), a subcommand that must follow its own options (`docker … exec`), then how many
 * positional words (container, new root, duration) come before the command.
 */
interface WrapperSpec {
  values: string[]
  sub?: { name: string; globalValues: string[] }
  positionals: number
  /** `X=Y` words before the command are assignments (env, sudo) */
  assignments?: boolean
}

const EXEC_CONTAINER: WrapperSpec = {
  values: ['-e', '--env', '--env-file', '-u', '--user', '-w', '--workdir', '--detach-keys', '--timeout'],
  sub: { name: 'exec', globalValues: ['-H', '--host', '-c', '--context', '--config', '-l', '--log-level', '-r', '--runtime-endpoint', '-i', '--image-endpoint', '-t', '--timeout', '--namespace', '-n', '--address', '-a', '--url'] },
  positionals: 1,
}
const KUBECTL_EXEC: WrapperSpec = {
  values: ['-n', '--namespace', '-c', '--container', '--context', '--kubeconfig', '--cluster', '--user', '-s', '--server', '--token', '-f', '--filename', '--pod-running-timeout', '-l', '--selector'],
  sub: { name: 'exec', globalValues: ['-n', '--namespace', '--context', '--kubeconfig', '--cluster', '--user', '-s', '--server', '--token'] },
  positionals: 1,
}

const WRAPPERS: Record<string, WrapperSpec> = {
  sudo: { values: ['-u', '-g', '-C', '-D', '-h', '-p', '-r', '-t', '-T', '-U', '--user', '--group', '--close-from', '--chdir', '--host', '--prompt', '--role', '--type', '--command-timeout', '--other-user'], positionals: 0, assignments: true },
  doas: { values: ['-u', '-C'], positionals: 0 },
  nsenter: { values: ['-t', '--target', '-S', '--setuid', '-G', '--setgid'], positionals: 0 },
  chroot: { values: [], positionals: 1 },
  timeout: { values: ['-s', '--signal', '-k', '--kill-after'], positionals: 1 },
  env: { values: ['-u', '--unset', '-C', '--chdir'], positionals: 0, assignments: true },
  stdbuf: { values: ['-i', '-o', '-e'], positionals: 0 },
  nice: { values: ['-n', '--adjustment'], positionals: 0 },
  ionice: { values: ['-c', '--class', '-n', '--classdata', '-p', '-P', '-u'], positionals: 0 },
  time: { values: ['-f', '--format', '-o', '--output'], positionals: 0 },
  exec: { values: ['-a'], positionals: 0 },
  command: { values: [], positionals: 0 },
  watch: { values: ['-n', '--interval', '-d', '-q'], positionals: 0 },
  busybox: { values: [], positionals: 0 },
  docker: EXEC_CONTAINER,
  nerdctl: EXEC_CONTAINER,
  podman: EXEC_CONTAINER,
  crictl: EXEC_CONTAINER,
  kubectl: KUBECTL_EXEC,
  k: KUBECTL_EXEC,
  oc: KUBECTL_EXEC,
}

/** Index of the first word after the options starting at `i` (a `--` ends them and is skipped). */
function skipOptions(a: string[], i: number, values: readonly string[]): number {
  while (i < a.length) {
    const w = a[i] as string
    if (w === '--') return i + 1
    if (!w.startsWith('-') || w === '-') return i
    if (w.startsWith('--')) {
      i += !w.includes('=') && values.includes(w) ? 2 : 1
    } else {
      // bundled short flags (`-it`): only the last letter may take a value, inline (`-uroot`) or next
      const valueAt = [...w.slice(1)].findIndex((ch) => values.includes(`-${ch}`))
      i += valueAt === w.length - 2 ? 2 : 1
    }
  }
  return i
}

function skipAssignments(a: string[], i: number): number {
  while (i < a.length && /^[A-Za-z_][A-Za-z0-9_]*=/.test(a[i] as string)) i++
  return i
}

/** What a wrapper runs, or undefined when `a` is not a wrapper we can read. */
function unwrapOnce(a: string[]): string[] | undefined {
  const b = basename(a[0] as string)
  if (b === 'ip') {
    // ip [-options] netns exec NS cmd…
    let i = 1
    while (i < a.length && (a[i] as string).startsWith('-')) i++
    return a[i] === 'netns' && a[i + 1] === 'exec' && a.length > i + 3 ? a.slice(i + 3) : undefined
  }
  const spec = WRAPPERS[b]
  if (!spec) return undefined
  let i = 1
  if (spec.sub) {
    // kubectl … exec … -- cmd: everything after `--` is the command
    const dd = a.indexOf('--')
    const subAt = skipOptions(a, 1, spec.sub.globalValues)
    if (a[subAt] !== spec.sub.name) return undefined
    if (spec === KUBECTL_EXEC && dd !== -1) return a.slice(dd + 1)
    i = subAt + 1
  }
  i = skipOptions(a, i, spec.values)
  if (spec.assignments) i = skipAssignments(a, i)
  if (a[i - 1] === '--' && spec.positionals === 0) return a.slice(i)
  i += spec.positionals
  if (a[i] === '--') i++
  return i < a.length ? a.slice(i) : undefined
}

/** Removes sudo, nsenter, ip netns exec, kubectl/docker exec… until the command itself. */
function unwrap(argv: string[]): string[] {
  let a = skipAssignments(argv, 0) > 0 && skipAssignments(argv, 0) < argv.length ? argv.slice(skipAssignments(argv, 0)) : argv
  for (let guard = 0; guard < 8 && a.length > 0; guard++) {
    const next = unwrapOnce(a)
    if (next === undefined || next.length === 0) return a
    a = skipAssignments(next, 0) < next.length ? next.slice(skipAssignments(next, 0)) : next
  }
  return a
}

function classifyArgv(argv: string[]): Found {
  const cmd = argv[0]
  if (cmd === undefined) return UNKNOWN
  const b = basename(cmd)
  const args = argv.slice(1)
  switch (b) {
    case 'ip':
      return classifyIp(args)
    case 'ifconfig':
      return classifyIfconfig(args)
    case 'route':
      return classifyRoute(args)
    case 'netstat':
      // `netstat -rn` prints route -n's table
      return args.some((a) => /^-[a-zA-Z]*r/.test(a) || a === '--route') ? { kind: 'route-n' } : UNKNOWN
    case 'arp':
      return classifyArp(args)
    case 'cat':
      return classifyFileReader(args, 'cat')
    case 'head':
    case 'tail':
      return classifyFileReader(args, 'head')
    case 'grep':
    case 'egrep':
    case 'fgrep':
    case 'zgrep':
      return classifyGrepOverFile(args)
    case 'conntrack':
      return classifyConntrack(args)
    case 'tc':
      return classifyTc(args)
    case 'bpftool':
      return classifyBpftool(args)
    case 'cilium':
    case 'cilium-dbg':
      return classifyCilium(args, b)
  }
  if (/^ip6?tables(-legacy|-nft)?-save$/.test(b)) return { kind: 'iptables-save', ...tableOf(args) }
  if (/^ip6?tables(-legacy|-nft)?$/.test(b)) return classifyIptables(args)
  return UNKNOWN
}

// ---- iproute2 ----------------------------------------------------------------------------------

/** iproute2's object table, in its own order: a prefix means the first object it begins. */
const IP_OBJECTS = [
  'address', 'addrlabel', 'maddress', 'route', 'rule', 'neighbor', 'neighbour', 'ntable', 'ntbl', 'link', 'l2tp', 'fou',
  'ila', 'macsec', 'tunnel', 'tuntap', 'tap', 'token', 'tcpmetrics', 'tcp_metrics', 'monitor', 'xfrm', 'mroute', 'mrule',
  'netns', 'netconf', 'vrf', 'sr', 'nexthop', 'mptcp', 'ioam', 'stats',
]
/** Global options that take a value. */
const IP_VALUE_OPTIONS = new Set(['n', 'netns', 'f', 'family', 'b', 'batch', 'rc', 'rcvbuf', 'l', 'loops'])

function matchesPrefix(word: string, full: string): boolean {
  return word.length > 0 && full.startsWith(word)
}

function classifyIp(args: string[]): Found {
  let i = 0
  while (i < args.length && (args[i] as string).startsWith('-')) {
    const opt = (args[i] as string).replace(/^--?/, '')
    i += IP_VALUE_OPTIONS.has(opt) ? 2 : 1
  }
  const objWord = args[i]
  if (objWord === undefined) return UNKNOWN
  const obj = IP_OBJECTS.find((o) => matchesPrefix(objWord, o))
  const rest = args.slice(i + 1)
  switch (obj) {
    case 'address':
    case 'link':
      return showArgs(rest, 'ip-addr', classifyAddrSelectors)
    case 'route':
      // `ip route get X` prints the kernel's decision for X: one route, the one that matters for X
      if (rest[0] !== undefined && matchesPrefix(rest[0], 'get') && rest.length > 1) return { kind: 'ip-route', complete: false }
      return showArgs(rest, 'ip-route', classifyRouteSelectors)
    case 'rule':
      return showArgs(rest, 'ip-rule', classifyRuleSelectors)
    case 'neighbor':
    case 'neighbour':
      return showArgs(rest, 'ip-neigh', classifyNeighSelectors)
  }
  return UNKNOWN
}

type SelectorReader = (words: string[], kind: CommandKind) => Found

/** `show`/`list`/`lst` (or nothing) then selectors; add/del/get/flush… are not listings. */
function showArgs(rest: string[], kind: CommandKind, read: SelectorReader): Found {
  const sub = rest[0]
  if (sub === undefined) return { kind }
  if (matchesPrefix(sub, 'show') || matchesPrefix(sub, 'list') || sub === 'lst') return read(rest.slice(1), kind)
  if (sub.startsWith('-')) return UNKNOWN
  // iproute2 rejects `ip addr eth0`, but `ip route table all` style selectors are read as show
  if (SELECTOR_WORDS.has(sub)) return read(rest, kind)
  return UNKNOWN
}

const SELECTOR_WORDS = new Set(['dev', 'table', 'to', 'from', 'scope', 'proto', 'type', 'via', 'nud', 'vrf', 'master', 'label', 'up'])

function classifyAddrSelectors(w: string[], kind: CommandKind): Found {
  const out: Found = { kind }
  for (let j = 0; j < w.length; j++) {
    const k = w[j] as string
    if (k === 'dev') {
      if (w[j + 1] !== undefined) out.device = w[++j]
    } else if (['scope', 'to', 'label', 'type', 'master', 'vrf', 'group', 'nomaster'].includes(k)) {
      out.complete = false
      if (k !== 'nomaster') j++
    } else if (['up', 'primary', 'secondary', 'permanent', 'dynamic', 'tentative', 'deprecated', 'dadfailed', 'temporary'].includes(k) || k.startsWith('-')) {
      out.complete = false
    } else if (out.device === undefined) {
      out.device = k // `ip addr show eth0`: dev is optional
    }
  }
  return out
}

function classifyRouteSelectors(w: string[], kind: CommandKind): Found {
  const out: Found = { kind }
  for (let j = 0; j < w.length; j++) {
    const k = w[j] as string
    if (k === 'table' || k === 'vrf') {
      if (w[j + 1] !== undefined) out.table = w[++j]
    } else if (k === 'dev' || k === 'oif') {
      if (w[j + 1] !== undefined) out.device = w[++j]
    } else if (k === 'cache' || k === 'cloned' || k === 'cached') {
      out.complete = false
    } else {
      // via, proto, scope, type, src, match, root, exact, to, from, a prefix…: a subset
      out.complete = false
    }
  }
  return out
}

function classifyRuleSelectors(w: string[], kind: CommandKind): Found {
  return w.length === 0 ? { kind } : { kind, complete: false }
}

function classifyNeighSelectors(w: string[], kind: CommandKind): Found {
  const out: Found = { kind }
  for (let j = 0; j < w.length; j++) {
    const k = w[j] as string
    if (k === 'dev') {
      if (w[j + 1] !== undefined) out.device = w[++j]
    } else {
      out.complete = false // nud, proxy, to, vrf, an address…
      if (k === 'nud' || k === 'to' || k === 'vrf') j++
    }
  }
  return out
}

// ---- net-tools ---------------------------------------------------------------------------------

function classifyIfconfig(args: string[]): Found {
  const positional = args.filter((a) => !a.startsWith('-'))
  if (args.includes('-s')) return UNKNOWN // short table format
  if (positional.length === 0) return { kind: 'ifconfig' }
  if (positional.length === 1) return { kind: 'ifconfig', device: positional[0] }
  return UNKNOWN // `ifconfig eth0 up`, `ifconfig eth0 10.0.0.1 netmask …` configure
}

function classifyRoute(args: string[]): Found {
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string
    if (a === '-A' || a === '--family') {
      i++
      continue
    }
    if (a.startsWith('-')) {
      if (/^-[a-zA-Z0-9]*C/.test(a)) return UNKNOWN // routing cache
      continue
    }
    return UNKNOWN // add, del, flush…
  }
  return { kind: 'route-n' }
}

function classifyArp(args: string[]): Found {
  const out: Found = { kind: 'arp' }
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string
    if (a === '-i' || a === '--device') {
      if (args[i + 1] !== undefined) out.device = args[++i]
    } else if (a === '-H' || a === '-t' || a === '--hw-type') {
      i++
    } else if (/^-[a-zA-Z]*[sdf]/.test(a) || a === '--set' || a === '--delete' || a === '--file') {
      return UNKNOWN
    } else if (!a.startsWith('-')) {
      out.complete = false // a host filter
    }
  }
  return out
}

// ---- kernel files ------------------------------------------------------------------------------

function fileKind(path: string): Found | undefined {
  if (/(?:^|\/)proc\/(?:(?:\d+|self)\/)?net\/route$/.test(path)) return { kind: 'proc-net-route' }
  if (/(?:^|\/)proc\/(?:(?:\d+|self)\/)?net\/arp$/.test(path)) return { kind: 'proc-net-arp' }
  if (/(?:^|\/)proc\/(?:(?:\d+|self)\/)?net\/(?:nf|ip)_conntrack$/.test(path)) return { kind: 'nf-conntrack' }
  const m = /(?:^|\/)sys\/class\/net\/([^/]+)\/iflink$/.exec(path)
  if (m) return { kind: 'iflink', device: m[1] }
  return undefined
}

function classifyFileReader(args: string[], reader: 'cat' | 'head'): Found {
  const files: string[] = []
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string
    if (reader === 'head' && (a === '-n' || a === '-c')) i++
    else if (!a.startsWith('-')) files.push(a)
  }
  if (files.length !== 1) return UNKNOWN
  const found = fileKind(files[0] as string)
  if (!found) return UNKNOWN
  return reader === 'head' ? { ...found, complete: false } : found
}

/** `grep 1.0.0.1 /proc/net/nf_conntrack`: the file's kind, filtered. */
function classifyGrepOverFile(args: string[]): Found {
  let pattern = false
  let count = false
  const files: string[] = []
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string
    if (a === '--') {
      files.push(...args.slice(i + 1 + (pattern ? 0 : 1)))
      break
    }
    if (a.startsWith('--')) {
      if (a === '--count') count = true
      if (a === '--regexp' || a === '--file') {
        i++
        pattern = true
      } else if (a.startsWith('--regexp=') || a.startsWith('--file=')) pattern = true
      continue
    }
    if (a.startsWith('-') && a.length > 1) {
      // short options, possibly bundled (-iA1, -ic): e/f/A/B/C/m take a value, inline or next word
      for (let k = 1; k < a.length; k++) {
        const letter = a[k] as string
        if (letter === 'c') count = true
        if ('efABCm'.includes(letter)) {
          if (k === a.length - 1) i++
          if (letter === 'e' || letter === 'f') pattern = true
          break
        }
      }
      continue
    }
    if (!pattern) pattern = true
    else files.push(a)
  }
  if (files.length !== 1) return UNKNOWN
  const found = fileKind(files[0] as string)
  if (!found) return UNKNOWN
  return { ...found, complete: false, countOnly: count }
}

// ---- netfilter ---------------------------------------------------------------------------------

const CONNTRACK_FILTERS = new Set([
  '-p', '--proto', '-s', '--src', '--orig-src', '-d', '--dst', '--orig-dst', '-r', '--reply-src', '-q', '--reply-dst',
  '--sport', '--orig-port-src', '--dport', '--orig-port-dst', '--reply-port-src', '--reply-port-dst', '-m', '--mark',
  '-c', '--secmark', '-w', '--zone', '--orig-zone', '--reply-zone', '-u', '--status', '--state', '-n', '--src-nat',
  '-g', '--dst-nat', '-j', '--any-nat', '--label',
])

function classifyConntrack(args: string[]): Found {
  const first = args[0]
  if (first === undefined) return UNKNOWN
  const list = args.some((a) => a === '-L' || a === '--dump' || /^-[a-zA-Z]*L$/.test(a))
  const count = args.some((a) => a === '-C' || a === '--count')
  if (!list && !count) return UNKNOWN
  if (list && args.includes('expect')) return UNKNOWN
  const out: Found = { kind: 'nf-conntrack' }
  if (count) {
    out.countOnly = true
    out.complete = false
  }
  for (const a of args) {
    if (CONNTRACK_FILTERS.has(a) || CONNTRACK_FILTERS.has(a.split('=')[0] as string)) out.complete = false
  }
  return out
}

function tableOf(args: string[]): { table?: string } {
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string
    if ((a === '-t' || a === '--table') && args[i + 1] !== undefined) return { table: args[i + 1] }
    if (a.startsWith('--table=')) return { table: a.slice(8) }
    if (/^-t\w+$/.test(a)) return { table: a.slice(2) }
  }
  return {}
}

/** `iptables [-t nat] -vnL [CHAIN] [--line-numbers]`; `iptables -S` prints iptables-save lines. */
function classifyIptables(args: string[]): Found {
  let mode: 'list' | 'rules' | undefined
  let chain: string | undefined
  let table: string | undefined
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string
    const next = args[i + 1]
    const takesChain = next !== undefined && !next.startsWith('-')
    if (a === '--list' || a === '--list-rules') {
      mode = a === '--list' ? 'list' : 'rules'
      if (takesChain) chain = args[++i]
    } else if (a === '--table') {
      table = args[++i]
    } else if (a.startsWith('--table=')) {
      table = a.slice(8)
    } else if (a.startsWith('--')) {
      continue
    } else if (a.startsWith('-')) {
      const letters = a.slice(1)
      const t = letters.indexOf('t')
      if (t !== -1) {
        table = letters.slice(t + 1) || args[++i]
        continue
      }
      if (/[AIDRNXPEFZ]/.test(letters)) return UNKNOWN // changes rules
      if (letters.includes('L') || letters.includes('S')) {
        mode = letters.includes('L') ? 'list' : 'rules'
        if (letters.endsWith('L') || letters.endsWith('S')) {
          if (takesChain) chain = args[++i]
        }
      }
    } else if (mode && chain === undefined) {
      chain = a
    }
  }
  if (!mode) return UNKNOWN
  const out: Found = { kind: mode === 'list' ? 'iptables-list' : 'iptables-save', table: table ?? 'filter' }
  if (chain !== undefined) out.chain = chain
  return out
}

// ---- tc, bpftool -------------------------------------------------------------------------------

function classifyTc(args: string[]): Found {
  let i = 0
  while (i < args.length && (args[i] as string).startsWith('-')) {
    const opt = (args[i] as string).replace(/^--?/, '')
    i += opt === 'n' || opt === 'netns' || opt === 'b' || opt === 'batch' ? 2 : 1
  }
  const obj = args[i]
  if (obj === undefined || !matchesPrefix(obj, 'filter')) return UNKNOWN
  let j = i + 1
  const sub = args[j]
  if (sub !== undefined && !SELECTOR_TC.has(sub)) {
    if (!(matchesPrefix(sub, 'show') || matchesPrefix(sub, 'list') || sub === 'ls')) return UNKNOWN
    j++
  }
  const out: Found = { kind: 'tc-filter' }
  for (; j < args.length; j++) {
    const k = args[j] as string
    if (k === 'dev') out.device = args[++j]
    else if (k === 'ingress' || k === 'egress') out.direction = k
    else if (k === 'parent') {
      const p = (args[++j] ?? '').toLowerCase()
      if (p === 'ffff:fff2' || p === 'ffff:') out.direction = 'ingress'
      else if (p === 'ffff:fff3') out.direction = 'egress'
    } else if (k === 'block' || k === 'chain' || k === 'protocol' || k === 'pref' || k === 'prio' || k === 'handle') {
      j++
      if (k !== 'block') out.complete = false
    }
  }
  return out
}

const SELECTOR_TC = new Set(['dev', 'ingress', 'egress', 'parent', 'block'])

const BPFTOOL_OBJECTS = ['batch', 'prog', 'map', 'link', 'cgroup', 'perf', 'net', 'feature', 'btf', 'gen', 'struct_ops', 'iter', 'help']

function classifyBpftool(args: string[]): Found {
  let i = 0
  while (i < args.length && (args[i] as string).startsWith('-')) i++
  const objWord = args[i]
  const obj = objWord === undefined ? undefined : BPFTOOL_OBJECTS.find((o) => matchesPrefix(objWord, o))
  if (obj === 'map') return classifyBpftoolMap(args.slice(i + 1))
  if (obj !== 'net') return UNKNOWN
  const sub = args[i + 1]
  if (sub !== undefined && !(matchesPrefix(sub, 'show') || matchesPrefix(sub, 'list') || sub === 'dev')) return UNKNOWN
  const out: Found = { kind: 'bpftool-net' }
  const dev = args.indexOf('dev', i + 1)
  if (dev !== -1 && args[dev + 1] !== undefined) out.device = args[dev + 1]
  return out
}

/** `bpftool map lookup|dump pinned …/cilium_ipcache …`: the raw ipcache (a lookup is one entry). */
function classifyBpftoolMap(rest: string[]): Found {
  const sub = rest[0]
  if (sub === undefined) return UNKNOWN
  const lookup = matchesPrefix(sub, 'lookup')
  if (!lookup && !matchesPrefix(sub, 'dump')) return UNKNOWN
  const p = rest.indexOf('pinned')
  const path = p === -1 ? undefined : rest[p + 1]
  if (path === undefined || !/(?:^|\/)cilium_ipcache(?:_v\d+)?$/.test(path)) return UNKNOWN
  return lookup ? { kind: 'cilium-ipcache', complete: false } : { kind: 'cilium-ipcache' }
}

// ---- cilium ------------------------------------------------------------------------------------

const CILIUM_MONITOR_FILTERS = new Set(['-t', '--type', '--from', '--to', '--related-to'])

function classifyCilium(args: string[], binary: string): Found {
  const ciliumBinary = binary === 'cilium-dbg' ? 'cilium-dbg' : 'cilium'
  const words: string[] = []
  let monitorFiltered = false
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string
    if (a.startsWith('-')) {
      if (CILIUM_MONITOR_FILTERS.has(a.split('=')[0] as string)) monitorFiltered = true
      // options with a separate value: skip it so it is not read as a subcommand
      if (/^(-H|--host|--config|-t|--type|--from|--to|--related-to|-o|--output|-n|--namespace|--context)$/.test(a)) i++
      continue
    }
    words.push(a)
  }
  const [w0, w1, w2] = words
  const isList = (w: string | undefined) => w === 'list' || w === 'ls'
  let kind: CommandKind = 'unknown'
  if (w0 === 'bpf' && w1 === 'ct' && isList(w2)) kind = 'cilium-ct'
  else if (w0 === 'bpf' && w1 === 'nat' && isList(w2)) kind = 'cilium-nat'
  else if (w0 === 'bpf' && w1 === 'lb' && isList(w2)) kind = 'cilium-lb-list'
  else if (w0 === 'monitor') kind = 'cilium-monitor'
  else if (w0 === 'config' && (w1 === undefined || w1 === 'view')) kind = 'cilium-config'
  else if (w0 === 'endpoint' && isList(w1)) kind = 'cilium-endpoint-list'
  else if (w0 === 'service' && isList(w1)) kind = 'cilium-service-list'
  else if (w0 === 'status') kind = 'cilium-status'
  else if (w0 === 'map' && w1 === 'get' && w2 !== undefined && /^cilium_ipcache(?:_v\d+)?$/.test(w2)) kind = 'cilium-ipcache'
  else if (w0 === 'bpf' && w1 === 'ipcache' && (isList(w2) || w2 === 'get')) kind = 'cilium-ipcache'
  const out: Found = { kind, ciliumBinary }
  if (kind === 'cilium-monitor' && monitorFiltered) out.complete = false
  if (kind === 'cilium-ipcache' && w1 === 'ipcache' && w2 === 'get') out.complete = false
  return out
}
