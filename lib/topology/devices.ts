/**
 * What a device is, from its name and (when `ip -d link` printed it) its link kind. One answer
 * for "is this a pod's veth?", used by the engine, the collectors and the view.
 */
import type { DeviceKind } from '@/lib/model/topology'

// host ends of pod veths: Cilium lxc…, Calico cali…, kindnet/flannel/bridge veth…, cloud CNIs
const POD_DEVICE = /^(lxc|cali|veth|azv|eni|gke|vnet)/

/** The node end of a pod's veth (never Cilium's health endpoint, which is no pod of the user's). */
export function isPodDevice(name: string | undefined): name is string {
  return name !== undefined && POD_DEVICE.test(name) && name !== 'lxc_health'
}

export function deviceKind(name: string, linkKind?: string): DeviceKind {
  if (name === 'lo') return 'loopback'
  if (name === 'cilium_host') return 'cilium_host'
  if (name === 'cilium_net') return 'cilium_net'
  if (name === 'lxc_health') return 'cilium_health'
  if (name.startsWith('flannel')) return 'flannel'
  if (name.startsWith('cali')) return 'calico'
  switch (linkKind) {
    case 'vxlan':
    case 'geneve':
    case 'veth':
    case 'netkit':
    case 'bridge':
    case 'wireguard':
      return linkKind
  }
  if (name === 'cilium_vxlan' || name.startsWith('vxlan')) return 'vxlan'
  if (name === 'cilium_geneve' || name.startsWith('genev')) return 'geneve'
  if (name === 'cilium_wg0' || name.startsWith('wg')) return 'wireguard'
  if (name === 'cni0' || name === 'docker0' || name.startsWith('br')) return 'bridge'
  if (isPodDevice(name)) return 'veth'
  if (/^(eth|ens|enp|eno|bond|em)\d*/.test(name)) return 'ethernet'
  return 'other'
}

/** Overlay devices: Cilium's and the kernel's tunnel devices, Flannel's VXLAN device. */
export function isOverlayDevice(kind: DeviceKind): boolean {
  return kind === 'vxlan' || kind === 'geneve' || kind === 'flannel'
}
