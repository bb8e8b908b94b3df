/**
 * Large benchmark inputs built by scaling REAL samples: lines copied from the seed lab, the corpus
 * and the lab fixtures, repeated with their addresses and ports changed programmatically. Nothing
 * here invents an output format; every line is a real line with other numbers in it.
 */
import fs from 'node:fs'
import path from 'node:path'

const ROOT = path.resolve(__dirname, '..')
const PARSER_FIXTURES = path.join(ROOT, 'lib', 'parsers', 'fixtures')
const ENGINE_FIXTURES = path.join(ROOT, 'lib', 'engine', 'fixtures')

export function readFixture(name: string): string {
  for (const dir of [PARSER_FIXTURES, ENGINE_FIXTURES]) {
    const p = path.join(dir, name)
    if (fs.existsSync(p)) return fs.readFileSync(p, 'utf8')
  }
  throw new Error(`bench: fixture ${name} not found`)
}

export interface SeedCapture {
  hosts: Record<string, { runs: { command: string; stdout: string; stderr: string }[] }>
  [k: string]: unknown
}

export function readSeed(): SeedCapture {
  return JSON.parse(fs.readFileSync(path.join(ROOT, 'lib', 'demo', 'seed-doks.capture.json'), 'utf8')) as SeedCapture
}

function seedStdout(seed: SeedCapture, host: string, prefix: string): string {
  const run = seed.hosts[host]?.runs.find((r) => r.command.startsWith(prefix))
  if (!run) throw new Error(`bench: seed has no ${prefix} on ${host}`)
  return run.stdout
}

const dataLines = (text: string) => text.split('\n').filter((l) => l.trim().length > 0)

/** The i-th address of a /8: 10.a.b.c walking upwards, never the seed pod itself. */
function podIp(i: number): string {
  const n = i + 1000
  return `10.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`
}
function worldIp(i: number): string {
  const n = i * 7919 + 17
  return `${11 + ((n >>> 24) % 200)}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${(n & 253) + 1}`
}
const port = (i: number) => 1024 + ((i * 37) % 64000)

/**
 * `cilium bpf ct list global` with `entries` lines: the seed's own entries (so a walk finds the
 * flow) followed by the seed's and tanjunchen's real entries with other tuples.
 */
export function scaledCiliumCt(entries: number): string {
  const seed = dataLines(seedStdout(readSeed(), 'cilium-r7ffp', 'cilium bpf ct list'))
  const corpus = dataLines(readFixture('tanjunchen-kind-cilium-kpr__agent-cilium-bpf-ct-list-global-grep.txt')).filter((l) => /^(TCP|UDP|ICMP) /.test(l))
  const templates = [...seed, ...corpus]
  const out: string[] = [...seed]
  const tuple = /(\d+\.\d+\.\d+\.\d+):(\d+) -> (\d+\.\d+\.\d+\.\d+):(\d+)/
  for (let i = out.length; i < entries; i++) {
    const t = templates[i % templates.length] as string
    out.push(t.replace(tuple, (_m, _s, sp, _d, dp) => `${podIp(i)}:${sp === '0' ? '0' : port(i)} -> ${worldIp(i)}:${dp}`))
  }
  return out.join('\n') + '\n'
}

/** /proc/net/nf_conntrack with `lines` entries: the seed's entry, then the seed's and the lab's real entries re-addressed. */
export function scaledNfConntrack(lines: number): string {
  const seed = dataLines(seedStdout(readSeed(), 'node-7o7xd', 'grep 1.0.0.1 /proc/net/nf_conntrack'))
  const lab = dataLines(readFixture('lab-netns-proc-net-nf_conntrack.txt'))
  const templates = [...seed, ...lab]
  const out: string[] = [...seed]
  for (let i = out.length; i < lines; i++) {
    const t = templates[i % templates.length] as string
    const s = podIp(i)
    const d = worldIp(i)
    const p = String(port(i))
    let k = 0
    // original src/dst, then reply src (= original dst) / dst (the node, or the pod)
    const line = t
      .replace(/(src|dst)=(\d+\.\d+\.\d+\.\d+)/g, (_m, key: string) => `${key}=${[s, d, d, '164.92.138.123'][k++] ?? s}`)
      .replace(/sport=\d+ dport=(\d+) (.*?)sport=(\d+) dport=\d+/, (_m, dp: string, mid: string, rsp: string) => `sport=${p} dport=${dp} ${mid}sport=${rsp} dport=${p}`)
    out.push(line)
  }
  return out.join('\n') + '\n'
}

/**
 * `iptables-save` with `rules` rules: the lab's real ruleset (with Cilium's CILIUM_POST_nat
 * MASQUERADE for 10.244.0.0/24 — the seed pod's range) followed by real kube-proxy/Cilium nat rules
 * from tanjunchen's node and the lab's DNAT rule, re-addressed, in the chains they came from.
 */
export function scaledIptablesSave(rules: number): string {
  const lab = readFixture('lab-netns-iptables-save-c.txt')
  const tj = dataLines(readFixture('tanjunchen-cilium-iptables-419__node-iptables-save-annotated.txt'))
  const natStart = tj.indexOf('*nat')
  const natLines = tj.slice(natStart)
  const declared = natLines.filter((l) => l.startsWith(':') && !/^:(PREROUTING|INPUT|OUTPUT|POSTROUTING|CILIUM_POST_nat) /.test(l))
  const templates = [
    ...natLines.filter((l) => l.startsWith('-A ') && !/^-A (POSTROUTING|CILIUM_POST_nat) /.test(l)),
    ...dataLines(lab).filter((l) => /-j DNAT/.test(l)).map((l) => l.replace(/^\[\d+:\d+\] /, '')),
  ]
  const labLines = lab.split('\n')
  const natAt = labLines.indexOf('*nat')
  const commitAt = labLines.indexOf('COMMIT', natAt)
  const have = dataLines(lab).filter((l) => /^(\[\d+:\d+\] )?-A /.test(l)).length
  const filler: string[] = []
  for (let i = 0; i < rules - have; i++) {
    const t = templates[i % templates.length] as string
    let k = 0
    filler.push(t.replace(/\d+\.\d+\.\d+\.\d+(\/\d+)?/g, (_m, len: string | undefined) => (k++ === 0 ? `10.96.${(i >>> 8) & 255}.${i & 255}${len ?? ''}` : `${podIp(i)}${len ?? ''}`)))
  }
  // chain declarations go with the table header, rules before COMMIT
  const out = [...labLines.slice(0, natAt + 5), ...declared, ...labLines.slice(natAt + 5, commitAt), ...filler, ...labLines.slice(commitAt)]
  return out.join('\n')
}

export const routes5000 = {
  ipRoute: () => readFixture('lab-bench-5000-ip-route.txt'),
  routeN: () => readFixture('lab-bench-5000-route-n.txt'),
  procNetRoute: () => readFixture('lab-bench-5000-proc-net-route.txt'),
}
