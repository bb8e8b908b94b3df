/**
 * What of a walk must be the same every time the lab is rebuilt and captured: the hops' kinds,
 * hosts, proof and facts (devices, addresses, rules), and which outputs prove them. What really
 * varies between runs is taken out: ephemeral ports (the client's, the one --random-fully picks),
 * conntrack timers, ICMP ids and use counts, BPF program and map ids, byte and packet counts, and
 * the NUD state of a resolved neighbour (REACHABLE, STALE, DELAY, PROBE: time alone moves it).
 */
import type { Walk } from '@/lib/model/walk'

/** Ports the lab fixes; any other port of 1024 and up is ephemeral. */
const FIXED_PORTS = new Set(['8080', '30080', '8472', '6081'])

export function normaliseText(s: string): string {
  return s
    .replace(/^((?:ipv4\s+2\s+)?(?:tcp|udp|icmp)\s+\d+)\s+\d+/, '$1 <timer>')
    .replace(/\b(sport|dport)=(\d+)/g, (m, k: string, p: string) => (Number(p) >= 1024 && !FIXED_PORTS.has(p) ? `${k}=<port>` : m))
    .replace(/(\d+\.\d+\.\d+\.\d+):(\d+)/g, (m, ip: string, p: string) => (Number(p) >= 1024 && !FIXED_PORTS.has(p) ? `${ip}:<port>` : m))
    .replace(/\bid[= ](\d+)/g, 'id <id>')
    .replace(/\b(use|packets|bytes)=\d+/g, '$1=<n>')
}

export interface HopShape {
  kind: string
  host: string
  proven: boolean
  facts: Record<string, string>
  evidence: string[]
}

export function walkShape(w: Walk): HopShape[] {
  return w.hops.map((h) => {
    const facts: Record<string, string> = {}
    for (const [k, v] of Object.entries(h.facts ?? {})) {
      // a resolved neighbour entry moves between these states with time alone (NUD timers)
      facts[k] = k === 'state' && /^(REACHABLE|STALE|DELAY|PROBE)$/.test(String(v)) ? '<resolved>' : normaliseText(String(v))
    }
    return {
      kind: h.kind,
      host: h.host,
      proven: h.proven !== false,
      facts,
      evidence: [...new Set((h.evidence ?? []).map((e) => `${e.host}: ${normaliseText(e.command)}`))].sort(),
    }
  })
}
