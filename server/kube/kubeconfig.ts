/**
 * Loads the kubeconfig on every call, never once at start-up: the file may be written or
 * switched (KUBECONFIG, `kubectl config use-context`) while the server runs.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { KubeConfig, type Cluster, type User } from '@kubernetes/client-node'
import { KubeError, errorMessage } from './errors'

/** The environment variables read (KUBECONFIG, HOME, KUBERNETES_SERVICE_HOST). */
export type Env = Record<string, string | undefined>

export interface LoadedKubeConfig {
  kc: KubeConfig
  context: string
  cluster: Cluster
  user: User
  /** the files it came from, or "in-cluster" */
  source: string
  /** the context's default namespace, when it has one */
  namespace?: string
}

export interface ContextInfo {
  name: string
  cluster: string
  user: string
  namespace?: string
}

/** KUBECONFIG (a path list) when set, else ~/.kube/config: the same rule as kubectl. */
export function kubeconfigPaths(env: Env = process.env): string[] {
  if (env.KUBECONFIG) return env.KUBECONFIG.split(path.delimiter).filter(Boolean)
  const home = env.HOME || os.homedir()
  return [path.join(home, '.kube', 'config')]
}

function readConfig(env: Env): { kc: KubeConfig; source: string } {
  const paths = kubeconfigPaths(env)
  const existing = paths.filter((p) => fs.existsSync(p))
  const kc = new KubeConfig()
  if (existing.length === 0) {
    // Running inside a pod with a service account (deploy/rbac.yaml) needs no file.
    if (env.KUBERNETES_SERVICE_HOST && fs.existsSync('/var/run/secrets/kubernetes.io/serviceaccount/token')) {
      kc.loadFromCluster()
      return { kc, source: 'in-cluster' }
    }
    throw new KubeError(
      'no-kubeconfig',
      `no kubeconfig: looked for ${paths.join(', ')} — set KUBECONFIG or create ~/.kube/config (kubectl must work from this machine)`,
    )
  }
  try {
    kc.loadFromFile(existing[0] as string)
    for (const p of existing.slice(1)) {
      const more = new KubeConfig()
      more.loadFromFile(p)
      kc.mergeConfig(more, true)
    }
  } catch (e) {
    throw new KubeError('bad-kubeconfig', `the kubeconfig ${existing.join(', ')} cannot be read: ${errorMessage(e).split('\n')[0]}`)
  }
  return { kc, source: existing.join(path.delimiter) }
}

/** The contexts of the kubeconfig and the current one. */
export function listContexts(env: Env = process.env): { contexts: ContextInfo[]; current: string; source: string } {
  const { kc, source } = readConfig(env)
  const contexts = kc.getContexts().map((c) => ({ name: c.name, cluster: c.cluster, user: c.user, namespace: c.namespace }))
  return { contexts, current: kc.getCurrentContext(), source }
}

/** Loads the kubeconfig and selects `context` (the current context when absent). */
export function loadKubeConfig(context?: string, env: Env = process.env): LoadedKubeConfig {
  const { kc, source } = readConfig(env)
  const wanted = context || kc.getCurrentContext()
  if (!wanted) {
    throw new KubeError('unknown-context', `the kubeconfig ${source} has no current context: choose one (--context or the page's context list)`)
  }
  const ctx = kc.getContextObject(wanted)
  if (!ctx) {
    const names = kc.getContexts().map((c) => c.name)
    throw new KubeError('unknown-context', `no context "${wanted}" in the kubeconfig ${source} (contexts: ${names.join(', ') || 'none'})`)
  }
  kc.setCurrentContext(wanted)
  const cluster = kc.getCurrentCluster()
  const user = kc.getCurrentUser()
  if (!cluster) throw new KubeError('bad-kubeconfig', `context "${wanted}" names cluster "${ctx.cluster}", which the kubeconfig does not define`)
  if (!user) throw new KubeError('bad-kubeconfig', `context "${wanted}" names user "${ctx.user}", which the kubeconfig does not define`)
  return { kc, context: wanted, cluster, user, source, namespace: ctx.namespace }
}
