/**
 * The name tc and bpftool print for a BPF program, split into what it tells:
 *
 *   bpf_lxc.o:[from-container]          → { object: 'bpf_lxc.o', program: 'from-container' }   (Cilium ≤1.12, iproute2 loader)
 *   cil_from_container-lxc84a447e034a3  → { program: 'cil_from_container', device: 'lxc84a447e034a3' }   (1.13+, netlink)
 *   cil_from_netdev                     → { program: 'cil_from_netdev' }   (tcx, bpftool)
 *   classifier_ingress_security380_…    → { program: 'classifier_ingress_security380_…' }   (not Cilium)
 */
export interface BpfProgramName {
  object?: string
  program: string
  /** the interface a 1.13+ tc filter name carries as its suffix */
  device?: string
}

export function splitBpfProgramName(name: string): BpfProgramName {
  const open = name.indexOf(':[')
  if (open > 0 && name.charCodeAt(name.length - 1) === 93 /* ] */) {
    return { object: name.slice(0, open), program: name.slice(open + 2, -1) }
  }
  // Cilium's own program names use underscores only, so the first '-' starts the device suffix.
  if (name.startsWith('cil_')) {
    const dash = name.indexOf('-')
    if (dash > 4 && dash < name.length - 1) return { program: name.slice(0, dash), device: name.slice(dash + 1) }
  }
  return { program: name }
}
