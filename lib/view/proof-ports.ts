/**
 * Source ports that the proving lines themselves show. The walk's packet rarely knows the
 * source port (it is chosen by the application), but a conntrack or monitor line quoted as proof
 * often does: `TCP OUT 10.244.0.213:46486 -> 1.0.0.1:80 …` (Cilium CT, cilium monitor) or
 * `… src=10.244.0.213 dst=1.0.0.1 sport=41708 dport=80 …` (/proc/net/nf_conntrack). When several
 * lines show different ports, the proofs come from different connections, and the screen says so.
 */
import type { WalkView } from './walk-view'

export interface SeenPort {
  port: number
  hop: number
  command: string
  line: number
}

const esc = (ip: string) => ip.replace(/[.]/g, '\\.')

/** The source port a line shows for a connection from `src` (to `dst`), if any. */
export function sourcePortIn(line: string, src: string, dst: string): number | undefined {
  const arrow = new RegExp(`(?:^|[\\s:])${esc(src)}:(\\d{1,5})\\s*->\\s*${esc(dst)}[:\\s]`).exec(line)
  if (arrow) return Number(arrow[1])
  const tuple = new RegExp(`src=${esc(src)}\\s+dst=${esc(dst)}\\s+sport=(\\d{1,5})\\b`).exec(line)
  return tuple ? Number(tuple[1]) : undefined
}

function lineText(view: WalkView, key: string | undefined, n: number): string | undefined {
  const out = key ? view.outputs[key] : undefined
  const chunk = out?.chunks.find((c) => n >= c.from && n < c.from + c.lines.length)
  return chunk?.lines[n - chunk.from]
}

/** Every source port shown by a proving line, hop by hop, for the walk's flow (before any NAT). */
export function proofPorts(view: WalkView): SeenPort[] {
  const { source, destination } = view.walk.flow
  const dsts = new Set([destination.ip])
  for (const hop of view.walk.hops) if (hop.packet?.dstIp) dsts.add(hop.packet.dstIp)
  const seen: SeenPort[] = []
  view.evidence.forEach((evs, hop) => {
    for (const ev of evs)
      for (const n of ev.lines) {
        const text = lineText(view, ev.key, n)
        if (!text) continue
        for (const dst of dsts) {
          const port = sourcePortIn(text, source.ip, dst)
          if (port !== undefined) {
            seen.push({ port, hop, command: ev.command, line: n })
            break
          }
        }
      }
  })
  return seen
}

/** The distinct ports, in the order the walk meets them. */
export function distinctPorts(seen: SeenPort[]): SeenPort[] {
  const out: SeenPort[] = []
  for (const s of seen) if (!out.some((o) => o.port === s.port)) out.push(s)
  return out
}
