/**
 * detectDatapath: how this Cilium node moves packets — native or tunnel routing, who masquerades
 * (iptables, BPF, nobody), legacy or BPF host routing — from three kinds of proof, in this order
 * of authority: `cilium status` lines, the configuration (capture.cluster.config and any
 * `cilium config view` run), and side evidence (a CILIUM_POST_nat MASQUERADE rule, missing
 * cilium_snat_v4_external maps, a cilium_vxlan device). Where they disagree, the stronger one
 * wins and the disagreement becomes a warning: a lab mixing outputs is exactly what a student
 * should notice.
 */
import type { Capture } from '@/lib/model/capture'
import type { DatapathMode, Evidence } from '@/lib/model/walk'
import { parseCidr } from '@/lib/net'
import { cite, type Facts, type HostFacts } from './facts'

export interface DatapathInfo {
  mode: DatapathMode
  /** ipv4-native-routing-cidr (or the CIDR `cilium status` prints after Masquerading): not masqueraded */
  nativeCidr?: string
  /** the proof behind each decision, for hops to cite */
  evidence: { routing: Evidence[]; masquerade: Evidence[]; hostRouting: Evidence[] }
  warnings: string[]
}

interface ConfigValue {
  value: string
  label: string
  evidence?: Evidence
}

/** Looks a key up in the agent's `cilium config view` runs first (they show the live agent), then in cluster.config. */
function configLookup(capture: Capture, agent: HostFacts | undefined, warnings: string[]) {
  const seen = new Map<string, ConfigValue | undefined>()
  return (...keys: string[]): ConfigValue | undefined => {
    for (const key of keys) {
      if (seen.has(key)) {
        const v = seen.get(key)
        if (v) return v
        continue
      }
      let fromRun: ConfigValue | undefined
      for (const p of agent?.ciliumConfig ?? []) {
        const r = p.records.find((k) => k.key === key)
        if (r) {
          fromRun = { value: r.value, label: `\`${p.source.command}\` L${r.line}: ${key} ${r.value}`, evidence: cite(p.source, [r.line]) }
          break
        }
      }
      const cv = capture.cluster.config?.[key]
      const fromCluster = cv !== undefined ? { value: cv, label: `cluster.config ${key}=${cv}` } : undefined
      if (fromRun && fromCluster && fromRun.value !== fromCluster.value) {
        warnings.push(`Configuration disagrees: ${fromRun.label} but ${fromCluster.label}; using the agent's value.`)
      }
      const v = fromRun ?? fromCluster
      seen.set(key, v)
      if (v) return v
    }
    return undefined
  }
}

const isTrue = (v: string | undefined) => v !== undefined && /^(true|enabled?|yes|1)$/i.test(v.trim())
const isFalse = (v: string | undefined) => v !== undefined && /^(false|disabled?|no|0)$/i.test(v.trim())

export function detectDatapath(capture: Capture, hosts: { node?: HostFacts; agent?: HostFacts }, facts?: Facts): DatapathInfo {
  const warnings: string[] = []
  const basis: string[] = []
  const ev: DatapathInfo['evidence'] = { routing: [], masquerade: [], hostRouting: [] }
  const { node, agent } = hosts
  const config = configLookup(capture, agent, warnings)
  const statusOf = [...(agent?.ciliumStatus ?? []), ...(node?.ciliumStatus ?? [])][0]
  const status = statusOf?.status
  const mode: DatapathMode = { basis }

  // ---- routing: native or tunnel
  const routingMode = config('routing-mode')
  const tunnel = config('tunnel')
  const tunnelProtocol = config('tunnel-protocol')
  let configRouting: 'native' | 'tunnel' | undefined
  let configLabel = ''
  if (routingMode && /^(native|tunnel)$/.test(routingMode.value)) {
    configRouting = routingMode.value as 'native' | 'tunnel'
    configLabel = routingMode.label
    if (routingMode.evidence) ev.routing.push(routingMode.evidence)
  } else if (tunnel && tunnel.value !== '') {
    configRouting = tunnel.value === 'disabled' ? 'native' : 'tunnel'
    configLabel = tunnel.label
    if (/^(vxlan|geneve)$/.test(tunnel.value)) mode.tunnelType = tunnel.value as 'vxlan' | 'geneve'
    if (tunnel.evidence) ev.routing.push(tunnel.evidence)
  }
  let statusRouting: 'native' | 'tunnel' | undefined
  if (status?.routing) {
    if (/tunnel/i.test(status.routing.value)) statusRouting = 'tunnel'
    else if (/native/i.test(status.routing.value)) statusRouting = 'native'
    const m = /\b(vxlan|geneve)\b/i.exec(status.routing.value)
    if (m && m[1]) mode.tunnelType = m[1].toLowerCase() as 'vxlan' | 'geneve'
    if (statusOf) ev.routing.push(cite(statusOf.source, [status.routing.line]))
  }
  // the routing mode is cluster-wide: another node's tunnel device says it too
  const others = Object.values(facts?.hosts ?? {}).filter((h) => h !== node && h !== agent && h.host.role !== 'pod')
  const tunnelDevice = findTunnelDevice(node, agent) ?? findTunnelDevice(...others)
  if (statusRouting) {
    mode.routing = statusRouting
    basis.push(`routing ${statusRouting}: \`${statusOf?.source.command}\` L${status?.routing?.line} "${status?.routing?.value}"`)
    if (configRouting && configRouting !== statusRouting) warnings.push(`cilium status says ${statusRouting} routing but ${configLabel}.`)
  } else if (configRouting) {
    mode.routing = configRouting
    basis.push(`routing ${configRouting}: ${configLabel}`)
  } else if (tunnelDevice) {
    mode.routing = 'tunnel'
    basis.push(`routing tunnel: ${tunnelDevice.label} exists (no routing-mode in the configuration)`)
  }
  if (mode.routing === 'tunnel' && !mode.tunnelType) {
    if (tunnelProtocol && /^(vxlan|geneve)$/.test(tunnelProtocol.value)) mode.tunnelType = tunnelProtocol.value as 'vxlan' | 'geneve'
    else if (tunnelDevice) mode.tunnelType = tunnelDevice.type
    else {
      mode.tunnelType = 'vxlan'
      basis.push(`assumption: tunnel protocol vxlan, Cilium's default: no tunnel-protocol setting or tunnel device in the capture names it`)
    }
  }
  if (tunnelDevice) {
    ev.routing.push(tunnelDevice.evidence)
    if (mode.routing === 'native') warnings.push(`Native routing is configured but ${tunnelDevice.label} exists: a tunnel device is expected only in tunnel mode.`)
  }

  // ---- masquerade
  const masqRule = findMasqueradeRule(node)
  const missing = findMissingSnatMap(agent ?? node)
  const bpfNatUsed = [...(agent?.ciliumNat ?? [])].some((p) => p.records.some((r) => r.xlate === 'XLATE_SRC'))
  let statusMasq: DatapathMode['masquerade']
  if (status?.masquerading) {
    const v = status.masquerading.value
    statusMasq = /^iptables/i.test(v) ? 'iptables' : /^bpf/i.test(v) ? 'bpf' : /^disabled/i.test(v) ? 'none' : undefined
    if (statusOf) ev.masquerade.push(cite(statusOf.source, [status.masquerading.line]))
  }
  const ipv4Masq = config('enable-ipv4-masquerade', 'masquerade')
  const bpfMasq = config('enable-bpf-masquerade')
  let configMasq: DatapathMode['masquerade']
  const configMasqLabels: string[] = []
  if (ipv4Masq) configMasqLabels.push(ipv4Masq.label)
  if (bpfMasq) configMasqLabels.push(bpfMasq.label)
  if (isFalse(ipv4Masq?.value)) configMasq = 'none'
  else if (isTrue(bpfMasq?.value)) configMasq = 'bpf'
  else if (bpfMasq || ipv4Masq) configMasq = 'iptables'
  for (const c of [ipv4Masq, bpfMasq]) if (c?.evidence) ev.masquerade.push(c.evidence)
  const masqOther = config('masquerade')
  if (masqOther?.evidence && masqOther !== ipv4Masq) ev.masquerade.push(masqOther.evidence)

  let evidenceMasq: DatapathMode['masquerade']
  const evLabels: string[] = []
  if (masqRule) {
    evidenceMasq = 'iptables'
    evLabels.push(`${masqRule.label}`)
  }
  if (missing) {
    ev.masquerade.push(missing.evidence)
    evLabels.push(missing.label)
  }
  if (bpfNatUsed && !evidenceMasq) {
    evidenceMasq = 'bpf'
    evLabels.push('`cilium bpf nat list` holds XLATE_SRC entries')
  }

  if (statusMasq) {
    mode.masquerade = statusMasq
    basis.push(`masquerade ${statusMasq}: \`${statusOf?.source.command}\` L${status?.masquerading?.line} "${status?.masquerading?.value}"`)
  } else if (configMasq) {
    mode.masquerade = configMasq
    basis.push(`masquerade ${configMasq}: ${[...configMasqLabels, ...evLabels].join('; ')}`)
  } else if (evidenceMasq) {
    mode.masquerade = evidenceMasq
    basis.push(`masquerade ${evidenceMasq}: ${evLabels.join('; ')}`)
  } else if (missing) {
    basis.push(`masquerade not by BPF: ${missing.label}`)
  }
  if (mode.masquerade === 'bpf' && missing) {
    warnings.push(`Masquerading is BPF per ${statusMasq ? 'cilium status' : configMasqLabels.join(', ')} but ${missing.label}.`)
  }
  if (mode.masquerade && mode.masquerade !== 'iptables' && masqRule) {
    warnings.push(`Masquerading is ${mode.masquerade} but ${masqRule.label}.`)
  }
  if (statusMasq && configMasq && statusMasq !== configMasq) {
    warnings.push(`cilium status says masquerade ${statusMasq} but the configuration says ${configMasq} (${configMasqLabels.join(', ')}).`)
  }

  // ---- host routing
  const legacy = config('enable-host-legacy-routing')
  if (legacy?.evidence) ev.hostRouting.push(legacy.evidence)
  let statusHost: DatapathMode['hostRouting']
  if (status?.hostRouting) {
    statusHost = /legacy/i.test(status.hostRouting.value) ? 'legacy' : /bpf/i.test(status.hostRouting.value) ? 'bpf' : undefined
    if (statusOf) ev.hostRouting.push(cite(statusOf.source, [status.hostRouting.line]))
  }
  if (statusHost) {
    mode.hostRouting = statusHost
    basis.push(`host routing ${statusHost}: \`${statusOf?.source.command}\` L${status?.hostRouting?.line} "${status?.hostRouting?.value}"`)
    if (legacy && ((isTrue(legacy.value) && statusHost === 'bpf') || (isFalse(legacy.value) && statusHost === 'legacy' && mode.masquerade !== 'iptables'))) {
      warnings.push(`cilium status says host routing ${statusHost} but ${legacy.label}.`)
    }
  } else if (isTrue(legacy?.value)) {
    mode.hostRouting = 'legacy'
    basis.push(`host routing legacy: ${legacy?.label}`)
  } else if (isFalse(legacy?.value)) {
    // BPF host routing needs BPF masquerading (or none); with iptables masquerade Cilium falls back to legacy
    if (mode.masquerade === 'iptables') {
      mode.hostRouting = 'legacy'
      basis.push(`host routing legacy: ${legacy?.label}, but BPF host routing needs BPF masquerading and masquerading is iptables`)
    } else {
      mode.hostRouting = 'bpf'
      basis.push(`host routing bpf: ${legacy?.label} (kernel support not checked: \`cilium status\` would confirm)`)
    }
  } else if (mode.masquerade === 'iptables') {
    mode.hostRouting = 'legacy'
    basis.push('host routing legacy: masquerading is iptables, which BPF host routing cannot use')
  }

  const kprConfig = status?.kubeProxyReplacement ? undefined : config('kube-proxy-replacement')
  const kpr = status?.kubeProxyReplacement?.value ?? kprConfig?.value
  if (kpr) {
    mode.kubeProxyReplacement = kpr.split(/\s+/)[0]
    const from = status?.kubeProxyReplacement ? `\`${statusOf?.source.command}\` L${status.kubeProxyReplacement.line}` : kprConfig?.label
    basis.push(`kube-proxy-replacement ${kpr}${from ? `: ${from}` : ''}`)
  }

  let nativeCidr = config('ipv4-native-routing-cidr', 'native-routing-cidr')?.value
  if (!nativeCidr && status?.masquerading) {
    const m = /\b(\d{1,3}(?:\.\d{1,3}){3}\/\d{1,2})\b/.exec(status.masquerading.value)
    if (m) nativeCidr = m[1]
  }
  if (nativeCidr && !parseCidr(nativeCidr)) nativeCidr = undefined
  if (nativeCidr) basis.push(`native routing CIDR ${nativeCidr}: destinations inside it are not masqueraded`)

  return { mode, nativeCidr, evidence: ev, warnings }
}

function findTunnelDevice(...hosts: (HostFacts | undefined)[]): { label: string; type: 'vxlan' | 'geneve'; evidence: Evidence } | undefined {
  for (const hf of hosts) {
    if (!hf) continue
    for (const p of hf.interfaces) {
      for (const i of p.records) {
        if (i.name === 'cilium_vxlan' || i.name === 'cilium_geneve') {
          return { label: `${i.name} (${hf.id}: \`${p.source.command}\` L${i.line})`, type: i.name === 'cilium_vxlan' ? 'vxlan' : 'geneve', evidence: cite(p.source, [i.line]) }
        }
      }
    }
    for (const p of hf.bpftoolNet) {
      for (const r of p.records) {
        if (r.device === 'cilium_vxlan' || r.device === 'cilium_geneve') {
          return { label: `${r.device} (${hf.id}: \`${p.source.command}\` L${r.line})`, type: r.device === 'cilium_vxlan' ? 'vxlan' : 'geneve', evidence: cite(p.source, [r.line]) }
        }
      }
    }
  }
  return undefined
}

/** Cilium's own masquerade rule (`-A CILIUM_POST_nat … -j MASQUERADE`): its presence means iptables masquerading. */
function findMasqueradeRule(node?: HostFacts): { label: string; evidence: Evidence } | undefined {
  for (const p of node?.iptables ?? []) {
    for (const r of p.records) {
      if (r.target === 'MASQUERADE' && /^CILIUM_POST/.test(r.chain) && (r.table === 'nat' || r.table === '')) {
        return { label: `${p.source.host}: \`${p.source.command}\` L${r.line} has Cilium's MASQUERADE rule`, evidence: cite(p.source, [r.line]) }
      }
    }
  }
  return undefined
}

function findMissingSnatMap(hf?: HostFacts): { label: string; evidence: Evidence } | undefined {
  for (const p of hf?.missingMaps ?? []) {
    const hits = p.records.filter((r) => /snat_v4_external/.test(r.map))
    if (hits.length) {
      return {
        label: `\`${p.source.command}\` on ${p.source.host} could not open cilium_snat_v4_external (${p.source.stream} L${hits.map((h) => h.line).join(',')}): no BPF NAT map`,
        evidence: cite(p.source, p.records.map((r) => r.line)),
      }
    }
  }
  return undefined
}

/**
 * Whether Cilium's programs are on the packet's path. The capture's `cluster.cni` decides when it
 * names a CNI; for `unknown`, Cilium's own traces decide: an agent host, a cilium_host device, a
 * Cilium BPF program, or any `cilium …` output.
 */
export function ciliumOnPath(capture: Capture, hosts: { pod?: HostFacts; node?: HostFacts; agent?: HostFacts }): { cilium: boolean; basis?: string } {
  const cni = capture.cluster.cni
  if (cni === 'cilium') return { cilium: true }
  if (cni !== 'unknown') return { cilium: false, basis: `CNI ${cni}: no Cilium programs on the path; the packet goes through the host's netfilter and routing` }
  const { node, agent } = hosts
  if (agent) return { cilium: true, basis: `CNI unknown, but the capture has a Cilium agent (${agent.id})` }
  for (const p of node?.interfaces ?? []) {
    const i = p.records.find((r) => r.name === 'cilium_host')
    if (i) return { cilium: true, basis: `CNI unknown, but ${node?.id} has cilium_host (\`${p.source.command}\` L${i.line})` }
  }
  for (const p of node?.tcFilters ?? []) {
    const r = p.records.find((x) => /^(cil_|from-|to-)|bpf_(lxc|host|netdev|overlay)/.test(`${x.program ?? x.name ?? ''} ${x.object ?? ''}`.trim()))
    if (r) return { cilium: true, basis: `CNI unknown, but \`${p.source.command}\` L${r.line} shows a Cilium program` }
  }
  const kinds = Object.values(node ? { node } : {}).flatMap((h) => [...h.ciliumCt, ...h.endpoints, ...h.services])
  if (kinds.length) return { cilium: true, basis: `CNI unknown, but ${node?.id} has Cilium outputs` }
  return { cilium: false, basis: 'CNI unknown and no Cilium device, program or agent output in the capture: the walk follows the plain Linux path (netfilter, routing)' }
}
