/**
 * The pod's own address, read from its round-1 outputs when the flow does not name it. Which
 * devices round 2 asks about is the engine's business now (its walk's `needs`), so the collector
 * keeps no route lookup or veth pairing of its own.
 */
import type { Run } from '@/lib/model/capture'
import type { InterfaceRecord } from '@/lib/model/records'
import { parseIpAddr } from '@/lib/parsers'

function okRun(runs: readonly Run[], command: string): Run | undefined {
  return runs.find((r) => r.command === command && r.exitCode === 0 && r.stdout.trim() !== '')
}

function interfaces(runs: readonly Run[], ...commands: string[]): InterfaceRecord[] {
  for (const c of commands) {
    const r = okRun(runs, c)
    if (r) return parseIpAddr(r.stdout).records
  }
  return []
}

/** The pod's own address: the IPv4 address on eth0 (or on the first non-loopback device). */
export function findPodIp(podRuns: readonly Run[]): { ip: string; device: string } | undefined {
  const ifs = interfaces(podRuns, 'ip addr').filter((i) => i.name !== 'lo')
  const ordered = [...ifs.filter((i) => i.name === 'eth0'), ...ifs.filter((i) => i.name !== 'eth0')]
  for (const i of ordered) {
    const a = i.addresses.find((x) => x.family === 'inet')
    if (a) return { ip: a.ip, device: i.name }
  }
  return undefined
}
