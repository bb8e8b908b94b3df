/**
 * One clear sentence for the failures of a run that mean something beyond "exit code N": the
 * node's kernel hides its conntrack table, Hubble is off in the agent. Both collectors note them,
 * and the capture keeps the run itself (its stderr is evidence too).
 */
import type { HostRole, Run } from '@/lib/model/capture'

export function runProblem(role: HostRole, r: Run): string | undefined {
  if (r.exitCode === 0) return undefined
  const text = `${r.stderr}\n${typeof r.error === 'string' ? r.error : ''}`
  if (r.command === 'cat /proc/net/nf_conntrack') {
    if (/No such file or directory/i.test(text)) {
      return "the node's kernel does not expose /proc/net/nf_conntrack (nf_conntrack not loaded, or built without CONFIG_NF_CONNTRACK_PROCFS): the netfilter conntrack hop cannot be proven through the agent"
    }
    if (/Permission denied|Operation not permitted/i.test(text)) {
      return `/proc/net/nf_conntrack is not readable in the ${role === 'node' ? "node's" : role} container (permission denied: it needs CAP_NET_ADMIN in the node's user namespace): the netfilter conntrack hop cannot be proven`
    }
  }
  const hubbleMissing = /exec of "hubble" failed|hubble: (?:command )?not found|"hubble": executable file not found/.test(text) || r.exitCode === 127
  if (r.command.startsWith('hubble observe') && !hubbleMissing) {
    return `Hubble answered no flows (${(text.trim().split('\n').pop() ?? '').slice(0, 160) || `exit ${r.exitCode}`}): is Hubble enabled (enable-hubble)? With --probe, the bounded monitor is the fallback`
  }
  return undefined
}
