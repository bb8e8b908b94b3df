/**
 * The Kubernetes reads packetwalk makes, reduced to the fields it uses. Every name is checked
 * before it enters a URL, so a hostile value never reaches the API server.
 */
import type { KubeApi } from './api'
import { KubeError } from './errors'
import { isDns1123Label, isDns1123Subdomain } from '@/server/security'

/** The parts of a v1 Pod that packetwalk reads. */
export interface RawPod {
  metadata?: { name?: string; namespace?: string; labels?: Record<string, string> }
  spec?: {
    nodeName?: string
    hostNetwork?: boolean
    containers?: { name?: string; image?: string }[]
    ephemeralContainers?: { name?: string; image?: string; targetContainerName?: string }[]
  }
  status?: {
    phase?: string
    podIP?: string
    podIPs?: { ip?: string }[]
    containerStatuses?: { name?: string; ready?: boolean; state?: { running?: object; waiting?: { reason?: string } } }[]
    ephemeralContainerStatuses?: {
      name?: string
      state?: { running?: object; waiting?: { reason?: string; message?: string }; terminated?: { reason?: string } }
    }[]
  }
}

export interface PodInfo {
  namespace: string
  name: string
  ip?: string
  node?: string
  phase: string
  hostNetwork: boolean
  containers: string[]
  images: string[]
  labels: Record<string, string>
}

interface List<T> {
  items?: T[]
}

export function podInfo(p: RawPod): PodInfo {
  return {
    namespace: p.metadata?.namespace ?? '',
    name: p.metadata?.name ?? '',
    ip: p.status?.podIP || p.status?.podIPs?.[0]?.ip || undefined,
    node: p.spec?.nodeName || undefined,
    phase: p.status?.phase ?? 'Unknown',
    hostNetwork: p.spec?.hostNetwork === true,
    containers: (p.spec?.containers ?? []).map((c) => c.name ?? '').filter(Boolean),
    images: (p.spec?.containers ?? []).map((c) => c.image ?? ''),
    labels: p.metadata?.labels ?? {},
  }
}

export function checkNamespace(ns: string): string {
  if (!isDns1123Label(ns)) throw new KubeError('invalid-input', `invalid namespace name ${JSON.stringify(ns.slice(0, 80))}: a namespace is a DNS-1123 label (a-z, 0-9, '-')`)
  return ns
}

export function checkPodName(name: string): string {
  if (!isDns1123Subdomain(name)) throw new KubeError('invalid-input', `invalid pod name ${JSON.stringify(name.slice(0, 80))}: a pod name is a DNS-1123 subdomain (a-z, 0-9, '-', '.')`)
  return name
}

export function checkContainerName(name: string): string {
  if (!isDns1123Label(name)) throw new KubeError('invalid-input', `invalid container name ${JSON.stringify(name.slice(0, 80))}: a container name is a DNS-1123 label`)
  return name
}

/** A kubeconfig context name: any text kubectl accepts, but no control characters and not huge. */
export function checkContextName(name: string): string {
  const control = [...name].some((ch) => ch.charCodeAt(0) < 0x20 || ch.charCodeAt(0) === 0x7f)
  if (!name || name.length > 253 || control) throw new KubeError('invalid-input', `invalid context name ${JSON.stringify(name.slice(0, 80))}`)
  return name
}

/** `default/client` → parts, each validated. */
export function splitRef(ref: string, what: string): { namespace: string; name: string } {
  const slash = ref.indexOf('/')
  if (slash <= 0 || slash === ref.length - 1) throw new KubeError('invalid-input', `${what} must be written namespace/name, got ${JSON.stringify(ref.slice(0, 80))}`)
  return { namespace: checkNamespace(ref.slice(0, slash)), name: checkPodName(ref.slice(slash + 1)) }
}

const seg = encodeURIComponent

export async function listNamespaces(api: KubeApi): Promise<string[]> {
  const l = await api.get<List<{ metadata?: { name?: string } }>>('/api/v1/namespaces', 'list namespaces')
  return (l.items ?? []).map((n) => n.metadata?.name ?? '').filter(Boolean).sort()
}

export async function getPod(api: KubeApi, namespace: string, name: string): Promise<PodInfo & { raw: RawPod }> {
  checkNamespace(namespace)
  checkPodName(name)
  try {
    const raw = await api.get<RawPod>(`/api/v1/namespaces/${seg(namespace)}/pods/${seg(name)}`, `get pod ${namespace}/${name}`)
    return { ...podInfo(raw), raw }
  } catch (e) {
    if (e instanceof KubeError && e.kind === 'not-found') {
      throw new KubeError('not-found', `pod ${namespace}/${name} not found (context "${api.context}")`, 404)
    }
    throw e
  }
}

/** Pods of a namespace in phase Running, by name. */
export async function listRunningPods(api: KubeApi, namespace: string, labelSelector?: string): Promise<PodInfo[]> {
  checkNamespace(namespace)
  const q = new URLSearchParams({ fieldSelector: 'status.phase=Running' })
  if (labelSelector) q.set('labelSelector', labelSelector)
  const l = await api.get<List<RawPod>>(`/api/v1/namespaces/${seg(namespace)}/pods?${q}`, `list pods in namespace ${namespace}`)
  // the field selector is applied by the server; filter again for servers that ignore it
  return (l.items ?? []).map(podInfo).filter((p) => p.phase === 'Running').sort((a, b) => a.name.localeCompare(b.name))
}

export interface ServiceInfo {
  namespace: string
  name: string
  clusterIP?: string
  type: string
  ports: { name?: string; port: number; protocol: string }[]
  /** the pods it selects (spec.selector); absent for a service without selector */
  selector?: Record<string, string>
}

interface RawService {
  metadata?: { name?: string; namespace?: string }
  spec?: { clusterIP?: string; type?: string; ports?: { name?: string; port?: number; protocol?: string }[]; selector?: Record<string, string> }
}

function serviceInfo(s: RawService): ServiceInfo {
  return {
    namespace: s.metadata?.namespace ?? '',
    name: s.metadata?.name ?? '',
    clusterIP: s.spec?.clusterIP || undefined,
    type: s.spec?.type ?? 'ClusterIP',
    ports: (s.spec?.ports ?? []).filter((p) => typeof p.port === 'number').map((p) => ({ name: p.name, port: p.port as number, protocol: p.protocol ?? 'TCP' })),
    ...(s.spec?.selector && Object.keys(s.spec.selector).length ? { selector: s.spec.selector } : {}),
  }
}

export async function listServices(api: KubeApi, namespace: string): Promise<ServiceInfo[]> {
  checkNamespace(namespace)
  const l = await api.get<List<RawService>>(`/api/v1/namespaces/${seg(namespace)}/services`, `list services in namespace ${namespace}`)
  return (l.items ?? []).map(serviceInfo).sort((a, b) => a.name.localeCompare(b.name))
}

export async function getService(api: KubeApi, namespace: string, name: string): Promise<ServiceInfo> {
  checkNamespace(namespace)
  checkPodName(name)
  try {
    const raw = await api.get<RawService>(`/api/v1/namespaces/${seg(namespace)}/services/${seg(name)}`, `get service ${namespace}/${name}`)
    return serviceInfo(raw)
  } catch (e) {
    if (e instanceof KubeError && e.kind === 'not-found') throw new KubeError('not-found', `service ${namespace}/${name} not found (context "${api.context}")`, 404)
    throw e
  }
}

/** The data of a ConfigMap, or undefined when it does not exist. */
export async function getConfigMapData(api: KubeApi, namespace: string, name: string): Promise<Record<string, string> | undefined> {
  checkNamespace(namespace)
  checkPodName(name)
  try {
    const cm = await api.get<{ data?: Record<string, string> }>(`/api/v1/namespaces/${seg(namespace)}/configmaps/${seg(name)}`, `get configmap ${namespace}/${name}`)
    return cm.data ?? {}
  } catch (e) {
    if (e instanceof KubeError && e.kind === 'not-found') return undefined
    throw e
  }
}

/** Names of the DaemonSets of the cluster, as namespace/name (CNI detection when there is no Cilium). */
export async function listDaemonSets(api: KubeApi): Promise<string[]> {
  const l = await api.get<List<{ metadata?: { name?: string; namespace?: string } }>>('/apis/apps/v1/daemonsets', 'list daemonsets')
  return (l.items ?? []).map((d) => `${d.metadata?.namespace ?? ''}/${d.metadata?.name ?? ''}`)
}
