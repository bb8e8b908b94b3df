/**
 * The Executor of the Kubernetes collector: a place of the plan is a container of the cluster.
 * Pod commands run in the pod's container (or the debug container the user asked for); node
 * commands run in the Cilium agent's container, whose pod shares the node's network namespace
 * (hostNetwork), so nothing privileged is created; agent commands run there too.
 *
 * Every argv is checked against the allowlist and every name against its validator right before
 * the exec, and every command — run or refused — is written to the command log with who asked.
 */
import type { KubeConfig } from '@kubernetes/client-node'
import { commandLine } from '@/lib/collect/plan'
import { audit, type Requester } from '@/server/audit'
import type { ExecRequest, ExecResult, Executor, Place } from '@/server/collect/types'
import { PLAN_TEMPLATES, checkArgv, parseTemplate, isDns1123Label, isDns1123Subdomain, type ArgvTemplate } from '@/server/security'
import { execInContainer, isNotFound, type ExecTarget } from './exec'

/** Probe traffic, run from the pod only when the user asks for it. */
export const PROBE_TEMPLATES: readonly ArgvTemplate[] = [
  parseTemplate('ping -c 3 -W 2 {ip}'),
  parseTemplate('nc -z -w 3 {ip} {port}'),
  parseTemplate('nc -z -u -w 3 {ip} {port}'),
]

/** Where the Cilium CLI's name sits in an argv: first, or after `timeout N`. */
export function ciliumIndex(argv: readonly string[]): number {
  if (argv[0] === 'cilium') return 0
  if (argv[0] === 'timeout' && argv[2] === 'cilium') return 2
  return -1
}

/** `cilium-dbg` is the agent CLI's name from Cilium 1.15 on; the plan says `cilium`. */
function ciliumDbgTemplates(ts: readonly ArgvTemplate[]): ArgvTemplate[] {
  const out: ArgvTemplate[] = []
  for (const t of ts) {
    const words = t.tokens.map((k) => ('literal' in k ? k.literal : ''))
    const i = ciliumIndex(words)
    if (i < 0) continue
    out.push({ tokens: t.tokens.map((k, j) => (j === i ? { literal: 'cilium-dbg' } : k)), text: t.text.replace(/(^|^timeout \d+ )cilium /, '$1cilium-dbg ') })
  }
  return out
}

/** What the Kubernetes collector may run: the plan, its cilium-dbg spellings, and the probes. */
export const KUBE_TEMPLATES: readonly ArgvTemplate[] = [...PLAN_TEMPLATES, ...ciliumDbgTemplates(PLAN_TEMPLATES), ...PROBE_TEMPLATES]

export interface KubeExecutorOptions {
  kc: KubeConfig
  context: string
  who: Requester
  /** host id → the container its commands run in */
  targets: Map<string, ExecTarget>
  templates?: readonly ArgvTemplate[]
  /** stops issuing commands once aborted (the browser went away) */
  signal?: AbortSignal
}

function describe(t: ExecTarget): string {
  return `${t.namespace}/${t.pod}:${t.container}`
}

function refused(reason: string): ExecResult {
  return { stdout: '', stderr: '', exitCode: -1, durationMs: 0, error: `refused: ${reason}` }
}

export class KubeExecutor implements Executor {
  /** per agent container: which spelling of the Cilium CLI it has, once known */
  private ciliumBinary = new Map<string, 'cilium' | 'cilium-dbg'>()
  private readonly templates: readonly ArgvTemplate[]

  constructor(private readonly opts: KubeExecutorOptions) {
    this.templates = opts.templates ?? KUBE_TEMPLATES
  }

  async exec(place: Place, req: ExecRequest): Promise<ExecResult> {
    const target = this.opts.targets.get(place.hostId)
    if (!target) return refused(`no container to run ${place.role} commands of ${place.hostId} in`)
    if (place.role === 'agent' && ciliumIndex(req.argv) >= 0) return this.execCilium(target, req)
    return this.run(target, req.argv, req)
  }

  /** Runs `cilium-dbg …` first, then `cilium …` when the image only has the older name. */
  private async execCilium(target: ExecTarget, req: ExecRequest): Promise<ExecResult> {
    const key = describe(target)
    const known = this.ciliumBinary.get(key)
    if (known === 'cilium') return this.run(target, req.argv, req)
    const at = ciliumIndex(req.argv)
    const dbgArgv = req.argv.map((w, j) => (j === at ? 'cilium-dbg' : w))
    const first = await this.run(target, dbgArgv, req)
    if (first.error || !isNotFound(first)) {
      if (!first.error) this.ciliumBinary.set(key, 'cilium-dbg')
      return { ...first, command: commandLine(dbgArgv) }
    }
    this.ciliumBinary.set(key, 'cilium')
    const second = await this.run(target, req.argv, req)
    const attempt = { command: commandLine(dbgArgv), stdout: first.stdout, stderr: first.stderr, exitCode: first.exitCode, durationMs: first.durationMs }
    return { ...second, attempts: [...(second.attempts ?? []), attempt] }
  }

  private async run(target: ExecTarget, argv: readonly string[], req: ExecRequest): Promise<ExecResult> {
    const { context, who } = this.opts
    const where = `pod ${describe(target)}`
    const bad =
      !isDns1123Label(target.namespace) ? `namespace ${JSON.stringify(target.namespace)}`
      : !isDns1123Subdomain(target.pod) ? `pod name ${JSON.stringify(target.pod)}`
      : !isDns1123Label(target.container) ? `container name ${JSON.stringify(target.container)}`
      : undefined
    if (bad) {
      audit(who, { event: 'refused', context, target: where, argv, reason: `invalid ${bad}` })
      return refused(`invalid ${bad}`)
    }
    const check = checkArgv(argv, this.templates)
    if (!check.ok) {
      audit(who, { event: 'refused', context, target: where, argv, reason: check.reason })
      return refused(check.reason)
    }
    if (this.opts.signal?.aborted) return refused('the request was cancelled')
    const r = await execInContainer(this.opts.kc, context, target, argv, { timeoutMs: req.timeoutMs, maxBytes: req.maxBytes, bounded: req.bounded, ...(req.filter ? { filter: req.filter } : {}) })
    audit(who, {
      event: 'exec',
      context,
      target: where,
      argv,
      exitCode: r.exitCode,
      durationMs: r.durationMs,
      ...(r.truncated ? { truncated: true } : {}),
      ...(r.timedOut ? { timedOut: true } : {}),
      ...(r.error ? { error: r.error } : {}),
    })
    return r
  }
}
