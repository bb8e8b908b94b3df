/**
 * Which conntrack, NAT and monitor records show the flow. A capture's entries often come from
 * different runs of the same test (a new source port each time), so records are matched by
 * protocol, addresses and destination port — never by source port — and the caller reports the
 * port differences.
 */
import type { Protocol } from '@/lib/model/capture'
import type { CiliumCtRecord, CiliumMonitorRecord, CiliumNatRecord, NfConntrackRecord } from '@/lib/model/records'

export interface FlowKey {
  protocol: Protocol
  src: string
  dst: string
  dport?: number
}

/** `TCP`, `tcp`, `6` → tcp; ICMP, `1` → icmp. */
export function sameProtocol(printed: string | undefined, p: Protocol): boolean {
  if (!printed) return false
  const t = printed.toLowerCase()
  if (t === p) return true
  return (p === 'tcp' && t === '6') || (p === 'udp' && t === '17') || (p === 'icmp' && (t === '1' || t === 'icmpv4'))
}

/** ICMP has no ports: CT tables print the echo id or 0 in their place. */
function portMatches(key: FlowKey, dport: number | undefined): boolean {
  if (key.protocol === 'icmp' || key.dport === undefined) return true
  return dport === key.dport
}

/** Outgoing CT entries of the flow, the main one (not `related`) first. */
export function matchCiliumCt(records: readonly CiliumCtRecord[], key: FlowKey): CiliumCtRecord[] {
  const hits = records.filter(
    (r) =>
      sameProtocol(r.protocol, key.protocol) &&
      r.src === key.src &&
      r.dst === key.dst &&
      portMatches(key, r.dport) &&
      !r.service &&
      (r.direction === 'OUT' || r.direction === ''),
  )
  return hits.sort((a, b) => Number(!!a.related) - Number(!!b.related))
}

export function matchNfConntrack(records: readonly NfConntrackRecord[], key: FlowKey): NfConntrackRecord[] {
  return records.filter(
    (r) =>
      (sameProtocol(r.protocol, key.protocol) || (r.protocolNumber !== undefined && sameProtocol(String(r.protocolNumber), key.protocol))) &&
      r.original.src === key.src &&
      r.original.dst === key.dst &&
      portMatches(key, r.original.dport),
  )
}

export function matchCiliumNat(records: readonly CiliumNatRecord[], key: FlowKey): CiliumNatRecord[] {
  return records.filter(
    (r) => r.xlate === 'XLATE_SRC' && sameProtocol(r.protocol, key.protocol) && r.src === key.src && r.dst === key.dst && portMatches(key, r.dport),
  )
}

/** Trace events of the request direction (pod → destination). */
export function matchMonitor(records: readonly CiliumMonitorRecord[], key: FlowKey): CiliumMonitorRecord[] {
  return records.filter(
    (r) => r.src === key.src && r.dst === key.dst && (r.protocol === undefined || sameProtocol(r.protocol, key.protocol)) && portMatches(key, r.dport),
  )
}
