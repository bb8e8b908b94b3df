/**
 * parseHubbleFlows — `hubble observe -o json`: one JSON object per line. Hubble ≥ 0.11 prints the
 * GetFlowsResponse (`{"flow":{…},"node_name":…,"time":…}`, the shape of its flow export files too);
 * older clients printed the Flow itself. Both are read; the fields kept are the ones a walk cites:
 * addresses and ports (before and after translation), where the datapath saw the packet
 * (`trace_observation_point`, `interface`), what it did (`verdict`, `drop_reason_desc`) and whether it
 * was a reply (`is_reply`, absent in JSON when false).
 *
 *   {"flow":{…"IP":{"source":"10.10.21.241","destination":"9.134.108.44"…},"trace_observation_point":"TO_NETWORK",
 *     "is_reply":false,"interface":{"index":2,"name":"eth0"}…},"node_name":"10.10.21.241",…}
 *   → { line: 1, src: '10.10.21.241', dst: '9.134.108.44', observationPoint: 'TO_NETWORK', device: 'eth0', isReply: false, … }
 */
import type { Diagnostic, ParseResult } from '@/lib/model/records'
import { clip, isNoise, splitLines } from './common'

export interface HubbleFlowRecord {
  line: number
  time?: string
  node?: string
  verdict: string
  /** DROPPED flows: why (`drop_reason_desc`) */
  dropReason?: string
  protocol?: 'tcp' | 'udp' | 'icmp'
  src: string
  dst: string
  /** the address before/after Cilium's service or masquerade translation, when Hubble knows it */
  srcXlated?: string
  sport?: number
  dport?: number
  /** TO_ENDPOINT, TO_STACK, TO_NETWORK, FROM_ENDPOINT, FROM_NETWORK, TO_OVERLAY… */
  observationPoint?: string
  /** NEW, ESTABLISHED, REPLY… */
  traceReason?: string
  direction?: string
  isReply: boolean
  /** the device the event was seen on */
  device?: string
  ifindex?: number
  srcPod?: string
  dstPod?: string
  summary?: string
}

type Json = Record<string, unknown>
const obj = (v: unknown): Json | undefined => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : undefined)
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined)
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined)

function pod(e: Json | undefined): string | undefined {
  const ns = str(e?.namespace)
  const name = str(e?.pod_name)
  return name ? (ns ? `${ns}/${name}` : name) : undefined
}

function record(line: number, flow: Json, envelope: Json): HubbleFlowRecord | string {
  const ip = obj(flow.IP)
  const src = str(ip?.source)
  const dst = str(ip?.destination)
  if (!src || !dst) return 'a flow without IP source and destination (an L7 or non-IP event)'
  const l4 = obj(flow.l4)
  const tcp = obj(l4?.TCP)
  const udp = obj(l4?.UDP)
  const icmp = obj(l4?.ICMPv4) ?? obj(l4?.ICMPv6)
  const ports = tcp ?? udp
  const iface = obj(flow.interface)
  const r: HubbleFlowRecord = {
    line,
    verdict: str(flow.verdict) ?? 'VERDICT_UNKNOWN',
    src,
    dst,
    isReply: flow.is_reply === true,
  }
  const set = <K extends keyof HubbleFlowRecord>(k: K, v: HubbleFlowRecord[K] | undefined) => {
    if (v !== undefined) r[k] = v
  }
  set('time', str(flow.time) ?? str(envelope.time))
  set('node', str(envelope.node_name) ?? str(flow.node_name))
  set('dropReason', str(flow.drop_reason_desc))
  set('protocol', tcp ? 'tcp' : udp ? 'udp' : icmp ? 'icmp' : undefined)
  set('srcXlated', str(ip?.source_xlated))
  set('sport', num(ports?.source_port))
  set('dport', num(ports?.destination_port))
  set('observationPoint', str(flow.trace_observation_point))
  set('traceReason', str(flow.trace_reason))
  set('direction', str(flow.traffic_direction))
  set('device', str(iface?.name))
  set('ifindex', num(iface?.index))
  set('srcPod', pod(obj(flow.source)))
  set('dstPod', pod(obj(flow.destination)))
  set('summary', str(flow.Summary))
  return r
}

export function parseHubbleFlows(text: string): ParseResult<HubbleFlowRecord> {
  const records: HubbleFlowRecord[] = []
  const diagnostics: Diagnostic[] = []
  const lines = splitLines(text)
  for (let i = 0; i < lines.length; i++) {
    const t = (lines[i] as string).trim()
    if (t === '') continue
    if (!t.startsWith('{')) {
      if (!isNoise(t)) diagnostics.push({ line: i + 1, message: `not a JSON flow (run hubble observe with -o json): ${clip(t)}` })
      continue
    }
    let parsed: unknown
    try {
      parsed = JSON.parse(t)
    } catch {
      diagnostics.push({ line: i + 1, message: `invalid JSON: ${clip(t)}` })
      continue
    }
    const envelope = obj(parsed) ?? {}
    // GetFlowsResponse carries node_status / lost_events lines too: only flows are records
    const flow = obj(envelope.flow) ?? (obj(envelope.IP) || str(envelope.verdict) ? envelope : undefined)
    if (!flow) continue
    const r = record(i + 1, flow, envelope)
    if (typeof r === 'string') diagnostics.push({ line: i + 1, message: r })
    else records.push(r)
  }
  return { records, diagnostics }
}
