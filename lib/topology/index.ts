export { buildTopology, type Topology, type CiliumTables } from './build'
export { deviceKind, isOverlayDevice, isPodDevice } from './devices'
export { deviceHoldingAddress, hostHoldingIp, netnsOfHost, nodeEndOf, nodeNetns, overlayPeer, podDevicesOf, podOfDevice, type Holding } from './queries'
