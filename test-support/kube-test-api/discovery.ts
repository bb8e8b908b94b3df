/**
 * Discovery documents as kube-apiserver serves them (legacy discovery: /api, /api/v1, /apis,
 * /apis/<group>/<version>), limited to the resources the double serves. kubectl resolves short
 * names (po, svc, cm, ns, no, ds) and singular names from these lists; names, short names, verbs
 * and categories are those of the real resources (pkg/registry/core/<resource>/storage, ShortNames()).
 * kubectl asks for aggregated discovery (apidiscovery.k8s.io/v2) first; an answer with
 * Content-Type application/json is read as legacy discovery, as from an older apiserver.
 */

export interface ApiResource {
  name: string
  singularName: string
  namespaced: boolean
  kind: string
  verbs: string[]
  shortNames?: string[]
  categories?: string[]
  group?: string
  version?: string
}

const READ = ['get', 'list', 'watch']

export const CORE_V1: ApiResource[] = [
  { name: 'configmaps', singularName: 'configmap', namespaced: true, kind: 'ConfigMap', verbs: READ, shortNames: ['cm'] },
  { name: 'namespaces', singularName: 'namespace', namespaced: false, kind: 'Namespace', verbs: READ, shortNames: ['ns'] },
  { name: 'nodes', singularName: 'node', namespaced: false, kind: 'Node', verbs: READ, shortNames: ['no'] },
  { name: 'pods', singularName: 'pod', namespaced: true, kind: 'Pod', verbs: READ, shortNames: ['po'], categories: ['all'] },
  { name: 'pods/ephemeralcontainers', singularName: '', namespaced: true, kind: 'Pod', verbs: ['get', 'patch', 'update'] },
  { name: 'pods/exec', singularName: '', namespaced: true, kind: 'PodExecOptions', verbs: ['create', 'get'] },
  { name: 'services', singularName: 'service', namespaced: true, kind: 'Service', verbs: READ, shortNames: ['svc'], categories: ['all'] },
]

export const GROUPS: { group: string; version: string; resources: ApiResource[] }[] = [
  {
    group: 'apps',
    version: 'v1',
    resources: [{ name: 'daemonsets', singularName: 'daemonset', namespaced: true, kind: 'DaemonSet', verbs: READ, shortNames: ['ds'], categories: ['all'] }],
  },
  {
    group: 'authorization.k8s.io',
    version: 'v1',
    resources: [{ name: 'selfsubjectaccessreviews', singularName: 'selfsubjectaccessreview', namespaced: false, kind: 'SelfSubjectAccessReview', verbs: ['create'] }],
  },
]

export function apiVersions(serverAddress: string): object {
  return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }] }
}

export function apiGroupList(): object {
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: GROUPS.map((g) => {
      const v = { groupVersion: `${g.group}/${g.version}`, version: g.version }
      return { name: g.group, versions: [v], preferredVersion: v }
    }),
  }
}

/** /api/v1 or /apis/<group>/<version>; undefined for a group version the double does not serve. */
export function resourceList(groupVersion: string): object | undefined {
  const resources = groupVersion === 'v1' ? CORE_V1 : GROUPS.find((g) => `${g.group}/${g.version}` === groupVersion)?.resources
  if (!resources) return undefined
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion, resources }
}

export function knownResource(resource: string, group = ''): boolean {
  const list = group === '' ? CORE_V1 : (GROUPS.find((g) => g.group === group)?.resources ?? [])
  return list.some((r) => r.name === resource)
}
