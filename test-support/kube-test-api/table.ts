/**
 * Server-side printing: the meta.k8s.io/v1 Table kube-apiserver answers when a client sends
 * `Accept: application/json;as=Table;v=v1;g=meta.k8s.io` (what `kubectl get` does). Columns and
 * cells follow pkg/printers/internalversion/printers.go (printPod, printService, printConfigMap,
 * printNamespace, printNode, printDaemonSet); priority-1 columns are the ones `-o wide` adds.
 */

type Json = Record<string, unknown>

interface Column {
  name: string
  type: string
  format: string
  description: string
  priority: number
}

const col = (name: string, description: string, priority = 0, format = ''): Column => ({ name, type: 'string', format, description, priority })
const NAME = col('Name', 'Name must be unique within a namespace.', 0, 'name')
const AGE = col('Age', 'CreationTimestamp is a timestamp representing the server time when this object was created.')

const COLUMNS: Record<string, Column[]> = {
  pods: [
    NAME,
    col('Ready', 'The aggregate readiness state of this pod for accepting traffic.'),
    col('Status', 'The aggregate status of the containers in this pod.'),
    col('Restarts', 'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.'),
    AGE,
    col('IP', 'IP address allocated to the pod. Routable at least within the cluster. Empty if not yet allocated.', 1),
    col('Node', 'NodeName indicates in which node this pod is scheduled.', 1),
    col('Nominated Node', 'nominatedNodeName is set only when this pod preempts other pods on the node.', 1),
    col('Readiness Gates', 'If specified, all readiness gates will be evaluated for pod readiness.', 1),
  ],
  services: [
    NAME,
    col('Type', 'type determines how the Service is exposed.'),
    col('Cluster-IP', 'clusterIP is the IP address of the service and is usually assigned randomly.'),
    col('External-IP', 'externalIPs is a list of IP addresses for which nodes in the cluster will also accept traffic for this service.'),
    col('Port(s)', 'The list of ports that are exposed by this service.'),
    AGE,
    col('Selector', 'Route service traffic to pods with label keys and values matching this selector.', 1),
  ],
  configmaps: [NAME, col('Data', 'Data contains the configuration data.'), AGE],
  namespaces: [NAME, col('Status', 'The status of the namespace'), AGE],
  nodes: [
    NAME,
    col('Status', 'The status of the node'),
    col('Roles', 'The roles of the node'),
    AGE,
    col('Version', 'Kubelet Version reported by the node.'),
    col('Internal-IP', 'List of addresses reachable to the node.', 1),
    col('External-IP', 'List of addresses reachable to the node.', 1),
    col('OS-Image', 'OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy)).', 1),
    col('Kernel-Version', "Kernel Version reported by the node from 'uname -r' (e.g. 3.16.0-0.bpo.4-amd64).", 1),
    col('Container-Runtime', 'Container runtime version reported by the node through runtime remote API (e.g. containerd://1.4.2).', 1),
  ],
  daemonsets: [
    NAME,
    col('Desired', 'The total number of nodes that should be running the daemon pod (including nodes correctly running the daemon pod).'),
    col('Current', 'The number of nodes that are running at least 1 daemon pod and are supposed to run the daemon pod.'),
    col('Ready', 'numberReady is the number of nodes that should be running the daemon pod and have one or more of the daemon pod running with a Ready Condition.'),
    col('Up-to-date', 'The total number of nodes that are running updated daemon pod'),
    col('Available', 'The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and available (ready for at least spec.minReadySeconds)'),
    col('Node Selector', 'NodeSelector is a selector which must be true for the pod to fit on a node.'),
    AGE,
    col('Containers', 'Names of each container in the template.', 1),
    col('Images', 'Images referenced by each container in the template.', 1),
    col('Selector', 'A label query over pods that are managed by the daemon set.', 1),
  ],
}

/** k8s.io/apimachinery/pkg/util/duration.HumanDuration, which kubectl's AGE column shows. */
export function humanDuration(ms: number): string {
  const seconds = Math.floor(ms / 1000)
  if (seconds < -1) return '<invalid>'
  if (seconds < 0) return '0s'
  if (seconds < 120) return `${seconds}s`
  const minutes = Math.floor(seconds / 60)
  if (minutes < 10) return seconds % 60 === 0 ? `${minutes}m` : `${minutes}m${seconds % 60}s`
  if (minutes < 180) return `${minutes}m`
  const hours = Math.floor(minutes / 60)
  if (hours < 8) return minutes % 60 === 0 ? `${hours}h` : `${hours}h${minutes % 60}m`
  if (hours < 48) return `${hours}h`
  if (hours < 24 * 8) return hours % 24 === 0 ? `${hours / 24}d` : `${Math.floor(hours / 24)}d${hours % 24}h`
  if (hours < 24 * 365 * 2) return `${Math.floor(hours / 24)}d`
  if (hours < 24 * 365 * 8) {
    const dy = Math.floor(hours / 24) % 365
    return dy === 0 ? `${Math.floor(hours / 24 / 365)}y` : `${Math.floor(hours / 24 / 365)}y${dy}d`
  }
  return `${Math.floor(hours / 24 / 365)}y`
}

const get = (o: unknown, ...keys: string[]): unknown => keys.reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Json)[k] : undefined), o)
const str = (v: unknown, fallback = '<none>'): string => (typeof v === 'string' && v !== '' ? v : fallback)
const age = (o: Json, now: number): string => {
  const t = Date.parse(str(get(o, 'metadata', 'creationTimestamp'), ''))
  return Number.isNaN(t) ? '<unknown>' : humanDuration(now - t)
}
const arr = (v: unknown): Json[] => (Array.isArray(v) ? (v as Json[]) : [])
const labelsText = (m: unknown): string => {
  const e = m && typeof m === 'object' ? Object.entries(m as Record<string, string>).sort(([a], [b]) => a.localeCompare(b)) : []
  return e.length ? e.map(([k, v]) => `${k}=${v}`).join(',') : '<none>'
}

function podCells(p: Json, now: number): unknown[] {
  const statuses = arr(get(p, 'status', 'containerStatuses'))
  const total = arr(get(p, 'spec', 'containers')).length
  const ready = statuses.filter((s) => s.ready === true).length
  let reason = str(get(p, 'status', 'reason'), str(get(p, 'status', 'phase'), ''))
  let restarts = 0
  for (const s of statuses) {
    restarts += typeof s.restartCount === 'number' ? s.restartCount : 0
    const waiting = str(get(s, 'state', 'waiting', 'reason'), '')
    const terminated = str(get(s, 'state', 'terminated', 'reason'), '')
    if (waiting) reason = waiting
    else if (terminated) reason = terminated
  }
  const gates = arr(get(p, 'spec', 'readinessGates'))
  return [
    str(get(p, 'metadata', 'name')),
    `${ready}/${total}`,
    reason,
    String(restarts),
    age(p, now),
    str(get(p, 'status', 'podIP')),
    str(get(p, 'spec', 'nodeName')),
    str(get(p, 'status', 'nominatedNodeName')),
    gates.length ? `0/${gates.length}` : '<none>',
  ]
}

function serviceCells(s: Json, now: number): unknown[] {
  const ports = arr(get(s, 'spec', 'ports')).map((p) => `${String(p.port)}${p.nodePort ? `:${String(p.nodePort)}` : ''}/${str(p.protocol, 'TCP')}`)
  const external = arr(get(s, 'spec', 'externalIPs')).join(',')
  return [str(get(s, 'metadata', 'name')), str(get(s, 'spec', 'type')), str(get(s, 'spec', 'clusterIP')), external || '<none>', ports.join(',') || '<none>', age(s, now), labelsText(get(s, 'spec', 'selector'))]
}

function nodeCells(n: Json, now: number): unknown[] {
  const ready = arr(get(n, 'status', 'conditions')).find((c) => c.type === 'Ready')
  const status = ready?.status === 'True' ? 'Ready' : ready?.status === 'False' ? 'NotReady' : 'Unknown'
  const addr = (type: string) => arr(get(n, 'status', 'addresses')).find((a) => a.type === type)?.address
  const roles = Object.keys((get(n, 'metadata', 'labels') as Record<string, string> | undefined) ?? {})
    .filter((k) => k.startsWith('node-role.kubernetes.io/'))
    .map((k) => k.slice('node-role.kubernetes.io/'.length))
  return [
    str(get(n, 'metadata', 'name')), status, roles.join(',') || '<none>', age(n, now), str(get(n, 'status', 'nodeInfo', 'kubeletVersion')),
    str(addr('InternalIP')), str(addr('ExternalIP')), str(get(n, 'status', 'nodeInfo', 'osImage'), '<unknown>'),
    str(get(n, 'status', 'nodeInfo', 'kernelVersion'), '<unknown>'), str(get(n, 'status', 'nodeInfo', 'containerRuntimeVersion'), '<unknown>'),
  ]
}

function daemonSetCells(d: Json, now: number): unknown[] {
  const n = (k: string) => (typeof get(d, 'status', k) === 'number' ? (get(d, 'status', k) as number) : 0)
  const containers = arr(get(d, 'spec', 'template', 'spec', 'containers'))
  return [
    str(get(d, 'metadata', 'name')), n('desiredNumberScheduled'), n('currentNumberScheduled'), n('numberReady'), n('updatedNumberScheduled'), n('numberAvailable'),
    labelsText(get(d, 'spec', 'template', 'spec', 'nodeSelector')), age(d, now),
    containers.map((c) => str(c.name)).join(','), containers.map((c) => str(c.image)).join(','), labelsText(get(d, 'spec', 'selector', 'matchLabels')),
  ]
}

const CELLS: Record<string, (o: Json, now: number) => unknown[]> = {
  pods: podCells,
  services: serviceCells,
  configmaps: (c, now) => [str(get(c, 'metadata', 'name')), Object.keys((c.data as Json | undefined) ?? {}).length + Object.keys((c.binaryData as Json | undefined) ?? {}).length, age(c, now)],
  namespaces: (n, now) => [str(get(n, 'metadata', 'name')), str(get(n, 'status', 'phase'), ''), age(n, now)],
  nodes: nodeCells,
  daemonsets: daemonSetCells,
}

/** true when the Accept header asks for a meta.k8s.io/v1 Table first (kubectl get). */
export function wantsTable(accept: string | undefined): boolean {
  const first = (accept ?? '').split(',')[0] ?? ''
  return /as=Table/.test(first) && /g=meta\.k8s\.io/.test(first) && /v=v1(?:;|$)/.test(first.replace(/\s/g, ''))
}

/**
 * A Table of `items`. `includeObject` (the query parameter): Metadata (default) puts each row's
 * object as PartialObjectMetadata, Object the whole object, None nothing.
 */
export function toTable(resource: string, items: Json[], listMeta: Json, includeObject: string | null, apiVersion: string, kind: string, now = Date.now()): Json | undefined {
  const columns = COLUMNS[resource]
  const cells = CELLS[resource]
  if (!columns || !cells) return undefined
  const rows = items.map((o) => {
    const row: Json = { cells: cells(o, now) }
    if (includeObject === 'Object') row.object = { kind, apiVersion, ...o }
    else if (includeObject !== 'None') row.object = { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: o.metadata }
    return row
  })
  return { kind: 'Table', apiVersion: 'meta.k8s.io/v1', metadata: listMeta, columnDefinitions: columns, rows }
}
