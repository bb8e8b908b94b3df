/**
 * `needs`: what a collector should run next to prove a walk's unproven hops. Derived from the
 * hops' `prove` only (the engine never asks for a command no hop is waiting on), one entry per
 * place and command, in the order the packet meets the hops: a collector that runs them in order
 * proves the walk from its first gap onwards.
 */
import type { Hop, Need } from '@/lib/model/walk'
import { shellPipelines } from '@/lib/commands/shell-words'

/** `cilium bpf ct list global | grep 10.0.0.1` → the command before the first pipe, as words. */
export function commandArgv(command: string): string[] {
  return shellPipelines(command)[0]?.[0]?.words ?? []
}

/** A command whose output holds another's: asking for both would run the smaller one for nothing. */
const SUPERSETS: Record<string, string> = {
  'ip route': 'ip route show table all',
  'ip r': 'ip route show table all',
  'ip route show': 'ip route show table all',
}

export function needsOf(hops: readonly Hop[]): Need[] {
  return dropSubsumed(collect(hops))
}

/** The bigger command takes the place of the first of the two: the earliest hop it proves. */
function dropSubsumed(needs: Need[]): Need[] {
  const keyOf = (n: Need, command: string) => `${n.role}\u0000${n.host}\u0000${command}`
  const byKey = new Map(needs.map((n) => [keyOf(n, n.command), n]))
  const out: Need[] = []
  const placed = new Set<Need>()
  for (const n of needs) {
    const sup = SUPERSETS[n.command]
    const bigger = sup ? byKey.get(keyOf(n, sup)) : undefined
    const emit = bigger ?? n
    if (bigger) bigger.hops = [...new Set([...n.hops, ...bigger.hops])].sort((a, b) => a - b)
    if (placed.has(emit)) continue
    placed.add(emit)
    out.push(emit)
  }
  return out
}

function collect(hops: readonly Hop[]): Need[] {
  const out: Need[] = []
  const byKey = new Map<string, Need>()
  hops.forEach((hop, index) => {
    const p = hop.proven ? undefined : hop.prove
    if (!p?.role) return
    const argv = commandArgv(p.command)
    if (argv.length === 0) return
    const command = argv.join(' ')
    const key = `${p.role}\u0000${p.host}\u0000${command}`
    const prev = byKey.get(key)
    if (prev) {
      prev.hops.push(index)
      return
    }
    const need: Need = { host: p.host, role: p.role, ...(p.node ? { node: p.node } : {}), inCapture: p.inCapture ?? false, ...(p.ip ? { ip: p.ip } : {}), command, argv, hops: [index] }
    byKey.set(key, need)
    out.push(need)
  })
  return out
}
