/**
 * Domain types of a capture's network topology (lib/topology builds it once per capture): the
 * network namespaces (each pod, each node; a Cilium agent shares its node's), their devices, the
 * links between them, and per node Cilium's tables. Every device keeps the lines that show it.
 */
import type { Evidence } from './walk'
import type { AddressRecord } from './records'

export type DeviceKind =
  | 'loopback'
  | 'veth'
  | 'vxlan'
  | 'geneve'
  | 'cilium_host'
  | 'cilium_net'
  | 'cilium_health'
  | 'netkit'
  | 'bridge'
  | 'flannel'
  | 'calico'
  | 'wireguard'
  | 'ethernet'
  | 'other'

export interface Device {
  /** the netns (its id) the device is in */
  netns: string
  name: string
  ifindex?: number
  /** N in `eth0@ifN`: the peer's ifindex, in another namespace of the same node */
  peerIfindex?: number
  mac?: string
  addresses: AddressRecord[]
  kind: DeviceKind
  /** the outputs that list it (header and address lines) */
  evidence: Evidence[]
}

export interface Netns {
  /** the pod's or node's host id, or its name when only the flow names it */
  id: string
  kind: 'pod' | 'node'
  /** pod `ns/name` or node name */
  name: string
  /** the node a pod runs on; a node names itself */
  node?: string
  /** capture host ids whose outputs describe this namespace (a node and its agent) */
  hosts: string[]
  devices: Device[]
}

export type Link =
  /** a pod's eth0@ifN and the node device with ifindex N */
  | { kind: 'veth'; a: { netns: string; device: string }; b: { netns: string; device: string }; evidence: Evidence[] }
  /** a node's overlay device and the node holding a tunnel endpoint its ipcache names */
  | { kind: 'overlay'; a: { netns: string; device: string }; b: { netns: string; address: string }; evidence: Evidence[] }
